// Issue 17's six user tasks, each done as a user does it (the menu, clicks, typing) at phone
// and at desktop size, and checked twice: against what the page shows and against the
// daemon's own answers (/status, /query, /config) or, for the uploader, influxd's. At phone
// size every page used must fit the screen's width and every control used must be reachable
// there (scrolled to is fine; behind the menu is fine, the test opens it).
// Also: a cost series (Mains.cost, under a tariff) picked in Graphs.
//   node --test tests/web/tasks.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ARTIFACTS, SIZES, apiClient, launchBrowser, pageUpdates, readingAround, startDaemon, startInfluxd } from './harness.mjs';

mkdirSync(ARTIFACTS, { recursive: true });

let daemon, browser, influxd, api, apiJSON;
const pageErrors = [];

before(async () => {
  [daemon, influxd, browser] = await Promise.all([startDaemon({ days: 7, prefix: 'iotawatt-web-tasks-' }), startInfluxd(), launchBrowser()]);
  ({ api, apiJSON } = apiClient(daemon.base));
});

after(async () => {
  await browser?.close();
  await influxd?.stop();
  const code = await daemon?.stop();
  assert.equal(code, 0, 'the daemon stops cleanly');
});

// The config as it was before a task changed it, posted back after it (each task at each size
// starts from the seeded daemon's config).
async function restoring(task) {
  const text = await (await api('/config')).text();
  try {
    await task();
  } finally {
    await api('/config', { method: 'POST', body: text });
  }
}

// A number shown with its unit ("3.42 kW", "850 W", "0.35 kWh") in W or Wh, and half its last
// digit (what rounding for the screen may have taken away).
function shownValue(text, unit) {
  const m = new RegExp(`^(-?[\\d.]+) (k?)${unit}$`).exec(text.trim());
  assert.ok(m, `"${text}" is a number in ${unit} or k${unit}`);
  const scale = m[2] ? 1000 : 1;
  const decimals = (m[1].split('.')[1] || '').length;
  return { value: Number(m[1]) * scale, slack: (0.5 * scale) / 10 ** decimals };
}

