// A Leaflet map of the user's units: boundaries drawn from the units'
// GeoJSON (GET /api/units?geometry=1), so the map works on a closed
// network with no tile server; an intranet tile URL (the server's
// --map-tile-url, in /api/health) adds a base layer when there is one.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api } from './api.js';

let tileUrl;

async function tileSetting() {
  if (tileUrl !== undefined) return tileUrl;
  try {
    const health = await api.get('/api/health');
    tileUrl = health.map_tile_url || '';
  } catch {
    tileUrl = '';
  }
  return tileUrl;
}

const KIND_STYLE = {
  bureau: { weight: 3, fillOpacity: 0.02 },
  station: { weight: 2, fillOpacity: 0.04 },
  community: { weight: 1, fillOpacity: 0.03, dashArray: '4 4' },
};

// Draws `units` (those with a boundary) into a new map inside `element`
// and fits the view to them. `dark` for the wall.
export async function unitMap(element, units, { dark = false, labels = true } = {}) {
  const map = L.map(element, { preferCanvas: true, zoomControl: !dark, attributionControl: false, zoomSnap: 0.25 });
  const url = await tileSetting();
  if (url) L.tileLayer(url, { maxZoom: 19 }).addTo(map);
  const stroke = dark ? '#5cdbd3' : '#1d39c4';
  const layer = L.geoJSON(
    {
      type: 'FeatureCollection',
      features: units
        .filter((u) => u.boundary)
        .map((u) => ({ type: 'Feature', properties: { code: u.code, name: u.name, kind: u.kind }, geometry: u.boundary })),
    },
    {
      style: (f) => ({ color: stroke, fillColor: stroke, ...(KIND_STYLE[f.properties.kind] || KIND_STYLE.community) }),
      onEachFeature: (f, l) => {
        if (labels && f.properties.kind === 'station')
          l.bindTooltip(f.properties.name, { permanent: true, direction: 'center', className: 'unit-label' });
      },
    },
  ).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
  else map.setView([36.65, 117.0], 11);
  return map;
}

export { L };
