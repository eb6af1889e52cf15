// The web app's pure modules under node: harmonics, grouping, the config error lines, VT
// calibration. No browser, no daemon.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseProblems } from '../../web/api.js';
import { effectiveCal, keepLeadTables, leadTablesText } from '../../web/setup_inputs.js';
import { passwordProblem } from '../../web/setup_passwords.js';
import { harmonics } from '../../web/harmonics.js';
import { groupFor, groupSeconds, queryUrl, shownDecimals, unitsFor } from '../../web/timerange.js';
import { barSlots, isTotal } from '../../web/graphstyle.js';
import { readableLog } from '../../web/log.js';
import { classify, guessRole, roleOf } from '../../web/roles.js';
import { dayBefore, energyFlows, energyQuery, kwhText, liveFigures, PERIODS, periodTotals, powerText, usePerRow } from '../../web/energy.js';
import { sankeyLayout } from '../../web/sankey.js';

// An unevenly sampled 50 Hz wave: 325 V peak fundamental, 10 % third harmonic, a DC offset.
function wave(cycles, jitter) {
  const t = [], x = [];
  for (let k = 0; t.length === 0 || t[t.length - 1] < cycles * 20; k++) {
    const ms = k * 0.075 + jitter * Math.sin(k * 1.7);
    t.push(ms);
    x.push(325 * Math.sin(2 * Math.PI * 0.05 * ms) + 32.5 * Math.sin(2 * Math.PI * 0.15 * ms + 1) + 3);
  }
  return { t, x };
}

test('harmonics over whole cycles of uneven samples', () => {
  const { t, x } = wave(3.4, 0.02);
  const r = harmonics(t, x, 50);
  assert.equal(r.cycles, 3);
  assert.ok(Math.abs(r.harmonics[0].rms - 325 / Math.SQRT2) < 0.5, `fundamental ${r.harmonics[0].rms}`);
  assert.ok(Math.abs(r.harmonics[2].pct - 10) < 0.1, `third ${r.harmonics[2].pct} %`);
  assert.ok(r.harmonics[1].pct < 0.1 && r.harmonics[4].pct < 0.1, 'no energy in absent orders');
  assert.ok(Math.abs(r.thd - 10) < 0.1);
  assert.ok(Math.abs(r.rms - Math.sqrt(325 ** 2 / 2 + 32.5 ** 2 / 2)) < 0.5, 'rms without the offset');
  assert.equal(harmonics(t.slice(0, 100), x.slice(0, 100), 50), null, 'less than a cycle');
  assert.equal(harmonics(t, x, 0), null, 'no frequency');
});

test('the group gives about one point per pixel', () => {
  assert.deepEqual(groupFor(365 * 86400, 1300), { seconds: 43200, spec: '12h' });
  assert.deepEqual(groupFor(7 * 86400, 1000), { seconds: 900, spec: '15m' });
  assert.deepEqual(groupFor(3600, 1300), { seconds: 5, spec: '5s' });
  assert.equal(groupFor(86400, 600).spec, '5m', 'one day on a phone');
  for (const [span, px] of [[86400, 1300], [30 * 86400, 390], [1e8, 1300]]) {
    const g = groupFor(span, px);
    assert.ok(span / g.seconds <= px || g.seconds === 604800, `${span} s on ${px} px: ${span / g.seconds} points`);
  }
});

test('query URLs and units', () => {
  assert.equal(queryUrl([{ name: 'Mains', unit: 'Watts' }, { name: 'Grid', unit: 'Volts' }], 1700000000, 1700086400, '2m'),
    '/query?select=[time.utc.unix,Mains.watts.d1,Grid.volts.d2]&begin=1700000000&end=1700086400&group=2m&format=json&header=yes&missing=null&limit=none');
  assert.match(queryUrl([], 'd-1d', 's', 'all'), /begin=d-1d&end=s&group=all/);
  assert.deepEqual(unitsFor({ name: 'V', unit: 'Volts' }), ['Volts', 'Hz']);
  assert.ok(unitsFor({ name: 'M', unit: 'Watts' }).includes('Wh'));
  assert.deepEqual(unitsFor({ name: 'o', unit: 'Amps' }), ['Amps']);
  assert.deepEqual(unitsFor({ name: 'Mains.cost', unit: 'EUR' }), ['EUR']);
  assert.match(queryUrl([{ name: 'Mains.cost', unit: 'EUR' }], 'd', 's', 'h'), /select=\[time\.utc\.unix,Mains\.cost\.d2\]/);
  // A cost is shown to the cent, as kWh; a measured unit to the tenth.
  assert.deepEqual(['EUR', 'kWh', 'Watts', 'Amps'].map(shownDecimals), [2, 2, 1, 1]);
});

