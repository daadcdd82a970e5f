// The analysis map's layers: hotspot cells (counts, KDE, Gi*), the
// forecast's top cells and the patrol suggestions, each a Leaflet layer
// with its legend rows. Tooltips are built from numbers and escaped ids.
import { L } from './map.js';
import { esc } from './format.js';

// Sequential reds for counts and densities, light to dark.
const SEQ = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];

// Gi*: hot reds and cold blues by confidence (as ArcGIS and PySAL maps do).
export const GI_CLASSES = [
  { sig: 3, colour: '#b2182b', label: '热点 99.9% 置信' },
  { sig: 2, colour: '#ef6548', label: '热点 99% 置信' },
  { sig: 1, colour: '#fdae6b', label: '热点 95% 置信' },
  { sig: -1, colour: '#9ecae1', label: '冷点 95% 置信' },
  { sig: -2, colour: '#4292c6', label: '冷点 99% 置信' },
  { sig: -3, colour: '#08519c', label: '冷点 99.9% 置信' },
];
const GI_COLOUR = new Map(GI_CLASSES.map((c) => [c.sig, c.colour]));

const METHOD_ZH = { counts: '网格计数', kde: '核密度（KDE）', gistar: 'Gi* 热点分析' };
export function methodZh(m) {
  return METHOD_ZH[m] || m;
}

function fmt(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return Number(x).toFixed(digits);
}

// Class breaks from the values' quantiles (distinct, ascending), so a map
// with a few very hot cells still shows the gradient of the rest.
function breaks(values) {
  const v = values.filter((x) => x > 0).sort((a, b) => a - b);
  if (!v.length) return [];
  const qs = [0.5, 0.75, 0.9, 0.97, 0.995];
  const out = [];
  for (const q of qs) {
    const x = v[Math.min(v.length - 1, Math.floor(q * v.length))];
    if (!out.length || x > out[out.length - 1]) out.push(x);
  }
  return out;
}

function classOf(x, bks) {
  let i = 0;
  while (i < bks.length && x > bks[i]) i++;
  return Math.min(i + (SEQ.length - 1 - bks.length), SEQ.length - 1);
}

// Returns {layer, legend: [{colour, label, outline?}], drawn}.
export function hotspotLayer(fc, { fdr = false, renderer } = {}) {
  const method = fc.meta.method;
  const features = fc.features;
  if (method === 'gistar') {
    const shown = features.filter((f) => f.properties.significance);
    const layer = L.geoJSON(
      { type: 'FeatureCollection', features: shown },
      {
        renderer,
        style: (f) => {
          const p = f.properties;
          const strong = fdr && p.fdr_significant;
          return {
            color: strong ? '#262626' : GI_COLOUR.get(p.significance),
            weight: strong ? 1.2 : 0.4,
            fillColor: GI_COLOUR.get(p.significance),
            fillOpacity: 0.75,
          };
        },
        onEachFeature: (f, l) => l.bindTooltip(() => cellTip(f.properties, method, fdr), { sticky: true }),
      },
    );
    const legend = GI_CLASSES.map((c) => ({ colour: c.colour, label: c.label }));
    if (fdr) legend.push({ colour: '#fff', outline: '#262626', label: '黑框：FDR 5% 检验下仍显著' });
    return { layer, legend, drawn: shown.length };
  }
  const key = method === 'kde' ? 'density' : 'count';
  const values = features.map((f) => Number(f.properties[key]) || 0);
  const bks = breaks(values);
  const layer = L.geoJSON(
    { type: 'FeatureCollection', features },
    {
      renderer,
      style: (f) => {
        const x = Number(f.properties[key]) || 0;
        const i = classOf(x, bks);
        return { color: SEQ[i], weight: 0.3, fillColor: SEQ[i], fillOpacity: 0.35 + 0.09 * i };
      },
      onEachFeature: (f, l) => l.bindTooltip(() => cellTip(f.properties, method, fdr), { sticky: true }),
    },
  );
  const digits = method === 'kde' ? 2 : 0;
  const legend = [];
  const first = SEQ.length - 1 - bks.length;
  let lo = 0;
  for (let i = 0; i <= bks.length; i++) {
    const hi = bks[i];
    const label =
      hi === undefined ? `> ${fmt(lo, digits)}` : i === 0 ? `≤ ${fmt(hi, digits)}` : `${fmt(lo, digits)} – ${fmt(hi, digits)}`;
    legend.push({ colour: SEQ[first + i], label: (method === 'kde' ? '密度 ' : '警情 ') + label });
    lo = hi;
  }
  return { layer, legend, drawn: features.length };
}

