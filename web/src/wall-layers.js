// The wall's map layers: incidents as circle markers coloured by class
// (SVG renderer in a pane of their own, so a marker of an incident still
// waiting for dispatch can carry the CSS class `pulse`), patrol units as
// small labelled squares coloured by status that move with the stream, and
// hotspot / forecast cells as semi-transparent rectangles.
import { L } from './map.js';
import { CLASS_COLOURS, classColour } from './taxonomy.js';
import { esc } from './format.js';

// The taxonomy's classes that CLASS_COLOURS does not name yet (求助, 灾害).
const EXTRA_CLASS_COLOURS = { help: '#36cfc9', disaster: '#ff7a45' };

export function incidentColour(code) {
  return CLASS_COLOURS[code] || EXTRA_CLASS_COLOURS[code] || classColour(code);
}

export const UNIT_STATUS_COLOURS = {
  available: '#52c41a',
  dispatched: '#fa8c16',
  en_route: '#fa8c16',
  busy: '#fa8c16',
  on_scene: '#1677ff',
  off_duty: '#8c8c8c',
};

const KIND_GLYPH = { car: '车', motorcycle: '摩', ebike: '电', foot: '步' };

function pane(map, name, zIndex) {
  const p = map.getPane(name) || map.createPane(name);
  p.style.zIndex = String(zIndex);
  return p;
}

function located(inc) {
  const loc = inc && inc.location;
  return loc && Number.isFinite(loc.lat) && Number.isFinite(loc.lon) ? [loc.lat, loc.lon] : null;
}

// Incident markers by id. `historic` markers (the fallback when today has
// none) are drawn smaller and dimmer than today's.
export function incidentLayer(map) {
  pane(map, 'wall-incidents', 450);
  const renderer = L.svg({ pane: 'wall-incidents' });
  const group = L.layerGroup().addTo(map);
  const markers = new Map();

  function style(inc, historic) {
    const received = inc.status === 'received';
    const colour = incidentColour(inc.class && inc.class.code);
    return {
      radius: historic ? 5 : received ? 12 : 8,
      color: received ? '#ffffff' : colour,
      weight: received ? 3 : 1,
      fillColor: colour,
      fillOpacity: historic ? 0.45 : 0.85,
      opacity: historic ? 0.6 : 1,
    };
  }

  function tooltip(inc) {
    return `${esc(inc.type && inc.type.name_zh)} · ${esc(inc.status_zh)}<br>${esc(inc.address)}`;
  }

  function upsert(inc, { historic = false } = {}) {
    const at = located(inc);
    const gone = inc.voided || inc.merged_into;
    const known = markers.get(inc.id);
    if (!at || gone) {
      if (known) remove(inc.id);
      return;
    }
    const received = inc.status === 'received';
    if (known) {
      // A stream event makes a historic marker a live one.
      known.wallHistoric = known.wallHistoric && historic;
      known.wallStatus = inc.status;
      known.setLatLng(at);
      known.setStyle(style(inc, known.wallHistoric));
      known.options.className = received ? 'pulse' : '';
      const el = known.getElement();
      if (el) el.classList.toggle('pulse', received);
      known.setTooltipContent(tooltip(inc));
      if (received) known.bringToFront();
      return;
    }
    const m = L.circleMarker(at, { renderer, pane: 'wall-incidents', className: received ? 'pulse' : '', ...style(inc, historic) });
    m.wallStatus = inc.status;
    m.wallHistoric = historic;
    m.bindTooltip(tooltip(inc), { direction: 'top', className: 'wall-tip' });
    m.addTo(group);
    // The marker names its incident (the browser tests look for it on the map).
    const el = m.getElement();
    if (el) el.setAttribute('data-incident-id', String(inc.id));
    markers.set(inc.id, m);
  }

  function remove(id) {
    const m = markers.get(id);
    if (m) group.removeLayer(m);
    markers.delete(id);
  }

  return {
    upsert,
    remove,
    has: (id) => markers.has(id),
    size: () => markers.size,
    waiting: () => [...markers.values()].filter((m) => m.wallStatus === 'received').length,
  };
}

// Patrol units by call sign: a square with the kind's glyph, coloured by
// status; units without a position are counted but not drawn.
export function patrolLayer(map) {
  const group = L.layerGroup().addTo(map);
  const units = new Map();

  function icon(u) {
    const status = UNIT_STATUS_COLOURS[u.status] ? u.status : 'off_duty';
    return L.divIcon({
      className: `wall-unit wall-unit-${status}`,
      html: KIND_GLYPH[u.kind] || '巡',
      iconSize: [24, 24],
      iconAnchor: [12, 12],
    });
  }

  function upsert(u) {
    if (!u || !u.call_sign) return;
    const known = units.get(u.call_sign);
    const merged = known ? { ...known.data, ...u } : { ...u };
    if (u.position === undefined && known) merged.position = known.data.position;
    const at = merged.position && Number.isFinite(merged.position.lat) ? [merged.position.lat, merged.position.lon] : null;
    let marker = known && known.marker;
    if (at) {
      if (!marker) {
        marker = L.marker(at, { icon: icon(merged), keyboard: false }).addTo(group);
        marker.bindTooltip('', { direction: 'top', className: 'wall-tip' });
      } else {
        marker.setLatLng(at);
        if (!known || known.data.status !== merged.status || known.data.kind !== merged.kind) marker.setIcon(icon(merged));
      }
      marker.setTooltipContent(`${esc(merged.call_sign)} · ${esc(merged.status_zh || merged.status)}`);
    }
    units.set(u.call_sign, { data: merged, marker });
  }

  // Units by status (every unit, drawn or not).
  function byStatus() {
    const out = {};
    for (const { data } of units.values()) out[data.status] = (out[data.status] || 0) + 1;
    return out;
  }

  return { upsert, byStatus, size: () => units.size };
}

// Cells of GET /api/hotspots or /api/forecast as rectangles, the stronger
// the more opaque; `value` names the property to scale by.
const PALETTES = {
  heat: ['#ffd666', '#ff7a45', '#ff4d4f'],
  forecast: ['#b37feb', '#f759ab', '#ff85c0'],
};

export function cellLayer(map, features, value, palette = 'heat') {
  const colours = PALETTES[palette] || PALETTES.heat;
  pane(map, 'wall-cells', 420);
  const renderer = L.canvas({ pane: 'wall-cells' });
  const group = L.layerGroup();
  let max = 0;
  for (const f of features) max = Math.max(max, Number(f.properties && f.properties[value]) || 0);
  for (const f of features) {
    const ring = f.geometry && f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : null;
    if (!ring || !ring.length) continue;
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [lon, lat] of ring) {
      w = Math.min(w, lon);
      e = Math.max(e, lon);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    }
    const ratio = max > 0 ? (Number(f.properties[value]) || 0) / max : 0;
    L.rectangle(
      [
        [s, w],
        [n, e],
      ],
      {
        renderer,
        pane: 'wall-cells',
        stroke: false,
        fillColor: colours[ratio > 0.6 ? 2 : ratio > 0.3 ? 1 : 0],
        fillOpacity: 0.22 + 0.5 * ratio,
        interactive: false,
      },
    ).addTo(group);
  }
  return group;
}