test('config problems are split by key path', () => {
  const body = 'config not applied; the running config is unchanged:\n' +
    'inputs[3].name: "9x" must start with a letter\noutputs[2].expr: position 7: unknown name "foo"\ntimezone: unknown time zone "Mars/Base"\nsomething without a path';
  assert.deepEqual(parseProblems(body), [
    { path: 'inputs[3].name', message: '"9x" must start with a letter' },
    { path: 'outputs[2].expr', message: 'position 7: unknown name "foo"' },
    { path: 'timezone', message: 'unknown time zone "Mars/Base"' },
    { path: '', message: 'something without a path' },
  ]);
});

// The VT ratio maths moved to the daemon (POST /calibrate, tests/config/calibration_test.cc).
test('the cal in force is the input\'s own, else its model\'s', () => {
  const tables = { VT: [{ model: 'Ideal 77DE-06-09(EU)', cal: 19.06 }], CT: [] };
  assert.equal(effectiveCal({ type: 'VT', model: 'Ideal 77DE-06-09(EU)' }, tables), 19.06);
  assert.equal(effectiveCal({ type: 'VT', model: 'Ideal 77DE-06-09(EU)', cal: 20.5 }, tables), 20.5);
});

test('input editor keeps a sensor\'s own lead tables while its model stays', () => {
  const existing = { name: 'Load', type: 'CT', model: 'generic', cal: 100, p50: [2.1, 5, 1.6], p60: [1.9], vref: 0 };
  const kept = keepLeadTables({ ...existing, cal: 101 }, existing, 'generic');
  assert.deepEqual(kept, { ...existing, cal: 101 });
  const changed = keepLeadTables({ ...existing }, existing, 'SCT013-000');
  assert.equal('p50' in changed, false);
  assert.equal('p60' in changed, false);
  assert.equal(changed.vref, 0);
  assert.equal(leadTablesText(existing), 'p50 [2.1, 5, 1.6] · p60 [1.9]');
  assert.equal(leadTablesText({ model: 'SCT013-000' }), '');
});

test('status warnings: reversed CT, no voltage, dropped cycles, log and uploader errors', async () => {
  const { warnings } = await import('../../web/status.js');
  const quiet = { inputs: [{ channel: 0, name: 'V', Vrms: 230 }, { channel: 1, name: 'Mains', Watts: '500' }], stats: { sampling: { dropped_cycles: 0, lag_ms: 3 } } };
  assert.deepEqual(warnings(quiet), []);
  const bad = {
    inputs: [{ channel: 0, name: 'V', Vrms: 3.2 }, { channel: 1, name: 'Mains', Watts: '500', reversed: true }],
    stats: { sampling: { dropped_cycles: 4, lag_ms: 3 } },
    datalogs: [{ id: 'History', error: 'disk full' }],
    uploaders: { influxdb: { state: 'retrying', last_error: 'connection refused' } },
  };
  const w = warnings(bad);
  assert.equal(w.length, 5, w.join('\n'));
  assert.match(w.join('\n'), /no voltage[\s\S]*reversed[\s\S]*dropped 4[\s\S]*disk full[\s\S]*influxdb: connection refused/);
});

test('status warnings: an ADC that cannot be opened says what to do and when it is tried again', async () => {
  const { warnings } = await import('../../web/status.js');
  const waiting = { stats: { sampling: { error: 'cannot open /dev/spidev0.0: No such file or directory (enable SPI: dtparam=spi=on)', open_attempts: 3, retry_in_s: 7.2 } } };
  assert.deepEqual(warnings(waiting), ['Not measuring: cannot open /dev/spidev0.0: No such file or directory (enable SPI: dtparam=spi=on). Trying again in 7 s.']);
  assert.deepEqual(warnings({ stats: { sampling: { error: '' } } }), []);
});