function cellTip(p, method, fdr) {
  const rows = [`网格 ${esc(p.cell)}`, `警情 ${fmt(p.count, 0)} 起`];
  if (method === 'kde') rows.push(`核密度 ${fmt(p.density, 3)}`);
  if (method === 'gistar') {
    const c = GI_CLASSES.find((x) => x.sig === p.significance);
    rows.push(`Gi* z = ${fmt(p.z, 2)}`);
    rows.push(c ? c.label : '不显著');
    if (fdr && p.fdr_significant !== undefined) rows.push(p.fdr_significant ? 'FDR 5%：显著' : 'FDR 5%：不显著');
  }
  return rows.join('<br>');
}

// The forecast's top `top` cells: purple, darker for more expected.
export function forecastLayer(fc, top = 100, renderer) {
  const features = fc.features.slice(0, top);
  const max = Math.max(...features.map((f) => f.properties.expected), 1e-9);
  const layer = L.geoJSON(
    { type: 'FeatureCollection', features },
    {
      renderer,
      style: (f) => {
        const r = f.properties.expected / max;
        return { color: '#531dab', weight: 1.2, dashArray: '3 2', fillColor: '#722ed1', fillOpacity: 0.15 + 0.5 * r };
      },
      onEachFeature: (f, l) =>
        l.bindTooltip(
          () =>
            `预测第 ${esc(f.properties.rank)} 名<br>网格 ${esc(f.properties.cell)}<br>预计警情 ${fmt(f.properties.expected, 3)} 起`,
          { sticky: true },
        ),
    },
  );
  return {
    layer,
    legend: [{ colour: '#722ed1', outline: '#531dab', label: `预测高发网格（前 ${features.length} 格）` }],
  };
}

const STATION_COLOURS = ['#13c2c2', '#2f54eb', '#52c41a', '#eb2f96', '#fa8c16', '#1d39c4', '#a0d911', '#fadb14'];

// Patrol suggestions: each station's cells outlined in its colour, the
// rank on the cell.
export function suggestionLayer(plan, renderer) {
  const group = L.layerGroup();
  const legend = [];
  plan.stations.forEach((s, i) => {
    const colour = STATION_COLOURS[i % STATION_COLOURS.length];
    for (const c of s.cells) {
      const ring = (c.outline || []).map(([lon, lat]) => [lat, lon]);
      const shape = ring.length
        ? L.polygon(ring, { renderer, color: colour, weight: 3, fillColor: colour, fillOpacity: 0.25 })
        : L.circleMarker([c.lat, c.lon], { renderer, radius: 8, color: colour, weight: 3 });
      shape.bindTooltip(
        `${esc(s.name)} 建议巡逻第 ${esc(c.rank)} 格<br>网格 ${esc(c.cell)}<br>预计警情 ${fmt(c.expected, 3)} 起<br>累计覆盖本所预计警情 ${fmt(c.cumulative_share * 100, 2)}%`,
        { sticky: true },
      );
      shape.addTo(group);
    }
    legend.push({ colour, outline: colour, label: `巡逻建议 · ${s.name}` });
  });
  return { layer: group, legend };
}

// A Leaflet control that shows the legend rows of the visible layers.
export function legendControl() {
  const control = L.control({ position: 'topright' });
  let el = null;
  control.onAdd = () => {
    el = L.DomUtil.create('div', 'an-legend');
    L.DomEvent.disableScrollPropagation(el);
    return el;
  };
  control.update = (sections) => {
    if (!el) return;
    el.textContent = '';
    for (const { title, rows } of sections) {
      if (!rows || !rows.length) continue;
      const h = L.DomUtil.create('div', 'an-legend-title', el);
      h.textContent = title;
      for (const r of rows) {
        const row = L.DomUtil.create('div', 'an-legend-row', el);
        const sw = L.DomUtil.create('span', 'an-swatch', row);
        sw.style.background = r.colour;
        if (r.outline) sw.style.borderColor = r.outline;
        row.appendChild(document.createTextNode(r.label));
      }
    }
    el.hidden = !el.childNodes.length;
  };
  return control;
}
