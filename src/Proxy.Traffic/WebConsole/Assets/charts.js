// Our own small SVG charts: weight bars and sparklines, sized by CSS, colours from the stylesheet's variables.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

// One row: the configured weight as a light bar, the effective weight (after breakers) as a solid bar over it.
export function weightBar(configured, effective, label) {
  const chart = svg('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'bar', role: 'img', 'aria-label': label });
  chart.append(svg('rect', { x: 0, y: 0, width: 100, height: 10, class: 'bar-track' }));
  chart.append(svg('rect', { x: 0, y: 0, width: Math.max(0, Math.min(100, configured)), height: 10, class: 'bar-configured' }));
  chart.append(svg('rect', { x: 0, y: 3, width: Math.max(0, Math.min(100, effective)), height: 4, class: 'bar-effective' }));
  return chart;
}

// A line over the samples (oldest first); the latest value is written beside it by the caller.
export function sparkline(values, label, fixedMax) {
  const width = 120;
  const height = 28;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'spark', role: 'img', 'aria-label': label });
  if (values.length === 0) return chart;
  const max = fixedMax ?? Math.max(...values, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  chart.append(svg('polyline', { points: points.join(' '), class: 'spark-line', fill: 'none' }));
  return chart;
}
