// Cameras of the base registry on a map (issue 21): GET /api/cameras is a
// GeoJSON FeatureCollection of every camera of the user's subtree (about
// 2,000 in the demo district). Each is a small SVG marker in a pane of its
// own, coloured by status (online filled, offline grey and hollow), naming
// its camera (`data-camera`, the browser tests look for it); a click opens
// a popup with the name, owner, status and facing. The layer is loaded the
// first time it is shown and kept until the map goes.
//
// Stream URLs come only to users holding cameras.view (the server leaves
// the member out otherwise); the popup links one only when it is there.
import './camera.css';
import { L } from './map.js';
import { api } from './api.js';
import { esc } from './format.js';
import { explain } from './zh.js';

export const CAMERA_COLOURS = { online: '#13c2c2', offline: '#8c8c8c' };

const COMPASS = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];

// 37° → "东北（37°）"; no direction → "全向/未登记".
export function facingZh(deg) {
  if (deg === null || deg === undefined || !Number.isFinite(Number(deg))) return '未登记（全向）';
  const d = ((Number(deg) % 360) + 360) % 360;
  return `${COMPASS[Math.round(d / 45) % 8]}（${Math.round(d)}°）`;
}

// A stream link only for a URL the browser can open as a link (http, https,
// rtsp); anything else is shown as text, never as a href.
export function streamLink(url) {
  if (!url) return '';
  if (/^(https?|rtsp|rtmp):\/\//i.test(url)) return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer" class="cam-stream">调阅视频</a>`;
  return `<span class="cam-stream muted">${esc(url)}</span>`;
}

export function cameraPopup(p) {
  const fov = p.field_of_view_deg ? `，视角 ${esc(Math.round(p.field_of_view_deg))}°` : '';
  return `
    <div class="cam-popup">
      <strong>${esc(p.name)}</strong>
      <span class="cam-status cam-${esc(p.status)}">${esc(p.status_zh || p.status)}</span>
      <div>编号：${esc(p.code)}</div>
      <div>权属：${esc(p.owner_kind_zh || p.owner_kind)}${p.owner_name ? ` · ${esc(p.owner_name)}` : ''}</div>
      <div>朝向：${esc(facingZh(p.direction_deg))}${fov}</div>
      ${p.distance_m !== undefined ? `<div>距离：${esc(Math.round(p.distance_m))} 米</div>` : ''}
      ${streamLink(p.stream_url)}
    </div>`;
}

function markerStyle(status, dark) {
  const online = status !== 'offline';
  return {
    radius: online ? 4 : 3.5,
    color: online ? (dark ? '#e6fffb' : '#006d75') : CAMERA_COLOURS.offline,
    weight: 1,
    fillColor: online ? CAMERA_COLOURS.online : 'transparent',
    fillOpacity: online ? 0.9 : 0,
    dashArray: online ? null : '2 2',
  };
}

// Draws `features` (GeoJSON points) into a new layer group on `map`;
// returns {group, online, offline, byCode (code -> marker)}.
export function drawCameras(map, features, { dark = false, pane = 'cameras' } = {}) {
  const p = map.getPane(pane) || map.createPane(pane);
  p.style.zIndex = '440';
  const renderer = L.svg({ pane });
  const group = L.layerGroup();
  const byCode = new Map();
  let online = 0;
  let offline = 0;
  for (const f of features) {
    const c = f.geometry && f.geometry.coordinates;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) continue;
    const props = { ...f.properties, code: (f.properties && f.properties.code) || f.id };
    if (props.status === 'offline') offline++;
    else online++;
    const m = L.circleMarker([c[1], c[0]], { renderer, pane, className: `cam cam-${props.status}`, ...markerStyle(props.status, dark) });
    m.bindPopup(() => cameraPopup(props), { className: dark ? 'cam-popup-dark' : '' });
    m.on('add', () => {
      const el = m.getElement();
      if (el) el.setAttribute('data-camera', String(props.code));
    });
    m.addTo(group);
    byCode.set(String(props.code), m);
  }
  return { group, online, offline, byCode };
}

// The 「视频监控」 toggle: a button appended to `box` (the wall's layer
// buttons, or any toolbar) that shows and hides every camera of the
// user's subtree on `map`, with a note of how many are on and offline.
// `on` shows them at once (#/wall?cameras=1, for a wall nobody touches).
// The button's state is the class `on` (not `active`, which the wall's
// exclusive layer buttons clear). Returns {show(on), destroy()}.
export function cameraToggle(map, box, { dark = false, on = false } = {}) {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.testid = 'camera-toggle';
  button.dataset.layer = 'cameras';
  button.className = 'cam-toggle';
  button.textContent = '视频监控';
  button.setAttribute('aria-pressed', 'false');
  const note = document.createElement('span');
  note.className = 'note cam-note';
  note.dataset.testid = 'camera-note';
  box.append(button, note);
  const onNote = (text) => {
    note.textContent = text;
  };
  let layer = null;
  let loading = null;
  let shown = false;
  let gone = false;

  async function load() {
    const data = await api.get('/api/cameras');
    if (gone) return null;
    return drawCameras(map, data.features || [], { dark });
  }

  async function show(wanted) {
    shown = wanted;
    button.classList.toggle('on', wanted);
    button.setAttribute('aria-pressed', String(wanted));
    if (!wanted) {
      if (layer && map.hasLayer(layer.group)) map.removeLayer(layer.group);
      onNote('');
      return;
    }
    if (!layer) {
      onNote('正在加载视频监控点位…');
      try {
        loading = loading || load();
        layer = await loading;
      } catch (err) {
        loading = null;
        if (!gone) onNote('视频监控加载失败：' + explain(err));
        return;
      }
      if (!layer) return;
    }
    if (gone || !shown) return;
    layer.group.addTo(map);
    button.dataset.count = String(layer.online + layer.offline);
    onNote(`视频监控 ${layer.online + layer.offline} 路 · 在线 ${layer.online} · 离线 ${layer.offline}`);
  }

  button.addEventListener('click', () => show(!shown));
  if (on) show(true);
  return {
    show,
    destroy() {
      gone = true;
      button.remove();
      note.remove();
    },
  };
}
