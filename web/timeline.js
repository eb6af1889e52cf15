// The arithmetic of the events page: a day on the monitor's clock, and each circuit's runs
// (on to off) built from its step events (/events). Pure module: runs under node for the unit
// tests.
import { fromLocalInput, wallClock } from './devicetime.js';

const pad = (n) => String(n).padStart(2, '0');

// The device-local day holding `unix`: {begin, end} (UNIX seconds; 23 or 25 hours across a
// DST change) and its date as "YYYY-MM-DD".
export function dayAround(zone, unix) {
  const w = wallClock(zone, unix);
  const date = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  const next = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  const nextDate = `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
  return { date, begin: fromLocalInput(zone, `${date}T00:00`), end: fromLocalInput(zone, `${nextDate}T00:00`) };
}

// Each circuit's runs over [begin, end) from its events (any order), as rows in channel order:
// {channel, name, runs: [{begin, end, watts, open, before}], events}. A run opens at an "on"
// event, follows "change" events (one run per level, so a washer's heater shows as a higher
// part of the run) and closes at "off". A day whose first event on a circuit is an "off" or a
// "change" began with the circuit on: its run starts at `begin` (before: true). A run still on
// at the end closes at min(end, now) (open: true).
export function circuitRuns(events, begin, end, now) {
  const rows = new Map();
  const sorted = [...events].sort((a, b) => a.time - b.time);
  for (const e of sorted) {
    if (!rows.has(e.channel)) rows.set(e.channel, { channel: e.channel, name: e.name || `Input ${e.channel}`, runs: [], events: [], level: null });
    const row = rows.get(e.channel);
    row.events.push(e);
    const t = Math.min(Math.max(e.time, begin), end);
    if (row.level) {
      row.runs.push({ begin: row.level.begin, end: t, watts: row.level.watts, open: false, before: row.level.before });
      row.level = null;
    } else if (e.kind !== 'on' && row.events.length === 1) {
      row.runs.push({ begin, end: t, watts: e.watts_before, open: false, before: true });
    }
    if (e.kind !== 'off') row.level = { begin: t, watts: e.watts_after, before: false };
  }
  const stop = Math.min(end, Math.max(begin, now));
  const out = [];
  for (const row of [...rows.values()].sort((a, b) => a.channel - b.channel)) {
    if (row.level && row.level.begin < stop) row.runs.push({ begin: row.level.begin, end: stop, watts: row.level.watts, open: true, before: row.level.before });
    row.runs = row.runs.filter((r) => r.end > r.begin);
    delete row.level;
    out.push(row);
  }
  return out;
}

// How long a circuit was on over its runs, in seconds.
export function onSeconds(row) {
  return row.runs.reduce((a, r) => a + (r.end - r.begin), 0);
}

// Watt-hours of a row's runs at their settled levels: an estimate (the datalog has the exact
// energy), good enough to tell a 2 kWh wash from a 0.2 kWh one.
export function runWh(row) {
  return row.runs.reduce((a, r) => a + Math.max(0, r.watts) * (r.end - r.begin) / 3600, 0);
}

// "HH:MM:SS" on the device's clock.
export function clockText(zone, unix) {
  const w = wallClock(zone, unix);
  return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

// Cycling appliances (a fridge, a freezer, a heat pump's compressor): the share of each day a
// circuit was on, and a flag when the last day's share rose by `rise` (15 %) or more over the
// median of the days before: a fridge whose door seal or coils fail runs longer long before it
// fails. `days` are the events of consecutive 24-hour windows, newest first, [{begin, end,
// events}]. A circuit counts as cycling when it ran at least `minRuns` times in each earlier day
// it has data for (at least 3 such days). Returns [{channel, name, last, usual, runs, flagged}]
// (shares 0..1), flagged first.
export function dutyCycles(days, { rise = 0.15, minRuns = 10, minDays = 3 } = {}) {
  const perDay = days.map((d) => new Map(circuitRuns(d.events, d.begin, d.end, d.end).map((row) => [row.channel, {
    name: row.name, share: onSeconds(row) / (d.end - d.begin), runs: row.events.filter((e) => e.kind === 'on').length,
  }])));
  if (perDay.length < 1 + minDays) return [];
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const out = [];
  for (const [channel, last] of perDay[0]) {
    const before = perDay.slice(1).map((m) => m.get(channel)).filter(Boolean);
    if (before.length < minDays || before.some((d) => d.runs < minRuns)) continue;
    const usual = median(before.map((d) => d.share));
    out.push({ channel, name: last.name, last: last.share, usual, runs: last.runs, flagged: usual > 0 && last.share >= usual * (1 + rise) });
  }
  return out.sort((a, b) => Number(b.flagged) - Number(a.flagged) || a.channel - b.channel);
}
