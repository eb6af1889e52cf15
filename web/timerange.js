// Time ranges and grouping for the graphs: presets as the query API's relative time
// specifiers (the daemon resolves them in its own time zone), and the group that gives about
// one point per pixel for a view.

export const PRESETS = [
  { id: 'hour', label: 'Last hour', begin: 's-1h', end: 's' },
  { id: 'last24h', label: 'Last 24 hours', begin: 's-24h', end: 's' },
  { id: 'today', label: 'Today', begin: 'd', end: 's' },
  { id: 'yesterday', label: 'Yesterday', begin: 'd-1d', end: 'd' },
  { id: 'last7', label: 'Last 7 days', begin: 'd-6d', end: 's' },
  { id: 'thisweek', label: 'This week', begin: 'w', end: 's' },
  { id: 'last30', label: 'Last 30 days', begin: 'd-29d', end: 's' },
  { id: 'thismonth', label: 'This month', begin: 'M', end: 's' },
  { id: 'lastmonth', label: 'Last month', begin: 'M-1M', end: 'M' },
  { id: 'last12m', label: 'Last 12 months', begin: 'M-11M', end: 's' },
  { id: 'last365', label: 'Last 365 days', begin: 'd-364d', end: 's' },
  { id: 'thisyear', label: 'This year', begin: 'y', end: 's' },
  { id: 'lastyear', label: 'Last year', begin: 'y-1y', end: 'y' },
];

export function preset(id) {
  return PRESETS.find((p) => p.id === id);
}

// Group lengths the query API accepts, shortest first (seconds).
const STEPS = [5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400,
  172800, 604800];

export function groupSpec(seconds) {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${seconds / 60}m`;
  if (seconds < 86400) return `${seconds / 3600}h`;
  return `${seconds / 86400}d`;
}

// The shortest step giving at most one point per `pixels` across `spanSeconds` (so a year
// on a 1300 px chart groups by 12 h: 730 points, not 525 600 minutes).
export function groupFor(spanSeconds, pixels) {
  const raw = spanSeconds / Math.max(50, pixels);
  const step = STEPS.find((s) => s >= raw) || STEPS[STEPS.length - 1];
  return { seconds: step, spec: groupSpec(step) };
}

// The length of a group spec in seconds ("15m", "1d"); a month or a year by its mean length.
const SPEC_SECONDS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2629746, y: 31556952 };
export function groupSeconds(spec) {
  const m = /^(\d+)([smhdwMy])$/.exec(spec || '');
  return m ? Number(m[1]) * SPEC_SECONDS[m[2]] : null;
}

// Unit names of /query?show=series and the select method of each.
export const UNIT_METHODS = { Watts: 'watts', Volts: 'volts', Amps: 'amps', VA: 'va', PF: 'pf', Hz: 'hz', VAR: 'var', VARh: 'varh', Wh: 'wh' };

// The units a series can be shown in: a VT in Volts and Hz; a CT in power units; an output
// in its own unit (and Wh for Watts outputs).
export function unitsFor(series) {
  if (series.unit === 'Volts') return ['Volts', 'Hz'];
  if (series.unit === 'Watts') return ['Watts', 'Wh', 'Amps', 'VA', 'PF', 'VAR', 'VARh'];
  return [series.unit];
}

export const DECIMALS = { Watts: 1, Volts: 2, Amps: 3, VA: 1, PF: 3, Hz: 3, VAR: 1, VARh: 1, Wh: 1 };

// Decimals of a value in the graph's legend and statistics: kWh and a currency (a cost series,
// "Mains.cost" in EUR) to the cent, the measured units to the tenth.
export const shownDecimals = (unit) => (unit === 'kWh' || !UNIT_METHODS[unit] ? 2 : 1);

// /query for traces [{name, unit}] over begin..end (specifiers or unix seconds).
export function queryUrl(traces, begin, end, group, { format = 'json', time = 'time.utc.unix' } = {}) {
  // A cost series ("Mains.cost", its unit a currency) takes no unit method: cents.
  const column = (t) => (UNIT_METHODS[t.unit] ? `${t.name}.${UNIT_METHODS[t.unit]}.d${DECIMALS[t.unit] ?? 1}` : `${t.name}.d2`);
  const columns = [time, ...traces.map(column)];
  const params = [`select=[${columns.join(',')}]`, `begin=${encodeURIComponent(begin)}`, `end=${encodeURIComponent(end)}`,
    `group=${group}`, `format=${format}`, 'header=yes', 'missing=null', 'limit=none'];
  return `/query?${params.join('&')}`;
}
