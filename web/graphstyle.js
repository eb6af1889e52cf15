// Graph+ per-trace style and y-axis limits: a trace draws as the chart says ("chart"), or as
// a line or bars whatever the chart; each unit's axis may have a fixed minimum and maximum.
import { el } from './api.js';

export const TRACE_STYLES = [['chart', 'as chart'], ['line', 'line'], ['bars', 'bars'], ['total', 'total (not stacked)']];

// A total (the mains, the grid) is the sum of circuits, not one of them: a stacked chart puts
// the circuits on top of each other and draws a total beside them, never on top. A trace is a
// total when its style says so or, left "as chart", when its name says so.
const TOTAL_NAME = /^(mains?|total|grid|import|export)([\s_-]|$)/i;
export function isTotal(trace) {
  const style = trace.style || 'chart';
  return style === 'total' || (style === 'chart' && TOTAL_NAME.test(trace.name));
}

// Does this trace draw as bars? Energy per day or month always does.
export function drawsBars(trace, mode, energy) {
  if (energy !== 'none') return true;
  const style = trace.style || 'chart';
  return style === 'bars' || ((style === 'chart' || style === 'total') && mode === 'bars');
}

// Bars side by side within their group, not on top of each other: each bar trace gets a slot
// (stacked circuits share one, each other bar trace has its own) and is drawn over
// [t + offset, t + offset + size] of the group [t, t + step). null for a trace drawn as a line.
export function barSlots(traces, bars, stacked, step) {
  const slotOf = [];
  let slots = 0, stackSlot = -1;
  traces.forEach((t, i) => {
    if (!bars[i]) { slotOf.push(null); return; }
    if (stacked && !isTotal(t)) {
      if (stackSlot < 0) stackSlot = slots++;
      slotOf.push(stackSlot);
    } else {
      slotOf.push(slots++);
    }
  });
  const width = 0.8 * step / Math.max(1, slots);
  return slotOf.map((slot) => (slot === null ? null : { offset: 0.1 * step + slot * width, size: width }));
}

// uPlot range function of a unit's y axis: the data's range including 0, unless limited.
export function yRange(limits, unit) {
  return (u, min, max) => {
    const lim = limits?.[unit] || {};
    const lo = Number.isFinite(lim.min) ? lim.min : Math.min(0, min);
    let hi = Number.isFinite(lim.max) ? lim.max : max;
    if (!(hi > lo)) hi = lo + 1;
    return [lo, hi];
  };
}

// One "min / max" pair per unit on the chart; `changed` runs after an edit of state.limits.
export function limitInputs(units, limits, changed) {
  const pair = (unit) => ['min', 'max'].map((end) => {
    const input = el('input', { type: 'number', step: 'any', class: 'axis-limit', size: 6, placeholder: 'auto',
      value: limits[unit]?.[end] ?? '', dataset: { unit, end }, 'aria-label': `${unit} axis ${end}` });
    input.addEventListener('change', () => {
      const v = input.value.trim() === '' ? null : Number(input.value);
      limits[unit] = { ...(limits[unit] || {}) };
      if (v === null || !Number.isFinite(v)) delete limits[unit][end]; else limits[unit][end] = v;
      if (!Object.keys(limits[unit]).length) delete limits[unit];
      changed();
    });
    return el('label', { class: 'field' }, `${unit} ${end}`, input);
  });
  return units.map(pair).flat();
}
