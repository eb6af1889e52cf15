// Output scripts in the setup page: a bad expression is refused by POST /config (400,
// `outputs[i].expr: position N: ...`) and the page shows the error next to the expression.
// Needs the daemon's output scripts (src/calc, /calc/preview); without them /config keeps
// outputs verbatim and this test fails by design.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS, SIZES, launchBrowser, startDaemon } from './harness.mjs';

mkdirSync(ARTIFACTS, { recursive: true });
let daemon, browser, page;

before(async () => {
  daemon = await startDaemon({ days: 1, prefix: 'iotawatt-web-scripts-' });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: SIZES.desktop })).newPage();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

test('a bad output script shows its error next to the field; a good one previews, saves and is measured', async () => {
  await page.goto(`${daemon.base}/#setup?tab=outputs`);
  await page.waitForSelector('#outputs-form');
  await page.click('#outputs-form .script-list .row button');
  const row = '#outputs-form .script-row:last-child';
  await page.fill(`${row} .script-name`, 'Net');
  await page.fill(`${row} .script-expr`, 'Mains + nosuchinput');
  await page.click('#outputs-save');
  const index = await page.$$eval('#outputs-form .script-row', (rows) => rows.length - 1);
  const preview = await fetch(`${daemon.base}/calc/preview`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"expr":"1","units":"Watts"}' });
  const error = await page.waitForSelector(`[data-path="outputs[${index}].expr"] .field-error`, { timeout: 5000 }).catch(() => {
    throw new Error(`no error next to outputs[${index}].expr (POST /calc/preview answers ${preview.status}: ` +
      `${preview.status === 404 ? 'this daemon has no output scripts, so /config does not check them' : 'scripts exist'})`);
  });
  assert.match(await error.textContent(), /nosuchinput/);
  await page.screenshot({ path: join(ARTIFACTS, 'setup-outputs-error-desktop.png'), fullPage: true });

  await page.fill(`${row} .script-expr`, 'Mains - Solar');
  await page.waitForFunction((r) => /now: -?[\d.]+/.test(document.querySelector(`${r} .script-preview`).textContent), row);
  await page.click('#outputs-save');
  await page.waitForSelector('#config-message .notice.ok');
  const config = JSON.parse(await (await fetch(`${daemon.base}/config`)).text());
  assert.deepEqual(config.outputs.map((o) => [o.name, o.expr]), [['Net', 'Mains - Solar']]);
  const status = await (await fetch(`${daemon.base}/status?outputs`)).json();
  assert.ok(status.outputs.some((o) => o.name === 'Net'), 'the output is in /status');
});
