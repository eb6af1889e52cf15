// Setup ▸ Updates in the browser: the class and server saved through POST /config (a refused
// key shown next to its field), and the updater's state from /status?update on the page: the
// running version and, seconds after the class is set, what the check said.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS, SIZES, launchBrowser, startDaemon } from './harness.mjs';

mkdirSync(ARTIFACTS, { recursive: true });
let daemon, browser, page;

before(async () => {
  daemon = await startDaemon({ days: 1, prefix: 'iotawatt-web-updates-' });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: SIZES.desktop })).newPage();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

test('the update class and server are saved, a bad URL is shown at its field, and the check result appears', async () => {
  await page.goto(`${daemon.base}/#setup?tab=updates`);
  await page.waitForSelector('#update-form');
  const running = await page.textContent('#update-status');
  assert.match(running, /Running\s*0\.1\.0 \((amd64|arm64|armhf)\)/);
  assert.match(running, /disabled/);

  await page.selectOption('#update-class', 'MINOR');
  await page.fill('#update-url', 'http://127.0.0.1:1/updates');
  await page.click('#update-save');
  const error = await page.waitForSelector('[data-path="update_server.url"] .field-error', { timeout: 5000 });
  assert.match(await error.textContent(), /https:\/\//);

  await page.fill('#update-url', 'https://127.0.0.1:1/updates');
  await page.click('#update-save');
  await page.waitForSelector('#config-message .notice.ok');
  const config = await (await fetch(`${daemon.base}/config`)).json();
  assert.equal(config.update, 'MINOR');
  assert.equal(config.update_server.url, 'https://127.0.0.1:1/updates');

  // The daemon checks 5 s after the class changed; this build trusts no release key, so the
  // check says so, and the page shows it after a reload.
  let update = {};
  for (let i = 0; i < 100 && !update.lastcheck; i++) {
    update = (await (await fetch(`${daemon.base}/status?update`)).json()).update;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(update.lastcheck > 0, `no check within 10 s: ${JSON.stringify(update)}`);
  await page.reload();
  await page.waitForSelector('#update-status');
  assert.match(await page.textContent('#update-status'), /trusts no release key/);
  await page.screenshot({ path: join(ARTIFACTS, 'setup-updates-desktop.png'), fullPage: true });
});
