// The device's wall clock in the browser: graphs, custom ranges and CSV times are in the
// monitor's configured time zone (as the original's queries are), whatever zone the browser
// runs in. The zone comes from /status?device: `timezone` (IANA name; empty for the original's
// offset-and-DST-rule form) and `utc_offset` (seconds, now). Without a name the current offset
// is used for every instant, so labels across that zone's DST change are an hour off.
// Pure module: runs under node for the unit tests.

// {name, offset} from a /status answer (offset: seconds east of UTC).
export function deviceZone(status) {
  const d = status?.device || {};
  return { name: d.timezone || '', offset: Number(d.utc_offset) || 0 };
}

const formats = new Map();
function partsIn(name, unix) {
  if (!formats.has(name)) {
    formats.set(name, new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }));
  }
  const out = {};
  for (const p of formats.get(name).formatToParts(new Date(unix * 1000))) out[p.type] = Number(p.value);
  return out;
}

// Device-local time minus UTC at `unix`, in seconds.
export function offsetAt(zone, unix) {
  if (!zone.name) return zone.offset;
  const p = partsIn(zone.name, Math.floor(unix));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000 - Math.floor(unix);
}

// The device's wall-clock fields at `unix`: {year, month (1-12), day, hour, minute, second}.
export function wallClock(zone, unix) {
  const d = new Date((unix + offsetAt(zone, unix)) * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
    minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

// A Date whose browser-local fields read the device's wall clock at `unix` (what uPlot's
// tzDate option wants for its axis and legend).
export function shiftedDate(zone, unix) {
  const w = wallClock(zone, unix);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

const pad = (n) => String(n).padStart(2, '0');

// "YYYY-MM-DDTHH:MM" of `unix` on the device's clock, for <input type=datetime-local>.
export function toLocalInput(zone, unix) {
  const w = wallClock(zone, unix);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

// The instant of device-local "YYYY-MM-DDTHH:MM[:SS]" (NaN when it is not one). In a DST gap
// or overlap, the offset in force just before.
export function fromLocalInput(zone, text) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(text || '');
  if (!m) return NaN;
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0)) / 1000;
  let unix = naive - offsetAt(zone, naive);
  unix = naive - offsetAt(zone, unix);
  return unix;
}