test('status uploaders: healthy states and the backlog in intervals and time', async () => {
  const { backlogText, uploaderHealthy } = await import('../../web/status.js');
  assert.equal(uploaderHealthy({ state: 'live' }), true);
  assert.equal(uploaderHealthy({ state: 'bulk' }), true);
  assert.equal(uploaderHealthy({ state: 'retrying' }), false);
  assert.equal(uploaderHealthy({ state: 'invalid' }), false);
  assert.equal(backlogText({ backlog_intervals: 12, backlog_s: 120 }), 'backlog 12 (2 min 0 s)');
  assert.equal(backlogText({ backlog_intervals: 0, backlog_s: 0 }), 'backlog 0');
  assert.equal(backlogText({ status: 'running' }), '');
});

test('status dates on the monitor\'s clock: fmtDate with a zone', async () => {
  const { fmtDate } = await import('../../web/api.js');
  const { deviceZone } = await import('../../web/devicetime.js');
  const summer = Date.UTC(2026, 6, 1, 12) / 1000;  // 09:30 in St John's, 21:00 in Tokyo
  const stJohns = fmtDate(summer, deviceZone({ device: { timezone: 'America/St_Johns', utc_offset: -9000 } }));
  const tokyo = fmtDate(summer, deviceZone({ device: { timezone: 'Asia/Tokyo', utc_offset: 32400 } }));
  assert.match(stJohns, /9:30/);
  assert.match(tokyo, /(21:00|9:00)/);
  assert.notEqual(stJohns, tokyo);
});

test('device time: wall clock and datetime-local text in the monitor\'s zone, not node\'s', async () => {
  const { deviceZone, fromLocalInput, offsetAt, toLocalInput, wallClock } = await import('../../web/devicetime.js');
  const stJohns = deviceZone({ device: { timezone: 'America/St_Johns', utc_offset: -9000 } });
  // 2026-07-01 12:00 UTC is 09:30 NDT (UTC-2:30); 2026-01-15 12:00 UTC is 08:30 NST (UTC-3:30).
  const summer = Date.UTC(2026, 6, 1, 12) / 1000, winter = Date.UTC(2026, 0, 15, 12) / 1000;
  assert.equal(offsetAt(stJohns, summer), -9000);
  assert.equal(offsetAt(stJohns, winter), -12600);
  assert.equal(toLocalInput(stJohns, summer), '2026-07-01T09:30');
  assert.equal(toLocalInput(stJohns, winter), '2026-01-15T08:30');
  assert.equal(fromLocalInput(stJohns, '2026-07-01T09:30'), summer);
  assert.equal(fromLocalInput(stJohns, '2026-01-15T08:30'), winter);
  assert.deepEqual(wallClock(stJohns, winter), { year: 2026, month: 1, day: 15, hour: 8, minute: 30, second: 0 });
  // The original's offset form: no name, the offset /status reported.
  const fixed = deviceZone({ device: { timezone: '', utc_offset: 19800 } });
  assert.equal(toLocalInput(fixed, winter), '2026-01-15T17:30');
  assert.equal(fromLocalInput(fixed, '2026-01-15T17:30'), winter);
  assert.ok(Number.isNaN(fromLocalInput(fixed, 'yesterday')));
});

test('new passwords: typed twice, 8 characters, a user password only with an admin one', () => {
  assert.equal(passwordProblem('admin_pw', 'admin_pw', 'viewer_pw', 'viewer_pw'), '');
  assert.equal(passwordProblem('', '', '', ''), '', 'no passwords: everything open');
  assert.equal(passwordProblem('admin_pw', 'admin_pX', '', ''), 'The two new admin passwords differ.');
  assert.equal(passwordProblem('admin_pw', 'admin_pw', 'viewer_pw', ''), 'The two new user passwords differ.');
  assert.equal(passwordProblem('', '', 'viewer_pw', 'viewer_pw'), 'A user password needs an admin password.');
  assert.equal(passwordProblem('short', 'short', '', ''), 'Passwords need at least 8 characters.');
  assert.equal(passwordProblem('admin_pw', 'admin_pw', 'übersi7', 'übersi7'), 'Passwords need at least 8 characters.');
  assert.equal(passwordProblem('übersic8', 'übersic8', '', ''), '', 'characters, not bytes');
});

