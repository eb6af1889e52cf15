// The home view's arithmetic, pure (tested under node): live figures from /status, period
// totals from /query rows, and the energy flows the Sankey picture draws.
//
// Signs: a mains CT reads the grid connection, positive while importing, negative while
// exporting (a "signed" input). A solar CT may read negative while producing (signed) or
// positive (unsigned): production is its magnitude. The house uses what the grid and the solar
// give it: use = grid + production. "Other" is what no circuit CT measures: use minus the
// metered circuits (without solar: mains minus circuits).
import { classify } from './roles.js';

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const watts = (input) => Number(input.Watts) || 0;

// Live figures from one /status?inputs answer, in W.
export function liveFigures(status) {
  const { mains, solar, circuits } = classify(status.inputs);
  const grid = sum(mains.map(watts));
  const production = sum(solar.map((i) => Math.abs(watts(i))));
  const list = circuits.map((i) => ({ name: i.name, watts: watts(i) })).sort((a, b) => b.watts - a.watts);
  const metered = sum(list.map((c) => c.watts));
  const use = mains.length ? grid + production : metered + production;
  return {
    hasMains: mains.length > 0, hasSolar: solar.length > 0,
    use, grid, import: Math.max(0, grid), export: Math.max(0, -grid), solar: production,
    circuits: list, metered, other: mains.length ? use - metered : 0,
  };
}

// The /query columns a period needs: every mains, solar and circuit input in Wh.
export function periodColumns(inputs) {
  const { mains, solar, circuits } = classify(inputs);
  return { mains: mains.map((i) => i.name), solar: solar.map((i) => i.name), circuits: circuits.map((i) => i.name) };
}

// Totals of a period, in Wh, from /query rows [time, mains..., solar..., circuits...] (the
// order of periodColumns). Import and export are split per row, so rows should be short (5 min
// for a day, an hour for a week or month): within a row only the net is known.
export function periodTotals(rows, columns) {
  const nm = columns.mains.length, ns = columns.solar.length;
  const circuitWh = columns.circuits.map(() => 0);
  let imported = 0, exported = 0, solar = 0;
  for (const row of rows || []) {
    const value = (k) => Number(row[1 + k]) || 0;
    let grid = 0;
    for (let k = 0; k < nm; k++) grid += value(k);
    imported += Math.max(0, grid);
    exported += Math.max(0, -grid);
    for (let k = nm; k < nm + ns; k++) solar += Math.abs(value(k));
    circuitWh.forEach((_, c) => { circuitWh[c] += Math.max(0, value(nm + ns + c)); });
  }
  const metered = sum(circuitWh);
  const use = nm ? imported - exported + solar : metered + solar;
  const circuits = columns.circuits.map((name, c) => ({ name, wh: circuitWh[c] })).sort((a, b) => b.wh - a.wh);
  const clamp = (x) => Math.min(1, Math.max(0, x));
  return {
    import: imported, export: exported, solar, use, circuits, metered,
    other: nm ? Math.max(0, use - metered) : 0,
    selfConsumption: solar > 0 ? clamp((solar - exported) / solar) : null,
    selfSufficiency: solar > 0 && use > 0 ? clamp((use - imported) / use) : null,
  };
}

// Use per row (Wh) of coarse /query rows in periodColumns order: grid + production.
export function usePerRow(rows, columns) {
  const nm = columns.mains.length, ns = columns.solar.length, nc = columns.circuits.length;
  return (rows || []).map((row) => {
    const v = (k) => Number(row[1 + k]) || 0;
    let use = 0;
    for (let k = 0; k < nm; k++) use += v(k);
    for (let k = nm; k < nm + ns; k++) use += Math.abs(v(k));
    if (!nm) for (let k = nm + ns; k < nm + ns + nc; k++) use += Math.max(0, v(k));
    return row.slice(1).every((x) => x === null || x === undefined) ? null : use;
  });
}

