// 调度台 (#/desk): the patrol units of the user's scope on the map, coloured
// by status and moving with the live stream; a board of the same units by
// status; a unit's track and its duty/arrive/clear buttons; the posts
// (执勤点位) on the map and the shifts of a chosen day.
import './desk.css';
import { api, query } from '../api.js';
import { explain } from '../zh.js';
import { esc, isoDate, addDays } from '../format.js';
import { reference } from '../taxonomy.js';
import { unitMap, L } from '../map.js';
import { openStream, STREAM_STATE_ZH } from '../stream.js';
import {
  boardHtml,
  summaryHtml,
  detailHtml,
  shiftsHtml,
  statusColour,
  isStale,
  minuteTime,
  STATUS_COLOURS,
  subtree,
} from '../desk-board.js';

const POST_KIND_CLASS = { night: 'night', school: 'school', checkpoint: 'checkpoint', traffic: 'traffic' };
const TRACK_HOURS = 8;

export async function render(container, ctx) {
  const canWrite = ctx.can('patrol.write');
  const today = isoDate(new Date());
  container.innerHTML = `
    <div class="desk">
      <div class="toolbar desk-bar">
        <h2 class="desk-title">调度台</h2>
        <span class="desk-summary" data-testid="unit-summary"></span>
        <span class="desk-stream" data-state="connecting">${STREAM_STATE_ZH.connecting}</span>
      </div>
      <p class="form-error desk-error" role="alert"></p>
      <div class="desk-main">
        <div class="card desk-map-card">
          <div class="map desk-map" data-testid="desk-map"></div>
          <label class="desk-toggle"><input type="checkbox" name="posts" checked /> 显示执勤点位</label>
        </div>
        <div class="desk-side">
          <div class="card desk-detail" data-testid="unit-detail"></div>
          <div class="card desk-board-card">
            <div class="desk-board-head">
              <h2>警力状态</h2>
              <input type="search" name="filter" placeholder="筛选呼号或派出所" aria-label="筛选呼号或派出所" />
            </div>
            <div class="desk-board" data-testid="unit-board"><p class="loading">正在加载警力…</p></div>
          </div>
        </div>
      </div>
      <div class="desk-lower">
      <div class="card desk-shifts">
        <div class="toolbar">
          <h2>勤务班次</h2>
          <label class="desk-inline">日期<input type="date" name="day" value="${today}" /></label>
          <button type="button" data-day="-1">前一天</button>
          <button type="button" data-day="0">今天</button>
          <button type="button" data-day="1">后一天</button>
          <span class="desk-shift-sum muted"></span>
        </div>
        <p class="field-error" data-for="from"></p>
        <div class="desk-shift-table" data-testid="shift-table"><p class="loading">正在加载班次…</p></div>
      </div>
      <div class="card desk-posts">
        <h2>执勤点位</h2>
        <div class="desk-post-list"><p class="loading">正在加载点位…</p></div>
      </div>
      </div>
    </div>`;

  const $ = (sel) => container.querySelector(sel);
  const mapEl = $('[data-testid=desk-map]');
  const boardEl = $('[data-testid=unit-board]');
  const detailEl = $('[data-testid=unit-detail]');
  const streamEl = $('.desk-stream');
  const errorEl = $('.desk-error');
  const filterEl = $('input[name=filter]');

  let closed = false;
  let closeStream = null;
  let map = null;
  let unitLayer = null;
  let postLayer = null;
  let trackLayer = null;
  let selected = null;
  let track = null;
  let trackToken = 0;
  let boardFrame = 0;
  const units = new Map(); // call sign → unit
  const markers = new Map(); // call sign → circle marker
  let ref = null;
  let posts = [];

  const cleanup = () => {
    closed = true;
    if (closeStream) closeStream();
    closeStream = null;
    if (boardFrame) cancelAnimationFrame(boardFrame);
    if (map) map.remove();
    map = null;
  };
  // The page is gone when left (cleanup ran) or when the router replaced
  // it before render() returned its cleanup.
  const root = $('.desk');
  const gone = () => {
    if (!closed && !root.isConnected) cleanup();
    return closed;
  };

  const unitName = (code) => (ref && ref.unitByCode.get(code)?.name) || code;
  const postName = (code) => posts.find((p) => p.code === code)?.name || code;

  // --- the first data: units, posts, the reference (unit boundaries) ----
  let list;
  try {
    const [r, unitList, postList] = await Promise.all([
      reference(),
      api.get('/api/patrol-units'),
      api.get('/api/posts').catch((err) => ({ items: [], error: err })),
    ]);
    ref = r;
    list = unitList.items;
    posts = postList.items || [];
    if (postList.error) errorEl.textContent = '执勤点位加载失败：' + explain(postList.error);
  } catch (err) {
    if (gone()) return cleanup;
    boardEl.innerHTML = `<p class="error">警力加载失败：${esc(explain(err))}</p>`;
    container.dataset.ready = '1';
    return cleanup;
  }
  if (gone()) return cleanup;
  for (const u of list) units.set(u.call_sign, u);

  try {
    map = await unitMap(mapEl, subtree(ref.units, ctx.session.user.unit), { labels: true });
  } catch (err) {
    errorEl.textContent = '地图加载失败：' + (err.message || err);
  }
  if (gone()) {
    if (map) map.remove();
    return cleanup;
  }
  if (map) {
    postLayer = L.layerGroup().addTo(map);
    unitLayer = L.layerGroup().addTo(map);
    trackLayer = L.layerGroup().addTo(map);
    drawPosts();
    for (const u of units.values()) placeMarker(u);
    addLegend();
  }
  drawBoard();
  renderPostList();
  container.dataset.ready = '1';

  // --- live: unit status and positions ---------------------------------
  if (ctx.can('stream.read')) {
    closeStream = openStream({
      onUnit: (ev) => {
        if (gone()) return;
        applyUnit(fromEvent(ev));
      },
      onState: (s) => {
        if (gone()) return;
        streamEl.dataset.state = s;
        streamEl.textContent = STREAM_STATE_ZH[s] || s;
      },
    });
  } else {
    streamEl.dataset.state = 'closed';
    streamEl.textContent = '无实时数据权限，状态不会自动更新';
  }

  // --- events ------------------------------------------------------------
  filterEl.addEventListener('input', scheduleBoard);
  boardEl.addEventListener('click', (e) => {
    if (e.target.closest('a')) return; // the incident link
    const item = e.target.closest('[data-call-sign]');
    if (item) select(item.dataset.callSign);
  });
  boardEl.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const item = e.target.closest('[data-call-sign]');
    if (item && e.target === item) {
      e.preventDefault();
      select(item.dataset.callSign);
    }
  });
  detailEl.addEventListener('click', (e) => {
    const btn = e.target.closest('button[data-act]');
    if (!btn) return;
    if (btn.dataset.act === 'close') return select(null);
    act(btn.dataset.act, btn);
  });
  $('input[name=posts]').addEventListener('change', (e) => {
    if (!map || !postLayer) return;
    if (e.target.checked) postLayer.addTo(map);
    else postLayer.remove();
  });
  const dayEl = $('input[name=day]');
  dayEl.addEventListener('change', loadShifts);
  for (const b of container.querySelectorAll('button[data-day]'))
    b.addEventListener('click', () => {
      const step = Number(b.dataset.day);
      const base = step === 0 || !dayEl.value ? new Date() : new Date(dayEl.value + 'T00:00:00');
      dayEl.value = isoDate(step === 0 ? base : addDays(base, step));
      loadShifts();
    });

  detailEl.innerHTML = detailHtml(null, { canWrite });
  loadShifts();
  return cleanup;

  // --- helpers -----------------------------------------------------------
  function fromEvent(ev) {
    const known = units.get(ev.call_sign) || {};
    const u = { ...known, ...ev };
    if ('incident_id' in ev) u.assignment = ev.incident_id;
    if (!u.station_name && u.station) u.station_name = unitName(u.station);
    if (!u.roles) u.roles = [];
    if (!('position' in ev)) u.position = known.position || null;
    return u;
  }

  function applyUnit(u) {
    const before = units.get(u.call_sign);
    units.set(u.call_sign, u);
    placeMarker(u);
    // A new position of the selected unit extends its drawn track.
    if (selected === u.call_sign && u.position && trackLayer && track && track.line) {
      const moved = !before || !before.position || before.position.at !== u.position.at;
      if (moved) track.line.addLatLng([u.position.lat, u.position.lon]);
    }
    if (selected === u.call_sign) drawDetail();
    scheduleBoard();
  }

  function placeMarker(u) {
    if (!unitLayer) return;
    let m = markers.get(u.call_sign);
    if (!u.position) {
      if (m) {
        m.remove();
        markers.delete(u.call_sign);
      }
      return;
    }
    const ll = [u.position.lat, u.position.lon];
    const style = markerStyle(u);
    if (!m) {
      m = L.circleMarker(ll, style).addTo(unitLayer);
      m.on('click', () => {
        select(u.call_sign);
        boardEl.querySelector(`[data-call-sign="${CSS.escape(u.call_sign)}"]`)?.scrollIntoView({ block: 'nearest' });
      });
      markers.set(u.call_sign, m);
    } else {
      m.setLatLng(ll);
      m.setStyle(style);
    }
    const tip = `<b>${esc(u.call_sign)}</b> ${esc(u.status_zh || u.status)}<br>${esc(u.station_name || u.station)} · ${esc(u.kind_zh || '')}<br>定位 ${esc(minuteTime(u.position.at))}`;
    if (m.getTooltip()) m.setTooltipContent(tip);
    else m.bindTooltip(tip, { direction: 'top' });
    if (u.call_sign === selected) m.bringToFront();
  }

  function markerStyle(u) {
    const chosen = u.call_sign === selected;
    return {
      radius: chosen ? 10 : 7,
      color: chosen ? '#000' : '#fff',
      weight: chosen ? 3 : 2,
      fillColor: statusColour(u.status),
      fillOpacity: isStale(u.position) ? 0.55 : 0.95,
    };
  }

  function drawPosts() {
    postLayer.clearLayers();
    for (const p of posts) {
      if (!p.location) continue;
      const kind = POST_KIND_CLASS[p.kind] || 'other';
      const icon = L.divIcon({
        className: `desk-post desk-post-${kind}`,
        html: `<span class="desk-post-mark"></span><span class="desk-post-name">${esc(p.name)}</span>`,
        iconSize: null,
        iconAnchor: [6, 6],
      });
      L.marker([p.location.lat, p.location.lon], { icon, keyboard: false })
        .bindTooltip(
          `<b>${esc(p.name)}</b><br>${esc(p.kind_zh || p.kind)} · ${esc(unitName(p.station))}<br>执勤时间 ${esc(p.hours?.start || '')}–${esc(p.hours?.end || '')}`,
          { direction: 'top', offset: [0, -6] },
        )
        .addTo(postLayer);
    }
  }

  function addLegend() {
    const legend = L.control({ position: 'bottomleft' });
    legend.onAdd = () => {
      const div = L.DomUtil.create('div', 'desk-legend');
      const rows = [
        ['available', '空闲'],
        ['en_route', '途中'],
        ['on_scene', '在场'],
        ['off_duty', '下勤'],
      ];
      for (const [code, zh] of rows) {
        const row = L.DomUtil.create('div', 'desk-legend-row', div);
        const dot = L.DomUtil.create('span', 'desk-legend-dot', row);
        dot.style.background = STATUS_COLOURS[code];
        row.appendChild(document.createTextNode(zh));
      }
      const postRow = L.DomUtil.create('div', 'desk-legend-row', div);
      L.DomUtil.create('span', 'desk-post-mark desk-legend-post', postRow);
      postRow.appendChild(document.createTextNode(`执勤点位（${posts.length}）`));
      const note = L.DomUtil.create('div', 'desk-legend-note', div);
      note.textContent = '半透明：定位超过 30 分钟未更新';
      return div;
    };
    legend.addTo(map);
  }

  function scheduleBoard() {
    if (boardFrame || gone()) return;
    boardFrame = requestAnimationFrame(() => {
      boardFrame = 0;
      if (!gone()) drawBoard();
    });
  }

  function drawBoard() {
    const all = [...units.values()];
    const scroll = boardEl.scrollTop;
    boardEl.innerHTML = boardHtml(all, selected, filterEl.value);
    boardEl.scrollTop = scroll;
    $('.desk-summary').innerHTML = `共 ${all.length} 组 ` + summaryHtml(all);
  }

  function drawDetail() {
    const keepError = detailEl.querySelector('.form-error')?.textContent || '';
    detailEl.innerHTML = detailHtml(selected ? units.get(selected) : null, { canWrite, track });
    const err = detailEl.querySelector('.form-error');
    if (err && keepError) err.textContent = keepError;
  }

  function select(callSign) {
    const previous = selected;
    selected = callSign && units.has(callSign) ? callSign : null;
    for (const c of [previous, selected]) {
      const u = c && units.get(c);
      if (u) placeMarker(u);
    }
    if (trackLayer) trackLayer.clearLayers();
    track = null;
    drawDetail();
    drawBoard();
    if (selected) loadTrack(units.get(selected));
  }

  async function loadTrack(u) {
    const token = ++trackToken;
    const path = `/api/patrol-units/${encodeURIComponent(u.call_sign)}/track`;
    try {
      let t = await api.get(path);
      // Nothing in the last 8 hours (the feed stopped): the 8 hours before
      // the last position the server kept.
      if (!t.items.length && u.position && u.position.at) {
        const end = new Date(Date.parse(u.position.at) + 1000);
        const start = new Date(end.getTime() - TRACK_HOURS * 3600 * 1000);
        t = await api.get(path + query({ from: start.toISOString(), until: end.toISOString() }));
        t.fallback = true;
      }
      if (gone() || token !== trackToken) return;
      track = t;
      drawTrack(u, t);
    } catch (err) {
      if (gone() || token !== trackToken) return;
      track = { error: '轨迹加载失败：' + explain(err) };
    }
    drawDetail();
  }

  function drawTrack(u, t) {
    if (!trackLayer || !map) return;
    trackLayer.clearLayers();
    const pts = t.items.map((p) => [p.lat, p.lon]);
    if (u.position) {
      const last = pts[pts.length - 1];
      if (!last || last[0] !== u.position.lat || last[1] !== u.position.lon) pts.push([u.position.lat, u.position.lon]);
    }
    if (!pts.length) return;
    const colour = statusColour(u.status);
    track.line = L.polyline(pts, { color: colour, weight: 4, opacity: 0.85 }).addTo(trackLayer);
    L.circleMarker(pts[0], { radius: 5, color: colour, weight: 2, fillColor: '#fff', fillOpacity: 1 })
      .bindTooltip(`轨迹起点 ${esc(minuteTime(t.items[0]?.at))}`)
      .addTo(trackLayer);
    if (pts.length > 1) map.fitBounds(L.latLngBounds(pts), { padding: [60, 60], maxZoom: 16 });
    else map.setView(pts[0], Math.max(map.getZoom(), 14));
    markers.get(u.call_sign)?.bringToFront();
  }

  async function act(kind, btn) {
    const u = units.get(selected);
    if (!u) return;
    const path = `/api/patrol-units/${encodeURIComponent(u.call_sign)}`;
    const call = {
      on: () => api.post(path + '/duty', { on_duty: true }),
      off: () => api.post(path + '/duty', { on_duty: false }),
      arrive: () => api.post(path + '/arrive', {}),
      clear: () => api.post(path + '/clear', {}),
    }[kind];
    if (!call) return;
    for (const b of detailEl.querySelectorAll('button[data-act]')) b.disabled = true;
    btn.textContent = '提交中…';
    try {
      const updated = await call();
      if (gone()) return;
      const err = detailEl.querySelector('.form-error');
      if (err) err.textContent = '';
      applyUnit({ ...u, ...updated });
      drawDetail();
    } catch (err) {
      if (gone()) return;
      drawDetail();
      const at = detailEl.querySelector('.form-error');
      if (at) at.textContent = explain(err);
    }
  }

  async function loadShifts() {
    const tableEl = $('[data-testid=shift-table]');
    const fieldErr = $('.field-error[data-for=from]');
    const sumEl = $('.desk-shift-sum');
    const day = dayEl.value || today;
    fieldErr.textContent = '';
    tableEl.innerHTML = '<p class="loading">正在加载班次…</p>';
    try {
      const next = isoDate(addDays(new Date(day + 'T00:00:00'), 1));
      const res = await api.get('/api/shifts' + query({ from: day, to: next }));
      if (gone() || (dayEl.value || today) !== day) return;
      tableEl.innerHTML = shiftsHtml(res.items, { unitName, postName });
      const crew = res.items.reduce((n, s) => n + (Number(s.crew) || 0), 0);
      const cars = res.items.filter((s) => s.kind === 'car').length;
      sumEl.textContent = res.items.length ? `警力 ${crew} 人次 · 警车 ${cars} 辆次` : '';
    } catch (err) {
      if (gone()) return;
      tableEl.innerHTML = '';
      sumEl.textContent = '';
      fieldErr.textContent = '班次加载失败：' + explain(err);
    }
  }

  function renderPostList() {
    const el = $('.desk-post-list');
    if (!posts.length) {
      el.innerHTML = '<p class="muted">辖区内没有登记执勤点位。</p>';
      return;
    }
    const rows = posts
      .map(
        (p) => `<tr><td>${esc(p.name)}</td><td>${esc(p.kind_zh || p.kind)}</td><td>${esc(unitName(p.station))}</td>
          <td>${esc(p.hours?.start || '')}–${esc(p.hours?.end || '')}</td></tr>`,
      )
      .join('');
    el.innerHTML = `<table><thead><tr><th>点位</th><th>类型</th><th>派出所</th><th>执勤时间</th></tr></thead><tbody>${rows}</tbody></table>`;
  }
}