test('config saves: a 409 naming a confirmation is not a conflict, and the confirmation goes in the query', async () => {
  const { ConfigConflict, ConfigNeedsConfirmation, saveConfig } = await import('../../web/api.js');
  const calls = [];
  const answers = [
    new Response('config not applied; the running config is unchanged:\nit has no inputs.\nTo apply it anyway, ...',
      { status: 409, headers: { 'X-Config-Confirm': 'inputs' } }),
    new Response('', { status: 200, headers: { 'X-configSHA256': 'new-hash' } }),
    new Response('Config not current', { status: 409 }),
  ];
  const saved = globalThis.fetch;
  globalThis.fetch = async (url, options) => { calls.push({ url, options }); return answers.shift(); };
  try {
    const refused = await saveConfig({}, 'old-hash').catch((e) => e);
    assert.ok(refused instanceof ConfigNeedsConfirmation);
    assert.equal(refused.confirm, 'inputs');
    assert.equal(refused.message, 'it has no inputs.\nTo apply it anyway, ...');
    assert.equal(await saveConfig({}, 'old-hash', refused.confirm), 'new-hash');
    assert.deepEqual(calls.map((c) => c.url), ['/config', '/config?confirm=inputs']);
    assert.equal(calls[1].options.headers['X-configSHA256'], 'old-hash');
    assert.ok(await saveConfig({}, 'old-hash').catch((e) => e) instanceof ConfigConflict);
  } finally {
    globalThis.fetch = saved;
  }
});

test('group lengths, totals, and bar slots side by side', () => {
  assert.equal(groupSeconds('15m'), 900);
  assert.equal(groupSeconds('1d'), 86400);
  assert.ok(Math.abs(groupSeconds('1M') - 30.44 * 86400) < 86400);
  assert.equal(groupSeconds('all'), null);
  assert.ok(isTotal({ name: 'Mains' }) && isTotal({ name: 'grid_import' }) && isTotal({ name: 'Oven', style: 'total' }));
  assert.ok(!isTotal({ name: 'Oven' }) && !isTotal({ name: 'Mains', style: 'line' }) && !isTotal({ name: 'Mainsail' }));
  const traces = [{ name: 'Mains' }, { name: 'Oven' }, { name: 'Fridge' }];
  const side = barSlots(traces, [true, true, true], false, 300);
  assert.deepEqual(side.map((s) => s.offset), [30, 110, 190]);
  assert.ok(side.every((s) => s.size === 80));
  const stacked = barSlots(traces, [true, true, true], true, 300);
  assert.deepEqual(stacked.map((s) => s.offset), [30, 150, 150], 'the circuits share a slot, the mains has its own');
  assert.deepEqual(barSlots(traces, [false, true, false], false, 100).map((s) => s && s.size), [null, 80, null]);
});

test('message log lines on the monitor\'s clock, UNIX times with their date', () => {
  const unix = Date.UTC(2026, 11, 7, 10, 0, 0) / 1000;  // 11:00 in Berlin (CET)
  const text = `2026-12-07T10:00:00.123Z info upload: newest point at ${unix}\nan old line 2026-12-07 09:00:00 stays\nvalue 12345 stays`;
  assert.equal(readableLog(text, { name: 'Europe/Berlin', offset: 0 }),
    `2026-12-07 11:00:00.123 info upload: newest point at ${unix} (2026-12-07 11:00:00)\nan old line 2026-12-07 09:00:00 stays\nvalue 12345 stays`);
  assert.match(readableLog('2026-07-01T00:00:00.000Z warn x', { name: '', offset: -4 * 3600 }), /^2026-06-30 20:00:00\.000 warn x$/);
});

test('no prompt() anywhere in the app (it blocks the page; phones hide it)', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../web/', import.meta.url);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    assert.doesNotMatch(readFileSync(new URL(f, dir), 'utf8'), /\bprompt\(/, f);
  }
});

