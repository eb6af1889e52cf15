// The energy-flow picture of a period, plain SVG: the grid and the solar on the left, the home
// in the middle, the circuits (and "Other") on the right, solar's surplus to the grid at the
// bottom right. Every band is as thick as its energy; a node is as tall as what flows through
// it. sankeyLayout is pure (tested under node); sankeySvg draws it.
import { kwhText } from './energy.js';

const NS = 'http://www.w3.org/2000/svg';

// Node rectangles and link bands for `flows` (energy.js energyFlows) in a width x height box.
// Invariant: on each side of a node its links stack without gaps and fill its height.
// A node takes at least `slot` px of its column, so small ones keep readable labels; the
// picture grows taller when they need more than `height`.
// `labels` and `labelsRight`: the room for the left and right columns' labels.
export function sankeyLayout(flows, { width = 640, height = 300, node = 14, gap = 6, labels = 130, labelsRight = labels, slot = 15 } = {}) {
  const production = flows.sources.filter((s) => s.kind === 'solar').reduce((a, s) => a + s.wh, 0) + flows.export;
  const left = flows.sources.map((s) => ({ ...s, wh: s.kind === 'solar' ? production : s.wh }));
  if (!left.some((s) => s.kind === 'solar') && flows.export > 0) left.push({ name: 'Solar', wh: flows.export, kind: 'solar' });
  const right = [...flows.sinks.map((s) => ({ ...s, kind: s.other ? 'other' : 'circuit' }))];
  if (flows.export > 0) right.push({ name: 'To grid', wh: flows.export, kind: 'export' });
  const total = Math.max(1e-9, left.reduce((a, s) => a + s.wh, 0), right.reduce((a, s) => a + s.wh, 0));
  const rows = Math.max(left.length, right.length, 1);
  const scale = Math.max(0, height - gap * (rows - 1)) / total;
  const xl = labels, xr = width - labelsRight - node, xm = (xl + xr) / 2;
  const top = 18;  // room for the home's label above it
  const column = (items, x) => {
    let y = top;
    return items.map((s) => {
      const h = s.wh * scale;
      const r = { ...s, x, y, h, out: y, in: y };
      y += Math.max(h, slot) + gap;
      return r;
    });
  };
  const l = column(left, xl), r = column(right, xr);
  const homeIn = l.reduce((a, s) => a + s.wh, 0) - flows.export;
  const home = { name: 'Home', wh: flows.home, kind: 'home', x: xm, y: 0, h: Math.max(homeIn, flows.home) * scale, in: 0, out: 0 };
  home.y = Math.max(top, (top + Math.max(...l.map((s) => s.y + s.h), top) - home.h) / 2);
  home.in = home.out = home.y;
  const links = [];
  const link = (from, to, wh, kind) => {
    const h = wh * scale;
    if (!(h > 0)) return;
    links.push({ kind, wh, x0: from.x + node, y0: from.out, x1: to.x, y1: to.in, h });
    from.out += h;
    to.in += h;
  };
  const exportNode = r.find((s) => s.kind === 'export');
  for (const s of l) {
    if (s.kind === 'solar' && exportNode) {
      link(s, home, s.wh - flows.export, 'solar');
      link(s, exportNode, flows.export, 'export');
    } else {
      link(s, home, s.wh, s.kind);
    }
  }
  for (const s of r) if (s.kind !== 'export') link(home, s, s.wh, s.kind);
  const bottom = Math.max(...[...l, ...r].map((s) => s.y + Math.max(s.h, slot)), home.y + home.h);
  return { width, height: bottom, node, nodes: [...l, home, ...r], links };
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function band(k) {
  const mid = (k.x0 + k.x1) / 2;
  return `M${k.x0},${k.y0} C${mid},${k.y0} ${mid},${k.y1} ${k.x1},${k.y1} L${k.x1},${k.y1 + k.h} `
    + `C${mid},${k.y1 + k.h} ${mid},${k.y0 + k.h} ${k.x0},${k.y0 + k.h} Z`;
}

// The picture as an <svg> scaled to its container's width.
export function sankeySvg(flows, options = {}) {
  const layout = sankeyLayout(flows, options);
  const svg = svgEl('svg', { viewBox: `0 0 ${layout.width} ${layout.height + 4}`, class: 'sankey', role: 'img',
    'aria-label': 'Energy flow: grid and solar to the home, the home to each circuit' });
  for (const k of layout.links) {
    const path = svgEl('path', { d: band(k), class: `flow ${k.kind}` });
    path.append(svgEl('title', {}, kwhText(k.wh)));
    svg.append(path);
  }
  for (const n of layout.nodes) {
    const g = svgEl('g', { class: `node ${n.kind}`, 'data-name': n.name, 'data-wh': n.wh.toFixed(1) });
    g.append(svgEl('rect', { x: n.x, y: n.y, width: layout.node, height: Math.max(1, n.h) }));
    const leftSide = n.kind === 'grid' || n.kind === 'solar' && n.x < layout.width / 2;
    const x = n.kind === 'home' ? n.x + layout.node / 2 : leftSide ? n.x - 4 : n.x + layout.node + 4;
    const anchor = n.kind === 'home' ? 'middle' : leftSide ? 'end' : 'start';
    const y = n.kind === 'home' ? n.y - 6 : n.y + Math.max(1, n.h) / 2 + 4;
    g.append(svgEl('text', { x, y, 'text-anchor': anchor }, `${n.name} ${kwhText(n.wh)}`));
    svg.append(g);
  }
  return svg;
}
