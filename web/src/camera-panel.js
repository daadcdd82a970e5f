// 一键调阅 on an incident's detail (issue 21): GET /api/incidents/{id}/cameras
// lists the cameras nearest the incident within a radius (distance in
// metres, nearest first). The card shows them in a table and on a small
// map around the incident (the units' boundaries, the radius, the cameras
// by status); a row's 定位 opens that camera's popup. The stream link is
// shown only when the API gives one (the caller holds cameras.view).
import { api, query } from './api.js';
import { esc } from './format.js';
import { explain } from './zh.js';
import { unitMap, L } from './map.js';
import { drawCameras, facingZh, streamLink } from './camera-layer.js';

const RADII = [100, 200, 300, 500, 1000];

// Puts the card into `parent` (before `before`, or last) for `incident`
// (with `units` of the user's scope for the map). Returns {destroy()}.
export function cameraPanel(parent, incident, units, before = null) {
  const card = document.createElement('section');
  card.className = 'card cam-card';
  card.dataset.testid = 'camera-callup';
  card.innerHTML = `
    <h3>周边视频监控</h3>
    <form class="row cam-form" novalidate>
      <label>范围 <select name="radius_m">${RADII.map((r) => `<option value="${r}"${r === 300 ? ' selected' : ''}>${r} 米</option>`).join('')}</select></label>
      <label class="cam-check"><input type="checkbox" name="online" /> 仅在线</label>
      <label class="cam-check"><input type="checkbox" name="facing" /> 仅朝向事发地</label>
      <button type="submit" class="primary" data-testid="camera-callup-go">一键调阅</button>
    </form>
    <p class="form-error cam-error" role="alert"></p>
    <p class="muted cam-summary"></p>
    <div class="map cam-map" hidden></div>
    <table class="cam-list" hidden>
      <thead><tr><th>监控点</th><th class="num">距离</th><th>状态</th><th>朝向</th><th>权属</th><th>视频</th><th></th></tr></thead>
      <tbody></tbody>
    </table>`;
  parent.insertBefore(card, before);
  const form = card.querySelector('form');
  const errLine = card.querySelector('.cam-error');
  const summary = card.querySelector('.cam-summary');
  const mapEl = card.querySelector('.cam-map');
  const table = card.querySelector('.cam-list');
  let map = null;
  let drawn = null;
  let gone = false;
  let markers = new Map();

  if (!incident.location) {
    form.querySelector('button').disabled = true;
    summary.textContent = '该警情没有坐标，无法调阅周边视频。';
  }

  async function showMap(answer) {
    mapEl.hidden = false;
    if (!map) {
      map = await unitMap(mapEl, units || [], { labels: false });
      if (gone) {
        map.remove();
        map = null;
        return;
      }
    }
    if (drawn) map.removeLayer(drawn);
    const at = [answer.lat, answer.lon];
    const features = answer.items.map((c) => ({
      type: 'Feature',
      id: c.code,
      geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
      properties: c,
    }));
    const layer = drawCameras(map, features);
    const circle = L.circle(at, { radius: answer.radius_m, color: '#fa541c', weight: 1, fillOpacity: 0.05, interactive: false });
    const here = L.circleMarker(at, { radius: 7, color: '#fff', weight: 2, fillColor: '#f5222d', fillOpacity: 1 }).bindTooltip('事发地');
    drawn = L.layerGroup([circle, layer.group, here]).addTo(map);
    markers = layer.byCode;
    map.invalidateSize();
    map.fitBounds(circle.getBounds(), { padding: [12, 12], animate: false });
  }

  function showList(answer) {
    const items = answer.items;
    const online = items.filter((c) => c.status !== 'offline').length;
    summary.textContent = items.length
      ? `事发地 ${answer.radius_m} 米内最近的 ${items.length} 路监控（在线 ${online} 路），由近及远。`
      : `事发地 ${answer.radius_m} 米内没有登记的监控，可扩大范围再调阅。`;
    table.hidden = !items.length;
    table.querySelector('tbody').innerHTML = items
      .map(
        (c) => `
        <tr data-camera="${esc(c.code)}" class="cam-row-${esc(c.status)}">
          <td>${esc(c.name)}<div class="muted">${esc(c.code)}</div></td>
          <td class="num" data-testid="camera-distance">${esc(Math.round(c.distance_m))} 米</td>
          <td><span class="cam-status cam-${esc(c.status)}">${esc(c.status_zh || c.status)}</span></td>
          <td>${esc(facingZh(c.direction_deg))}</td>
          <td>${esc(c.owner_kind_zh || c.owner_kind)}${c.owner_name ? `<div class="muted">${esc(c.owner_name)}</div>` : ''}</td>
          <td>${c.stream_url ? streamLink(c.stream_url) : '<span class="muted">—</span>'}</td>
          <td><button type="button" class="link cam-locate">定位</button></td>
        </tr>`,
      )
      .join('');
  }

  table.addEventListener('click', (e) => {
    const b = e.target.closest('.cam-locate');
    if (!b || !map) return;
    const code = b.closest('tr').dataset.camera;
    const m = markers.get(code);
    if (m) {
      map.setView(m.getLatLng(), Math.max(map.getZoom(), 16));
      m.openPopup();
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errLine.textContent = '';
    const f = form.elements;
    const params = { radius_m: f.radius_m.value, online: f.online.checked ? 'true' : '', facing: f.facing.checked ? 'true' : '' };
    card.classList.add('cam-busy');
    try {
      const answer = await api.get(`/api/incidents/${incident.id}/cameras` + query(params));
      if (gone) return;
      showList(answer);
      card.dataset.count = String(answer.items.length);
      await showMap(answer);
    } catch (err) {
      if (!gone) errLine.textContent = explain(err);
    } finally {
      card.classList.remove('cam-busy');
    }
  });

  return {
    destroy() {
      gone = true;
      if (map) map.remove();
      map = null;
    },
  };
}