// The standby ("always on") baselines from 10-minute /query rows of the last day (energyQuery
// order, time.utc.unix first): the lowest average power of a whole row, for the house (use, as
// usePerRow) and for each circuit. The first and last rows (cut by the query's ends), rows
// without data and negative averages (export) are left out; the daemon's "<name>.standby"
// series (src/query/standby_series.h) is the same rule on 10-minute windows of UNIX time.
// {house, circuits: {name: watts}}, null where no row counts.
export function standbyOf(rows, columns) {
  const nm = columns.mains.length, ns = columns.solar.length;
  const use = usePerRow(rows, columns);
  const lower = (a, b) => (a === null ? b : Math.min(a, b));
  let house = null;
  const circuits = Object.fromEntries(columns.circuits.map((n) => [n, null]));
  for (let i = 1; i + 1 < (rows || []).length; i++) {
    const hours = (rows[i + 1][0] - rows[i][0]) / 3600;
    if (!(hours > 0)) continue;
    if (use[i] !== null && use[i] >= 0) house = lower(house, use[i] / hours);
    columns.circuits.forEach((name, c) => {
      const wh = rows[i][1 + nm + ns + c];
      if (wh !== null && wh !== undefined && wh >= 0) circuits[name] = lower(circuits[name], wh / hours);
    });
  }
  return { house, circuits };
}

// The flows of a period (Wh) for the Sankey picture: sources (grid import, solar) into the
// home, the home out to each circuit and "Other", solar's surplus out to the grid.
export function energyFlows(totals) {
  const selfUsed = Math.max(0, totals.solar - totals.export);
  const sinks = totals.circuits.filter((c) => c.wh > 0).map((c) => ({ name: c.name, wh: c.wh }));
  if (totals.other > 0) sinks.push({ name: 'Other', wh: totals.other, other: true });
  return {
    sources: [
      { name: 'Grid', wh: totals.import, kind: 'grid' },
      { name: 'Solar', wh: selfUsed, kind: 'solar' },
    ].filter((s) => s.wh > 0),
    home: totals.use,
    sinks,
    export: totals.export,
  };
}

// Period views: the query API's relative time specifiers (the daemon resolves them on its own
// clock and calendar), the row length for the totals and the chart's bucket.
export const PERIODS = {
  day: { label: 'Today', previous: 'Yesterday', begin: 'd', prevBegin: 'd-1d', prevEnd: 'd', fine: '5m', chart: 'h' },
  week: { label: 'This week', previous: 'Last week', begin: 'w', prevBegin: 'w-1w', prevEnd: 'w', fine: 'h', chart: 'd' },
  month: { label: 'This month', previous: 'Last month', begin: 'M', prevBegin: 'M-1M', prevEnd: 'M', fine: 'h', chart: 'd' },
  year: { label: 'This year', previous: 'Last year', begin: 'y', prevBegin: 'y-1y', prevEnd: 'y', fine: 'd', chart: 'M' },
};

// /query of `names` in Wh from begin to end by `group`: {labels, data: rows of [time.unix, ...]}.
export function energyQuery(names, begin, end, group) {
  const select = ['time.utc.unix', ...names.map((n) => `${n}.wh.d3`)];
  return `/query?select=[${select.join(',')}]&begin=${encodeURIComponent(begin)}&end=${encodeURIComponent(end)}`
    + `&group=${group}&format=json&header=yes&missing=null&limit=none`;
}

// kWh with a sensible precision ("12.4 kWh", "0.35 kWh").
export function kwhText(wh) {
  if (wh === null || wh === undefined || !Number.isFinite(wh)) return '–';
  const kwh = wh / 1000;
  return `${Math.abs(kwh) >= 100 ? kwh.toFixed(0) : Math.abs(kwh) >= 10 ? kwh.toFixed(1) : kwh.toFixed(2)} kWh`;
}

// Power for a large figure: "850 W", "3.42 kW".
export function powerText(w) {
  if (!Number.isFinite(w)) return '–';
  return Math.abs(w) >= 1000 ? `${(w / 1000).toFixed(2)} kW` : `${Math.round(w)} W`;
}

// The day before a local ISO time's date ("2026-03-01T00:00:00" -> "2026-02-28"): a day of
// the period before the one that begins then.
export function dayBefore(localIso) {
  const d = new Date(`${localIso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