test('status: a CT\'s volts with no current, outputs with units and rounded', async () => {
  const { ctVolts, outputText } = await import('../../web/status.js');
  assert.equal(ctVolts({ Amps: 0, VA: 0 }, 231.4), 231.4);
  assert.equal(ctVolts({ Amps: 2, VA: 460 }, 231.4), 230);
  assert.equal(ctVolts({ Amps: 0 }, undefined), null);
  assert.equal(outputText({ units: 'Watts', value: 1234.5678 }), '1234.6 W');
  assert.equal(outputText({ units: 'Amps', value: 3.14159 }), '3.14 A');
  assert.equal(outputText({ units: 'PF', value: 0.98765 }), '0.99 PF');
});

test('the Updates form makes the update_server section the daemon reads', async () => {
  const { keysFromText, serverSection } = await import('../../web/setup_updates.js');
  assert.deepEqual(keysFromText(' a\n\n b  c\n'), ['a', 'b', 'c']);
  assert.equal(serverSection({ url: 'https://old' }, '  ', '', '', ''), undefined);
  assert.deepEqual(serverSection({ url: 'https://old', ca_file: '/ca.pem', keys: ['x'] }, 'https://new ', '', '900', ''),
    { url: 'https://new', ca_file: '/ca.pem', interval: 900 });
  assert.deepEqual(serverSection(undefined, 'https://u', 'k1\nk2', '', '120'),
    { url: 'https://u', keys: ['k1', 'k2'], health_deadline: 120 });
});

// ---- the home view (issue 17): roles, live figures, period totals, energy flows ----------

test('roles: the config says, else the name', () => {
  assert.equal(guessRole('Mains'), 'mains');
  assert.equal(guessRole('Mains_L2'), 'mains');
  assert.equal(guessRole('grid'), 'mains');
  assert.equal(guessRole('Solar'), 'solar');
  assert.equal(guessRole('PV_roof'), 'solar');
  assert.equal(guessRole('Kettle'), 'circuit');
  assert.equal(roleOf({ name: 'Kettle', role: 'mains', Watts: '5' }), 'mains');
  assert.equal(roleOf({ name: 'Voltage', Vrms: 230 }), null);
  const c = classify([{ name: 'Voltage', Vrms: 230 }, { name: 'Mains', Watts: '1' }, { name: 'Roof', role: 'solar', Watts: '1' },
    { name: 'Oven', Watts: '1' }]);
  assert.deepEqual([c.mains.length, c.solar.length, c.circuits.map((i) => i.name)], [1, 1, ['Oven']]);
});

test('live figures: use = grid + solar, other = use - circuits, circuits by power', () => {
  const status = { inputs: [{ name: 'Voltage', Vrms: 231 }, { name: 'Mains', Watts: '-500' }, { name: 'Solar', Watts: '-2500' },
    { name: 'Oven', Watts: '1200' }, { name: 'Fridge', Watts: '100' }, { name: 'Lights', Watts: '0' }] };
  const f = liveFigures(status);
  assert.equal(f.use, 2000);
  assert.deepEqual([f.import, f.export, f.solar], [0, 500, 2500]);
  assert.deepEqual(f.circuits.map((c) => c.name), ['Oven', 'Fridge', 'Lights']);
  assert.equal(f.other, 700);
  // Without solar, other is mains minus the circuits.
  const g = liveFigures({ inputs: [{ name: 'Mains', Watts: '1800' }, { name: 'Oven', Watts: '1200' }] });
  assert.deepEqual([g.use, g.other, g.hasSolar], [1800, 600, false]);
});

test('period totals: import and export split per row, self-consumption and self-sufficiency', () => {
  const columns = { mains: ['Mains'], solar: ['Solar'], circuits: ['Oven', 'Fridge'] };
  // Night: 1 kWh imported; day: 0.5 kWh exported while solar made 3 kWh.
  const rows = [[0, 1000, 0, 600, 100], [300, -500, -3000, 1500, 100]];
  const t = periodTotals(rows, columns);
  assert.deepEqual([t.import, t.export, t.solar, t.use], [1000, 500, 3000, 3500]);
  assert.deepEqual(t.circuits.map((c) => [c.name, c.wh]), [['Oven', 2100], ['Fridge', 200]]);
  assert.equal(t.other, 1200);
  assert.ok(Math.abs(t.selfConsumption - 2500 / 3000) < 1e-12);
  assert.ok(Math.abs(t.selfSufficiency - 2500 / 3500) < 1e-12);
  assert.deepEqual(usePerRow(rows, columns), [1000, 2500]);
  assert.equal(periodTotals([[0, 800, null, 700, 100]], { mains: ['Mains'], solar: [], circuits: ['Oven', 'Fridge'] }).selfConsumption, null);
  assert.match(energyQuery(['Mains', 'Oven'], 'd', 's', '5m'), /select=\[time\.utc\.unix,Mains\.wh\.d3,Oven\.wh\.d3\]&begin=d&end=s&group=5m/);
  assert.equal(PERIODS.week.prevBegin, 'w-1w');
});

