// The year figure: a graph over 366 days of seeded history (3 power series), fetched and
// drawn in the browser; performance.now() around query + uPlot draw, median of 3 loads.
// Labelled slow in ctest (seeding a year takes a while; the ASan run skips it).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS, SIZES, launchBrowser, startDaemon } from './harness.mjs';

mkdirSync(ARTIFACTS, { recursive: true });
let browser, page;

before(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: SIZES.desktop })).newPage();
});

after(async () => {
  await browser?.close();
});

test('a year of history renders in under a second', async () => {
  const year = await startDaemon({ days: 366, currentDays: 7, prefix: 'iotawatt-web-year-' });
  try {
    const { series } = await (await fetch(`${year.base}/query?show=series`)).json();
    const traces = series.filter((s) => s.unit === 'Watts').slice(0, 3).map((s) => `${s.name}.Watts`).join(',');
    const times = [], queries = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${year.base}/?load=${i}#graphs?series=${traces}&period=last365`);
      await page.waitForFunction(() => document.getElementById('page').dataset.drawMs);
      times.push(Number(await page.$eval('#page', (m) => m.dataset.drawMs)));
      queries.push(Number(await page.$eval('#page', (m) => m.dataset.queryMs)));
    }
    const rows = Number(await page.$eval('#page', (m) => m.dataset.rows));
    const nonNull = await page.evaluate(() => window.iotawattGraph.plot.data[1].filter((v) => v !== null).length);
    times.sort((a, b) => a - b);
    console.log(`# year graph: ${rows} points x 3 series, fetch+draw ${times.map((t) => t.toFixed(0)).join(', ')} ms (median ${times[1].toFixed(0)} ms; of that the queries ${queries.map((t) => t.toFixed(0)).join(', ')} ms)`);
    assert.ok(nonNull > rows * 0.9, 'the seeded year has data');
    assert.ok(times[1] < 1000, `median ${times[1]} ms`);
    await page.screenshot({ path: join(ARTIFACTS, 'graphs-year-desktop.png'), fullPage: true });
  } finally {
    await year.stop();
  }
});