for (const [size, viewport] of Object.entries(SIZES)) {
  describe(`user tasks at ${size} size (${viewport.width} x ${viewport.height})`, () => {
    let context, page, loads = 0;
    const phone = size === 'phone';

    before(async () => {
      context = await browser.newContext({ viewport, acceptDownloads: true });
      page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`${size}: ${err}`));
      page.on('dialog', (d) => d.accept());
    });
    after(async () => { await context?.close(); });

    const pageIs = (name) => page.waitForFunction((n) => document.getElementById('page').dataset.page === n, name);

    // The app as a user opens it: its address, no #hash (the home page).
    async function openApp() {
      await page.goto(`${daemon.base}/?load=${++loads}`);
      await pageIs('home');
    }

    // No sideways scrolling: the page is as wide as the screen.
    async function fits(what) {
      const [wide, screen] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
      assert.ok(wide <= screen + 1, `${what} is ${wide} px wide on a ${screen} px screen`);
    }

    // A control as a user reaches it: scrolled into view, within the screen's width.
    async function reach(selector) {
      const control = page.locator(selector);
      await control.scrollIntoViewIfNeeded();
      const box = await control.boundingBox();
      assert.ok(box && box.width > 0 && box.x >= -1 && box.x + box.width <= viewport.width + 1,
        `${selector} lies within the ${viewport.width} px screen: ${JSON.stringify(box)}`);
      return control;
    }
    const tap = async (selector) => (await reach(selector)).click();
    const type = async (selector, text) => (await reach(selector)).fill(text);
    const choose = async (selector, value) => (await reach(selector)).selectOption(value);

    // A page of the menu; on a phone the menu opens first.
    async function menu(name) {
      if (phone) {
        assert.ok(!(await page.isVisible(`#nav a[href="#${name}"]`)), 'on a phone the menu is folded');
        await tap('.menu-toggle');
      }
      await tap(`#nav a[href="#${name}"]`);
      await pageIs(name);
    }

    async function setupTab(tab, ready) {
      await menu('setup');
      await tap(`.tabs button[data-tab="${tab}"]`);
      await page.waitForSelector(ready);
    }

    async function shot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `task-${name}-${size}.png`), fullPage: true });
    }

    test('task 1: what the house uses now and the top circuit, on the home view with no clicks', async () => {
      await openApp();
      await page.waitForFunction(() => document.querySelectorAll('#circuit-bars li').length > 0);
      // /status read around two of the page's updates: the second asked after the first read.
      const [shown, reads] = await readingAround(() => apiJSON('/status?inputs'), async () => {
        await pageUpdates(page, 2);
        return page.evaluate(() => {
          const top = document.querySelector('#circuit-bars li:not(.other)');
          return {
            label: document.querySelector('#fig-use .figure-label').textContent,
            use: document.querySelector('#fig-use .figure-value').textContent,
            top: top.querySelector('.circuit-name').textContent, topValue: top.querySelector('.circuit-value').textContent,
            first: document.querySelector('#circuit-bars li').dataset.name,
            status: window.iotawattHome.status,
          };
        });
      });
      const watts = (status, name) => Number(status.inputs.find((i) => i.name === name).Watts);
      const use = (status) => watts(status, 'Mains') + Math.abs(watts(status, 'Solar'));
      assert.equal(shown.label, 'Using now');
      // What the house uses: the mains plus what the solar makes, as /status said around the read.
      const usedNow = shownValue(shown.use, 'W');
      const lo = Math.min(...reads.map(use)), hi = Math.max(...reads.map(use));
      assert.ok(usedNow.value >= lo - usedNow.slack - 5 && usedNow.value <= hi + usedNow.slack + 5,
        `"${shown.use}" within /status's ${lo.toFixed(0)}..${hi.toFixed(0)} W over ${reads.length} reads`);
      assert.ok(Math.abs(usedNow.value - use(shown.status)) <= usedNow.slack + 0.5, 'the figure is the page\'s last /status');
      // The top circuit: the first bar (unless "Other" is larger), the largest circuit of that /status.
      const circuits = shown.status.inputs.filter((i) => i.role === 'circuit');
      assert.ok(circuits.length >= 3, 'the simulated panel has circuits');
      const top = circuits.reduce((a, b) => (Number(b.Watts) > Number(a.Watts) ? b : a));
      assert.equal(shown.top, top.name, 'the top circuit');
      assert.ok([top.name, 'Other'].includes(shown.first));
      const topShown = shownValue(shown.topValue, 'W');
      assert.ok(Math.abs(topShown.value - Number(top.Watts)) <= topShown.slack + 0.5, `${shown.topValue} vs ${top.Watts} W`);
      // Seen: the use now without scrolling, the top circuit on the screen once scrolled to.
      const box = await page.$eval('#fig-use', (n) => n.getBoundingClientRect().toJSON());
      assert.ok(box.bottom <= viewport.height && box.right <= viewport.width, 'the use now is above the fold');
      await reach('#circuit-bars li:not(.other) >> nth=0');
      await fits('the home page');
      await shot('home');
    });

    test('task 2: the last 7 days of Mains and Solar exported as CSV with units', async () => {
      await openApp();
      await menu('graphs');
      await page.waitForSelector('#series-list [data-series="Mains"]');
      // Start from no traces: remove what the page drew by default.
      while (await page.$('#trace-list .trace')) await tap('#trace-list .trace >> nth=0 >> button[title="remove"]');
      await tap('#series-list [data-series="Mains"] button[data-unit="Watts"]');
      await tap('#series-list [data-series="Solar"] button[data-unit="Watts"]');
      await choose('#graph-period', 'last7');
      // Drawn: two lines over the 7 days (not the 24 hours drawn while the traces were added).
      await page.waitForFunction(() => document.getElementById('page').dataset.drawnAs === 'line,line'
        && window.iotawattGraph.view?.end - window.iotawattGraph.view?.begin > 6 * 86400);
      assert.deepEqual(await page.$$eval('#trace-list .trace .name', (ns) => ns.map((n) => n.textContent)), ['Mains (Watts)', 'Solar (Watts)']);
      await choose('#graph-csv-step', '1h');
      const [download] = await Promise.all([page.waitForEvent('download'), tap('#graph-csv')]);
      assert.match(download.suggestedFilename(), /^iotawatt_.*\.csv$/);
      const [header, ...rows] = readFileSync(await download.path(), 'utf8').split('\r\n').filter(Boolean);
      assert.equal(header, 'Time, Mains (W), Solar (W)', 'each column names its unit');
      // The daemon's truth: /query of the same 7 days (from the monitor's midnight 6 days ago), hourly.
      const { range } = await apiJSON('/query?select=[time.utc.unix]&begin=d-6d&end=s&group=all&format=json&header=yes');
      const [begin] = (await page.$eval('#page', (m) => m.dataset.view)).split(',').map(Number);
      assert.equal(begin, range[0], 'the graph begins 6 days before today, at the monitor\'s midnight');
      const expected = (await (await api(`/query?select=[time.local.iso,Mains.watts.d1,Solar.watts.d1]&begin=${begin}&end=s`
        + '&group=1h&format=csv&header=no&missing=null&limit=none')).text()).split('\r\n').filter(Boolean);
      const hours = (Date.now() / 1000 - begin) / 3600;
      assert.ok(rows.length >= hours - 1 && rows.length <= hours + 2, `${rows.length} hourly rows in ${hours.toFixed(1)} hours`);
      assert.ok(expected.length - rows.length <= 1, `${expected.length} rows now, ${rows.length} then`);
      // The rows before the last hour are settled: the same to the letter.
      assert.deepEqual(rows.slice(0, -1), expected.slice(0, rows.length - 1));
      const numbers = rows.map((r) => r.split(',').slice(1).map(Number));
      assert.ok(numbers.filter(([m, s]) => Number.isFinite(m) && Number.isFinite(s)).length > 0.9 * rows.length, 'the seeded week has values');
      assert.ok(numbers.some(([, s]) => Math.abs(s) > 100), 'the solar produces in some hours');
      await fits('the graphs page');
      await shot('csv');
    });

    test('task 3: today\'s energy per circuit in kWh', async () => {
      const { inputs } = await apiJSON('/status?inputs');
      const circuits = inputs.filter((i) => i.role === 'circuit').map((i) => i.name);
      const query = `/query?select=[${circuits.map((n) => `${n}.wh.d3`).join(',')}]&begin=d&end=s&group=all&format=json`;
      const before = (await apiJSON(query))[0];
      await openApp();
      await tap('#circuit-sort button[data-sort="today"]');
      await page.waitForFunction(() => document.querySelector('#circuit-sort .active')?.dataset.sort === 'today'
        && document.getElementById('today').dataset.loaded === 'true' && document.querySelector('#circuit-bars li .circuit-value')?.textContent.endsWith('kWh'));
      const shown = await page.$$eval('#circuit-bars li:not(.other)', (lis) => lis.map((li) => [li.querySelector('.circuit-name').textContent,
        li.querySelector('.circuit-value').textContent]));
      const afterRow = (await apiJSON(query))[0];
      // Every circuit is listed, largest first, each between what /query said before and after the page read.
      assert.deepEqual(shown.map(([name]) => name).sort(), [...circuits].sort());
      const values = shown.map(([, text]) => shownValue(text, 'Wh'));
      assert.deepEqual(values.map((v) => v.value), values.map((v) => v.value).sort((a, b) => b - a), 'largest first');
      for (const [k, [name, text]] of shown.entries()) {
        const c = circuits.indexOf(name);
        const { value, slack } = values[k];
        assert.match(text, /^\d+(\.\d+)? kWh$/);
        assert.ok(value >= before[c] - slack - 1 && value <= afterRow[c] + slack + 1, `${name}: ${text} vs /query ${before[c]}..${afterRow[c]} Wh`);
      }
      assert.ok(values[0].value > 0, 'energy used today');
      await reach('#circuit-bars li:not(.other) >> nth=0');
      await fits('the home page');
      await shot('today-circuits');
    });

    test('task 4: an output "house = Mains - Solar" is added and seen live', () => restoring(async () => {
      await openApp();
      await setupTab('outputs', '#outputs-form');
      await tap('#outputs-form .script-list > .row button');
      const row = '#outputs-form .script-row:last-child';
      await type(`${row} .script-name`, 'house');
      await type(`${row} .script-expr`, 'Mains - Solar');
      assert.equal(await page.inputValue(`${row} .script-units`), 'Watts');
      await page.waitForFunction((r) => /now: -?[\d.]+/.test(document.querySelector(`${r} .script-preview`).textContent), row, { timeout: 10000 });
      await fits('the outputs tab');
      await tap('#outputs-save');
      await page.waitForFunction(() => /Outputs saved/.test(document.querySelector('#config-message .notice.ok')?.textContent || ''));
      const config = await apiJSON('/config');
      assert.deepEqual(config.outputs.find((o) => o.name === 'house'), { name: 'house', units: 'Watts', expr: 'Mains - Solar' });
      await shot('output-added');

      // Live on the Details page: a row for it whose value moves with the panel.
      await menu('status');
      const value = '#outputs tr[data-output="house"] [data-field="value"]';
      await page.waitForSelector(value);
      const first = await page.textContent(value);
      assert.match(first, /^-?[\d,.]+ W$/);
      await page.waitForFunction(([sel, old]) => document.querySelector(sel)?.textContent !== old, [value, first], { timeout: 15000 });
      await reach(value);
      await fits('the details page');
      // The daemon's truth: /status has it, and its logged values are Mains - Solar.
      const { outputs } = await apiJSON('/status?outputs');
      assert.ok((Array.isArray(outputs) ? outputs.map((o) => o.name) : Object.keys(outputs)).includes('house'), JSON.stringify(outputs));
      const [[house, mains, solar]] = await apiJSON('/query?select=[house.watts.d2,Mains.watts.d2,Solar.watts.d2]&begin=s-1m&end=s&group=all&format=json');
      assert.ok(Math.abs(house - (mains - solar)) <= 0.02, `house ${house} = ${mains} - ${solar}`);
      await shot('output-live');
    }));

    test('task 5: the VT calibrated against a meter reading', () => restoring(async () => {
      const config = await apiJSON('/config');
      const vt = config.inputs.findIndex((i) => i?.type === 'VT');
      const tables = await apiJSON('/tables.txt');
      const oldCal = config.inputs[vt].cal ?? tables.VT.find((m) => m.model === config.inputs[vt].model).cal;
      await openApp();
      await setupTab('inputs', '#input-list');
      await tap(`#input-list tr[data-channel="${vt}"] button`);
      await page.waitForFunction(() => Number(document.getElementById('vcal-live')?.textContent) > 50);
      await reach('#vcal-live');
      const live = Number(await page.textContent('#vcal-live'));
      const meter = Math.round(live * 1.02 * 10) / 10;  // the meter reads 2 % more
      await type('#vcal-meter', String(meter));
      await fits('the inputs tab with the calibration');
      const answered = page.waitForResponse((r) => r.url().includes('/calibrate') && r.request().method() === 'POST', { timeout: 15000 });
      await tap('#vcal-apply');
      const measured = (await (await answered).json()).measured.volts;  // the daemon's 3 s after the tap
      const said = await page.waitForSelector('#vcal-result .notice.ok', { timeout: 15000 });
      assert.match(await said.textContent(), new RegExp(`Cal of ${config.inputs[vt].name} changed`));
      assert.ok(await said.evaluate((n) => { const r = n.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth + 1; }),
        'the result is said in view');
      const cal = (await apiJSON('/config')).inputs[vt].cal;
      // The simulated mains drifts a little between the value the user read and the daemon's
      // own 3 s measurement, which the new cal is computed from.
      assert.ok(Math.abs(measured - live) < 0.002 * live, `the daemon measured ${measured} V where the page showed ${live} V`);
      assert.ok(Math.abs(cal - oldCal * meter / measured) < 0.001, `cal ${oldCal} -> ${cal} for ${measured} V -> ${meter} V`);
      // The live volts on the page, and /status, follow.
      await page.waitForFunction((m) => Math.abs(Number(document.getElementById('vcal-live').textContent) - m) < 0.01 * m, meter, { timeout: 10000 });
      const volts = (await apiJSON('/status?inputs')).inputs.find((x) => x.channel === vt).Vrms;
      assert.ok(Math.abs(volts - meter) < 0.01 * meter, `live ${volts} V after calibrating to ${meter} V`);
      await fits('the inputs tab after calibrating');
      await shot('vt-calibrated');
    }));

    test('task 6: an InfluxDB uploader with a measurement added in the form uploads to influxd', () => restoring(async () => {
      const db = `iota_${size}`;
      await influxd.query(`CREATE DATABASE ${db}`);
      const form = '#uploader-influxdb';
      await openApp();
      await setupTab('uploaders', '#uploader-emoncms');
      await tap('[data-protocol=influxdb]');
      await page.waitForSelector(form);
      await type(`${form} input[data-path="influxdb.url"]`, influxd.url);
      await type(`${form} input[data-path="influxdb.database"]`, db);
      await type(`${form} input[data-path="influxdb.postInterval"]`, '5');
      await tap(`${form} .script-list > .row button`);
      const row = `${form} .script-row:last-child`;
      await type(`${row} .script-name`, 'house');
      await type(`${row} .script-expr`, 'Mains - Solar');
      await tap(`${form} [data-test=influxdb]`);
      const tested = await page.waitForSelector(`${form} .test-result .notice:not(.info)`, { timeout: 15000 });
      assert.match(await tested.textContent(), /^Connected/);
      await fits('the uploaders tab');
      await tap(`${form} button[type=submit]`);
      await page.waitForFunction(() => /InfluxDB 1.x saved/.test(document.querySelector('#config-message .notice.ok')?.textContent || ''));
      const section = (await apiJSON('/config')).influxdb;
      assert.equal(section.url, influxd.url);
      assert.deepEqual(section.outputs, [{ name: 'house', units: 'Watts', expr: 'Mains - Solar' }]);
      await shot('influxdb-saved');

      // influxd's own answer: points of "house", each the interval's Mains - Solar by /query.
      let points = [];
      for (let i = 0; i < 150 && points.length < 2; i++) {
        const answer = await influxd.query('SELECT value FROM house', db);
        points = answer.results[0].series?.[0].values ?? [];
        if (points.length < 2) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(points.length >= 2, `influxd holds ${points.length} points of house`);
      for (const [t, v] of points) {
        const [[mains, solar]] = await apiJSON(`/query?select=[Mains.watts.d3,Solar.watts.d3]&begin=${t}&end=${t + 5}&group=all&format=json`);
        assert.ok(Math.abs(v - (mains - solar)) <= 0.01, `at ${t}: influxd ${v}, /query ${mains} - ${solar}`);
      }
      // The Details page says the uploader is live.
      await menu('status');
      await page.waitForFunction(() => [...document.querySelectorAll('#uploaders tr')].some((r) => /influxdb/.test(r.textContent) && /live/.test(r.textContent)),
        null, { timeout: 15000 });
      await fits('the details page with an uploader');
    }));

    test('graphs: a cost series (Mains.cost under a flat tariff) draws in its currency, with /query\'s values', () => restoring(async () => {
      const config = await apiJSON('/config');
      const tariff = { name: 'flat', currency: 'EUR', meter: 'Mains', import: { price: 0.3 } };
      await api('/config', { method: 'POST', body: JSON.stringify({ ...config, tariffs: [tariff] }) });
      const probe = '/query?select=[Mains.cost]&begin=d&end=s&group=all&format=json';
      for (let i = 0; i < 50 && (await fetch(daemon.base + probe)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok((await apiJSON('/query?show=series')).series.some((x) => x.name === 'Mains.cost' && x.unit === 'EUR'), 'show=series lists the cost');
      await openApp();
      await menu('graphs');
      await page.waitForSelector('#series-list [data-series="Mains.cost"]');
      while (await page.$('#trace-list .trace')) await tap('#trace-list .trace >> nth=0 >> button[title="remove"]');
      await tap('#series-list [data-series="Mains.cost"] button[data-unit="EUR"]');
      await choose('#graph-period', 'last24h');
      await page.waitForFunction(() => /series=Mains\.cost\.EUR&period=last24h/.test(location.hash) && window.iotawattGraph.view
        && document.getElementById('page').dataset.drawnAs === 'line' && document.querySelector('#graph-chart canvas'));
      const drawn = await page.evaluate(() => {
        const u = window.iotawattGraph.plot;
        return { times: u.data[0], values: u.data[1], label: u.series[1].label, axis: u.axes[1].label, view: window.iotawattGraph.view };
      });
      // The currency is shown: the trace, the legend, the axis, the statistics.
      assert.equal(drawn.label, 'Mains.cost (EUR)');
      assert.equal(drawn.axis, 'EUR');
      assert.match(await page.textContent('#graph-chart .u-legend'), /Mains\.cost \(EUR\)/);
      assert.equal(await page.textContent('#stats-table tbody tr td'), 'Mains.cost (EUR)');
      // The daemon's truth: /query of the same window and group.
      const { begin, end, group } = drawn.view;
      const rows = await apiJSON(`/query?select=[time.utc.unix,Mains.cost]&begin=${begin}&end=${end}&group=${group}&format=json&missing=null&limit=none`);
      assert.deepEqual(drawn.times, rows.map((r) => r[0]), `the same ${group} groups`);
      const priced = rows.filter((r) => r[1] > 0);
      assert.ok(priced.length > rows.length / 4, `the grid imported in ${priced.length} of ${rows.length} groups`);
      // The last group may have grown by a record since the page asked.
      rows.forEach(([t, cost], k) => {
        const last = k === rows.length - 1;
        if (cost === null) assert.equal(drawn.values[k], null, `at ${t}`);
        else assert.ok(drawn.values[k] - cost <= 0.005 + 1e-9 && (last || cost - drawn.values[k] <= 0.005 + 1e-9), `at ${t}: drawn ${drawn.values[k]}, /query ${cost}`);
      });
      // The legend at the most expensive group says its cost to the cent.
      const top = priced.reduce((a, b) => (b[1] > a[1] ? b : a));
      const legend = await page.evaluate((t) => {
        const u = window.iotawattGraph.plot;
        u.setCursor({ left: u.valToPos(t, 'x'), top: 10 });
        return document.querySelector('#graph-chart .u-legend .u-series:nth-child(2) .u-value').textContent;
      }, top[0]);
      assert.match(legend, /^\d+\.\d\d$/);
      assert.ok(Math.abs(Number(legend) - top[1]) <= 0.005 + 1e-9, `legend ${legend}, /query ${top[1]}`);
      assert.equal(Number(await page.textContent('#stats-table tbody tr td:nth-child(4)')), Number(Math.max(...drawn.values).toFixed(2)), 'the maximum to the cent');
      await reach('#graph-chart');
      await fits('the graphs page with a cost');
      await shot('graph-cost');
    }));
  });
}

test('no script errors on any page of the tasks', () => {
  assert.deepEqual(pageErrors, []);
});