test('energy flows: what enters the home leaves it, bands stack within their nodes', () => {
  const totals = periodTotals([[0, 1000, 0, 600, 100], [300, -500, -3000, 1500, 100]],
    { mains: ['Mains'], solar: ['Solar'], circuits: ['Oven', 'Fridge'] });
  const flows = energyFlows(totals);
  assert.deepEqual(flows.sources.map((s) => [s.name, s.wh]), [['Grid', 1000], ['Solar', 2500]]);
  // Circuits by energy, then what no circuit measured.
  assert.deepEqual(flows.sinks.map((s) => [s.name, s.wh]), [['Oven', 2100], ['Fridge', 200], ['Other', 1200]]);
  assert.equal(flows.export, 500);
  const layout = sankeyLayout(flows, { width: 600, height: 300 });
  const home = layout.nodes.find((n) => n.kind === 'home');
  const into = layout.links.filter((k) => k.x1 === home.x).reduce((a, k) => a + k.wh, 0);
  const out = layout.links.filter((k) => k.x0 === home.x + layout.node).reduce((a, k) => a + k.wh, 0);
  assert.ok(Math.abs(into - totals.use) < 1e-9 && Math.abs(out - totals.use) < 1e-9, `${into} in, ${out} out, ${totals.use} used`);
  for (const n of layout.nodes) assert.ok(n.y >= 0 && n.y + n.h <= layout.height + 1e-9, `${n.name} inside the picture`);
  const solar = layout.nodes.find((n) => n.kind === 'solar');
  assert.ok(Math.abs(solar.out - (solar.y + solar.h)) < 1e-9, 'solar\'s bands fill its node');
  assert.equal(kwhText(12345), '12.3 kWh');
  assert.equal(powerText(1520), '1.52 kW');
});

test('dayBefore: a day of the period before, across months, years and a leap day', () => {
  assert.equal(dayBefore('2026-03-01T00:00:00'), '2026-02-28');
  assert.equal(dayBefore('2028-03-01T00:00:00'), '2028-02-29');
  assert.equal(dayBefore('2027-01-01T00:00:00'), '2026-12-31');
  assert.equal(dayBefore('2026-11-29T00:00:00'), '2026-11-28');
});

test('events page: a day on the monitor\'s clock, and each circuit\'s runs from its events', async () => {
  const { circuitRuns, dayAround, onSeconds, runWh } = await import('../../web/timeline.js');
  const berlin = { name: 'Europe/Berlin', offset: 3600 };
  const day = dayAround(berlin, Date.UTC(2026, 2, 29, 12) / 1000);  // the spring DST change: 23 h
  assert.equal(day.date, '2026-03-29');
  assert.equal(day.begin, Date.UTC(2026, 2, 28, 23) / 1000);
  assert.equal(day.end - day.begin, 23 * 3600);
  const b = day.begin;
  const ev = (t, channel, kind, before, after) => ({ time: b + t, channel, name: `c${channel}`, kind, watts_before: before, watts_after: after });
  const rows = circuitRuns([
    ev(7200, 3, 'on', 0, 2000), ev(3600, 5, 'off', 90, 0),  // out of order; 5 was on at midnight
    ev(9000, 3, 'change', 2000, 300), ev(10800, 3, 'off', 300, 0), ev(20000, 3, 'on', 0, 1000),
  ], day.begin, day.end, b + 21800);
  assert.deepEqual(rows.map((r) => r.channel), [3, 5]);
  const [washer, fridge] = rows;
  assert.deepEqual(washer.runs.map((r) => [r.begin - b, r.end - b, r.watts, r.open]),
    [[7200, 9000, 2000, false], [9000, 10800, 300, false], [20000, 21800, 1000, true]]);
  assert.deepEqual(fridge.runs.map((r) => [r.begin - b, r.end - b, r.watts, r.before]), [[0, 3600, 90, true]]);
  assert.equal(onSeconds(washer), 1800 + 1800 + 1800);
  assert.ok(Math.abs(runWh(washer) - (1000 + 150 + 500)) < 1e-9);
  // A run still on when the day is over ends at the day's end, not at "now" on a later day.
  const past = circuitRuns([ev(80000, 1, 'on', 0, 50)], day.begin, day.end, day.end + 86400);
  assert.deepEqual(past[0].runs.map((r) => [r.end - b, r.open]), [[day.end - b, true]]);
});

test('home: standby baselines are the lowest whole 10-minute row of the last day, for the house and each circuit', async () => {
  const { standbyOf } = await import('../../web/energy.js');
  const columns = { mains: ['Mains'], solar: ['Solar'], circuits: ['Fridge', 'Kettle'] };
  const t = 1800000000;
  // [time, Mains Wh, Solar Wh, Fridge Wh, Kettle Wh] per 10 minutes (Wh x 6 = W).
  const rows = [
    [t, 1, 0, 0.5, 0],            // first row: cut by the query's begin, left out
    [t + 600, 30, 0, 15, 0],       // 180 W house, fridge 90 W
    [t + 1200, -50, -80, 10, 0],   // 50 of the 80 Wh made exported: use 30 Wh = 180 W
    [t + 1800, 20, 0, 2, 300],     // the lowest house row: 120 W; fridge 12 W
    [t + 2400, null, null, null, null],  // no data
    [t + 3000, 0.2, 0, 0.1, 0],    // last row: cut by "now", left out
  ];
  const s = standbyOf(rows, columns);
  assert.equal(s.house, 120);
  assert.equal(s.circuits.Fridge, 12);
  assert.equal(s.circuits.Kettle, 0);
  assert.deepEqual(standbyOf(rows.slice(0, 2), columns), { house: null, circuits: { Fridge: null, Kettle: null } });
});

test('events page: a cycling circuit whose share of the day rose 15 % over the week before is flagged', async () => {
  const { dutyCycles } = await import('../../web/timeline.js');
  const day = 86400, t0 = 1800000000;
  // A fridge on `minutes` of every hour (24 runs a day); a kettle twice a day (not cycling).
  const fridgeDay = (begin, minutes) => Array.from({ length: 24 }, (_, h) => [
    { time: begin + h * 3600 + 60, channel: 5, name: 'Fridge', kind: 'on', watts_before: 0, watts_after: 120 },
    { time: begin + h * 3600 + 60 + minutes * 60, channel: 5, name: 'Fridge', kind: 'off', watts_before: 120, watts_after: 0 },
  ]).flat();
  const kettle = (begin) => [
    { time: begin + 7 * 3600, channel: 4, name: 'Kettle', kind: 'on', watts_before: 0, watts_after: 2000 },
    { time: begin + 7 * 3600 + 180, channel: 4, name: 'Kettle', kind: 'off', watts_before: 2000, watts_after: 0 }];
  const week = (lastMinutes) => Array.from({ length: 8 }, (_, k) => {
    const begin = t0 - (k + 1) * day;
    return { begin, end: begin + day, events: [...fridgeDay(begin, k === 0 ? lastMinutes : 18 + (k % 3)), ...kettle(begin)] };
  });
  const [fridge, ...others] = dutyCycles(week(22));  // 22 of 60 minutes against a usual 19
  assert.deepEqual(others, []);
  assert.equal(fridge.name, 'Fridge');
  assert.ok(Math.abs(fridge.last - 22 / 60) < 1e-9 && Math.abs(fridge.usual - 19 / 60) < 1e-9, JSON.stringify(fridge));
  assert.equal(fridge.flagged, true);
  assert.equal(dutyCycles(week(21))[0].flagged, false);  // +10.5 %: within a week's spread
  assert.deepEqual(dutyCycles(week(22).slice(0, 3)), []);  // two days before: too few to judge
});
