// 指挥大屏: the command wall, 1920×1080, dark, scaled to the screen as a
// whole. Header (bureau, date, clock, live state); left: today's counts
// against the same day last year, today's 1-3-5 compliance, patrol units by
// status; middle: the map (unit boundaries, today's incidents pulsing until
// dispatched, patrol units moving, hotspot / forecast cells); right: the
// latest incidents. Everything after the first load comes from the live
// stream; nothing needs a mouse (#/wall?layer=off|hotspots|forecast picks
// the map layer, &cameras=1 adds the registry's cameras).
import './wall.css';
import { api, query } from '../api.js';
import { explain } from '../zh.js';
import { count, esc } from '../format.js';
import { reference } from '../taxonomy.js';
import { unitMap, L } from '../map.js';
import { openStream, STREAM_STATE_ZH } from '../stream.js';
import { incidentLayer, patrolLayer, cellLayer, incidentColour, UNIT_STATUS_COLOURS } from '../wall-layers.js';
import { cameraToggle } from '../camera-layer.js';
import { h, dot, renderToday, renderCompliance, renderPatrol, panelError, feedList, forgetFigures } from '../wall-panels.js';

const W = 1920;
const H = 1080;
const FEED_SIZE = 20;
const FALLBACK_SIZE = 200;
// Hotspot and forecast cells: larger than the analysts' 150 m, to be seen
// across the room.
const CELL_M = 300;
const WEEKDAYS = '日一二三四五六';
const LAYERS = [
  { code: 'off', label: '关闭图层' },
  { code: 'hotspots', label: '近28天热点' },
  { code: 'forecast', label: '今日预测' },
];

// The bureau's wall clock: dates and times in the server's time zone (from
// GET /api/health), whatever the browser's zone.
function bureauClock(timeZone) {
  const opts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  let fmt;
  try {
    fmt = new Intl.DateTimeFormat('en-CA', { ...opts, timeZone: timeZone || undefined });
  } catch {
    fmt = new Intl.DateTimeFormat('en-CA', opts);
  }
  return () => {
    const p = Object.fromEntries(fmt.formatToParts(new Date()).map((x) => [x.type, x.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
  };
}

function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function dateZh(date) {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日 星期${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]}`;
}

// The units of the user's subtree (the unit list also names the units
// above it, which the wall does not draw).
function subtree(units, root) {
  const children = new Map();
  for (const u of units) {
    if (!children.has(u.parent)) children.set(u.parent, []);
    children.get(u.parent).push(u);
  }
  const out = [];
  const stack = units.filter((u) => u.code === root);
  while (stack.length) {
    const u = stack.pop();
    out.push(u);
    stack.push(...(children.get(u.code) || []));
  }
  return out.length ? out : units;
}

export async function render(container, ctx) {
  const user = ctx.session.user;
  let gone = false;
  let map = null;
  let closeStream = null;
  let reconnectTimer = 0;
  let statsTimer = 0;
  let cameras = null;
  const intervals = [];

  container.innerHTML = `
    <div class="wall-viewport">
      <div class="wall wall-stage">
        <header>
          <div class="title">
            <h1>${esc(user.unit_name || user.unit)} 指挥大屏</h1>
            <span class="wall-date"></span>
          </div>
          <div class="right">
            <span class="clock">--:--:--</span>
            <span class="stream-state" data-testid="stream-state"></span>
          </div>
        </header>
        <section class="wall-left">
          <div class="panel wall-today" data-testid="wall-today"><h2>今日警情</h2><p class="muted">正在加载…</p></div>
          <div class="panel wall-compliance" data-testid="wall-compliance"><h2>今日 1-3-5 快速反应</h2><p class="muted">正在加载…</p></div>
          <div class="panel wall-patrol"><h2>巡逻警力</h2><p class="muted">正在加载…</p></div>
        </section>
        <section class="panel wall-centre">
          <div class="map wall-map" data-testid="wall-map"></div>
          <div class="wall-caption"></div>
          <div class="wall-layers"></div>
          <div class="wall-legend"></div>
        </section>
        <section class="panel wall-right">
          <h2>最新警情</h2>
          <ul class="feed wall-feed" data-testid="wall-feed"></ul>
        </section>
      </div>
    </div>`;
  const $ = (sel) => container.querySelector(sel);
  const stage = $('.wall-stage');
  const todayEl = $('.wall-today');
  const complianceEl = $('.wall-compliance');
  const patrolEl = $('.wall-patrol');
  const captionEl = $('.wall-caption');
  const stateEl = $('[data-testid=stream-state]');
  const feedEl = $('[data-testid=wall-feed]');

  // Designed at 1920×1080, scaled as a whole to the screen.
  const fit = () => {
    const s = Math.min(window.innerWidth / W, window.innerHeight / H);
    stage.style.transform = `translate(${(window.innerWidth - W * s) / 2}px, ${(window.innerHeight - H * s) / 2}px) scale(${s})`;
  };
  fit();
  window.addEventListener('resize', fit);

  // Live state: the stream opens first and its events wait until the first
  // load is drawn, so nothing between the two is lost.
  const pending = [];
  let drawn = false;
  let dropped = false;
  const showState = (s) => {
    stateEl.textContent = STREAM_STATE_ZH[s] || s;
    stateEl.className = 'stream-state state-' + s;
  };
  const connect = () => {
    if (!ctx.can('stream.read')) {
      stateEl.textContent = '无实时权限';
      return;
    }
    closeStream = openStream({
      onIncident: (inc) => (drawn ? onIncident(inc) : pending.push(['incident', inc])),
      onUnit: (u) => (drawn ? onUnit(u) : pending.push(['unit', u])),
      onState: (s) => {
        if (gone) return;
        if (s === 'open') {
          showState(s);
          if (dropped && drawn) resync();
          dropped = false;
        } else if (s === 'reconnecting') {
          dropped = true;
          showState(s);
        } else if (s === 'closed') {
          // The browser gave up (the server refused the stream): check the
          // session (a 401 signs out) and open a new one.
          dropped = true;
          if (closeStream) closeStream();
          showState('reconnecting');
          clearTimeout(reconnectTimer);
          reconnectTimer = setTimeout(async () => {
            try {
              await api.get('/api/auth/me');
            } catch {
              /* the next attempt says how it went */
            }
            if (!gone) connect();
          }, 5000);
        } else showState(s);
      },
    });
  };
  connect();

  // Set by load(): the bureau's clock, the layers and what they show.
  let now = bureauClock();
  const today = () => now().date;
  let day = '';
  const feed = feedList(feedEl, { today, max: 30 });
  let incidents = null;
  let patrol = null;
  let fallback = null; // {from, to} of the latest incidents shown when today has none
  const todayIds = new Set();
  const canRead = ctx.can('incidents.read');
  const canPatrol = ctx.can('patrol.read');

  const tick = () => {
    const t = now();
    $('.clock').textContent = t.time;
    $('.wall-date').textContent = dateZh(t.date);
    if (day && t.date !== day) scheduleStats(0);
    day = t.date;
  };

  // Today's figures and compliance, reloaded after incident events
  // (debounced) and every minute.
  const loadStats = async () => {
    const d = today();
    const period = query({ from: d, to: addDays(d, 1) });
    const [overview, response] = await Promise.allSettled([api.get('/api/stats/overview' + period), api.get('/api/stats/response' + period)]);
    if (gone) return;
    if (overview.status === 'fulfilled') renderToday(todayEl, overview.value);
    else panelError(todayEl, '今日警情', overview.reason);
    if (response.status === 'fulfilled') renderCompliance(complianceEl, response.value, await scopeCodes());
    else panelError(complianceEl, '今日 1-3-5 快速反应', response.reason);
  };
  // The codes of the user's units and those above them: the standard's
  // per-unit overrides that apply here (an override covers a subtree).
  const scopeCodes = async () => {
    try {
      const ref = await reference();
      return new Set(ref.units.map((u) => u.code));
    } catch {
      return null;
    }
  };
  const scheduleStats = (delay) => {
    clearTimeout(statsTimer);
    statsTimer = setTimeout(() => !gone && loadStats(), delay);
  };

  // The first load; render() returns at once so that leaving the page
  // while it runs still cleans up.
  async function load() {
    const health = await api.get('/api/health').catch(() => ({}));
    if (gone) return;
    now = bureauClock(health.time_zone);
    tick();
    intervals.push(setInterval(tick, 1000));
    intervals.push(setInterval(() => scheduleStats(0), 60000));
    const statsDrawn = loadStats();

    const d0 = today();
    const [ref, feedPage, todayPage, units] = await Promise.allSettled([
      reference(),
      canRead ? api.get('/api/incidents' + query({ limit: FEED_SIZE })) : Promise.resolve(null),
      canRead ? api.get('/api/incidents' + query({ from: d0, to: addDays(d0, 1), limit: 1000 })) : Promise.resolve(null),
      canPatrol ? api.get('/api/patrol-units') : Promise.resolve(null),
    ]);
    if (gone) return;

    // The feed.
    if (!canRead) feedEl.replaceChildren(h('li', { class: 'muted' }, '无权查看警情'));
    else if (feedPage.status === 'rejected') feedEl.replaceChildren(h('li', { class: 'error' }, explain(feedPage.reason)));
    else {
      feed.set(feedPage.value.items);
      if (!feedPage.value.items.length) feedEl.replaceChildren(h('li', { class: 'muted empty' }, '暂无警情'));
    }

    // The map.
    const mapEl = $('[data-testid=wall-map]');
    try {
      const allUnits = ref.status === 'fulfilled' ? ref.value.units : [];
      const mine = subtree(allUnits, user.unit);
      const m = await unitMap(mapEl, mine, { dark: true });
      if (gone) {
        m.remove();
        return;
      }
      map = m;
      // Fill the panel more closely than unitMap's quarter-zoom steps, clear
      // of the caption and the legend.
      const bounds = L.geoJSON({
        type: 'FeatureCollection',
        features: mine.filter((u) => u.boundary).map((u) => ({ type: 'Feature', properties: {}, geometry: u.boundary })),
      }).getBounds();
      if (bounds.isValid()) {
        map.options.zoomSnap = 0;
        map.fitBounds(bounds, { paddingTopLeft: [16, 110], paddingBottomRight: [16, 90], animate: false });
      }
    } catch (e) {
      mapEl.replaceChildren(h('p', { class: 'error' }, '地图加载失败：' + (e.code ? explain(e) : e.message)));
    }
    if (map) {
      incidents = incidentLayer(map);
      patrol = patrolLayer(map);
      if (todayPage.status === 'fulfilled' && todayPage.value) {
        for (const inc of todayPage.value.items) {
          todayIds.add(inc.id);
          incidents.upsert(inc);
        }
        if (!todayPage.value.items.length) {
          // The demo data ends before today: show the latest incidents of
          // the scope instead, dimmer, and say so.
          try {
            const latest = await api.get('/api/incidents' + query({ limit: FALLBACK_SIZE }));
            if (gone) return;
            for (const inc of latest.items) incidents.upsert(inc, { historic: true });
            if (latest.items.length)
              fallback = {
                from: latest.items[latest.items.length - 1].reported_at.slice(0, 10),
                to: latest.items[0].reported_at.slice(0, 10),
              };
          } catch {
            /* the caption says today has none */
          }
        }
      }
      if (units.status === 'fulfilled' && units.value) for (const u of units.value.items) patrol.upsert(u);
      drawLegend(ref.status === 'fulfilled' ? ref.value.taxonomy.classes : []);
      drawLayerButtons();
      // 视频监控: the registry's cameras over the other layers (?cameras=1 shows them at once).
      if (ctx.can('registry.read')) cameras = cameraToggle(map, $('.wall-layers'), { dark: true, on: ctx.query.get('cameras') === '1' });
    }
    if (units.status === 'fulfilled' && units.value) renderPatrolPanel();
    else if (units.status === 'rejected') panelError(patrolEl, '巡逻警力', units.reason);
    else patrolEl.replaceChildren(h('h2', null, '巡逻警力'), h('p', { class: 'muted' }, '无权查看巡逻警力'));
    updateCaption();
    if (todayPage.status === 'rejected') captionEl.textContent = explain(todayPage.reason);

    await statsDrawn;
    if (gone) return;
    drawn = true;
    for (const [kind, data] of pending.splice(0)) kind === 'incident' ? onIncident(data) : onUnit(data);
    container.dataset.ready = '1';
    if (map) showLayer(ctx.query.get('layer') || 'hotspots');
  }
  load().catch((e) => {
    if (!gone) container.querySelector('.wall-caption').textContent = '大屏加载失败：' + (e.code ? explain(e) : e.message);
  });

  function renderPatrolPanel() {
    if (patrol) renderPatrol(patrolEl, patrol.byStatus(), patrol.size());
  }

  function updateCaption() {
    if (!incidents || !map) return;
    const waiting = incidents.waiting();
    const parts = [];
    if (!fallback || todayIds.size) parts.push(`今日警情 ${count(todayIds.size)} 起`);
    else parts.push('今日暂无警情');
    if (fallback) {
      const to = fallback.to.slice(0, 4) === fallback.from.slice(0, 4) ? fallback.to.slice(5) : fallback.to;
      parts.push(`另示最近 ${FALLBACK_SIZE} 起历史警情（${fallback.from} 至 ${to}）`);
    }
    parts.push(`未派警 ${count(waiting)} 起`);
    captionEl.replaceChildren(...parts.map((p, i) => h('span', { class: i === parts.length - 1 && waiting ? 'waiting' : '' }, p)));
  }

  function onIncident(inc) {
    if (gone || !inc || inc.id === undefined) return;
    if (canRead) {
      const empty = feedEl.querySelector('li.empty');
      if (empty) empty.remove();
      feed.upsert(inc);
    }
    if (incidents) {
      const isToday = (inc.reported_at || '').slice(0, 10) === today();
      if (isToday) todayIds.add(inc.id);
      if (incidents.has(inc.id) || isToday || inc.status === 'received') incidents.upsert(inc);
      updateCaption();
    }
    scheduleStats(1500);
  }

  function onUnit(u) {
    if (gone || !patrol) return;
    patrol.upsert(u);
    renderPatrolPanel();
  }

  // After the stream was lost: what happened meanwhile.
  async function resync() {
    scheduleStats(0);
    if (!canRead) return;
    try {
      const d = today();
      const [page, todays] = await Promise.all([
        api.get('/api/incidents' + query({ limit: FEED_SIZE })),
        api.get('/api/incidents' + query({ from: d, to: addDays(d, 1), limit: 1000 })),
      ]);
      if (gone) return;
      for (const inc of [...page.items].reverse()) feed.upsert(inc);
      if (incidents) {
        for (const inc of todays.items) {
          todayIds.add(inc.id);
          incidents.upsert(inc);
        }
        updateCaption();
      }
    } catch {
      /* the next event or reload brings it */
    }
    if (canPatrol && patrol) {
      try {
        const list = await api.get('/api/patrol-units');
        if (gone) return;
        for (const u of list.items) patrol.upsert(u);
        renderPatrolPanel();
      } catch {
        /* as above */
      }
    }
  }

  function drawLegend(classes) {
    const legend = $('.wall-legend');
    legend.replaceChildren(
      h('div', { class: 'row' }, ...classes.map((c) => h('span', null, dot(incidentColour(c.code)), c.name_zh))),
      h(
        'div',
        { class: 'row' },
        ...[
          ['available', '空闲'],
          ['en_route', '派警/途中'],
          ['on_scene', '到场'],
          ['off_duty', '下勤'],
        ].map(([code, label]) => {
          const sq = h('span', { class: 'wall-sq' });
          sq.style.background = UNIT_STATUS_COLOURS[code];
          return h('span', null, sq, label);
        }),
        h('span', { class: 'hint' }, '闪烁：未派警'),
      ),
    );
  }

  // Hotspot / forecast cells, one layer at a time, loaded when first shown.
  let current = 'off';
  const cells = new Map();
  const layerNote = h('span', { class: 'note' });
  function drawLayerButtons() {
    const box = $('.wall-layers');
    box.replaceChildren(
      ...LAYERS.map((l) => {
        const b = h('button', { type: 'button', dataset: { layer: l.code } }, l.label);
        b.addEventListener('click', () => showLayer(l.code));
        return b;
      }),
      layerNote,
    );
  }

  async function showLayer(code) {
    if (!LAYERS.some((l) => l.code === code)) code = 'hotspots';
    current = code;
    for (const b of container.querySelectorAll('.wall-layers button')) b.classList.toggle('active', b.dataset.layer === code);
    for (const [k, v] of cells) if (k !== code && v.layer && map.hasLayer(v.layer)) map.removeLayer(v.layer);
    if (code === 'off') {
      layerNote.textContent = '';
      return;
    }
    let entry = cells.get(code);
    if (!entry) {
      entry = { loading: code === 'forecast' ? loadForecast() : loadHotspots() };
      cells.set(code, entry);
      layerNote.textContent = code === 'forecast' ? '正在计算今日预测…' : '正在加载热点…';
      try {
        Object.assign(entry, await entry.loading);
      } catch (err) {
        cells.delete(code);
        if (!gone && current === code) layerNote.textContent = explain(err);
        return;
      }
    } else if (entry.loading && !entry.layer) return;
    if (gone || current !== code) return;
    entry.layer.addTo(map);
    layerNote.textContent = entry.note;
  }

  async function loadHotspots() {
    const d = today();
    let to = addDays(d, 1);
    let from = addDays(to, -28);
    let data = await api.get('/api/hotspots' + query({ from, to, cell: CELL_M, limit: 400 }));
    let dated = '';
    const recent = data.meta ? data.meta.incidents : 0;
    if (recent < 28 && canRead) {
      // Fewer than one a day: the data stops earlier (the demo's ends on
      // 2026-10-31). Take the 28 days up to the latest incident before.
      const before = await api.get('/api/incidents' + query({ to: from, limit: 1 }));
      const last = before.items[0];
      if (last) {
        to = addDays(last.reported_at.slice(0, 10), 1);
        from = addDays(to, -28);
        data = await api.get('/api/hotspots' + query({ from, to, cell: CELL_M, limit: 400 }));
        dated = `（近28天仅 ${count(recent)} 起，改示数据截止前28天）`;
      }
    }
    const n = data.meta ? data.meta.incidents : 0;
    return {
      layer: cellLayer(map, data.features || [], 'count'),
      note: `热点 ${from} 至 ${addDays(to, -1)} · ${count(n)} 起 · 最密 ${count((data.features || []).length)} 格（${CELL_M} 米）${dated}`,
    };
  }

  async function loadForecast() {
    const data = await api.get('/api/forecast' + query({ window: 'day', at: `${today()}T00:00:00`, cell: CELL_M, limit: 400 }));
    const m = data.meta || {};
    const expected = m.expected_total === undefined ? '—' : m.expected_total.toFixed(1);
    return {
      layer: cellLayer(map, data.features || [], 'expected', 'forecast'),
      note: `今日预测（${m.model === 'kde' ? '核密度' : 'ETAS'}）· 全域预计 ${expected} 起 · 最高 ${count((data.features || []).length)} 格（${CELL_M} 米）`,
    };
  }

  function cleanup() {
    gone = true;
    if (closeStream) closeStream();
    clearTimeout(reconnectTimer);
    clearTimeout(statsTimer);
    for (const t of intervals) clearInterval(t);
    window.removeEventListener('resize', fit);
    if (cameras) cameras.destroy();
    if (map) map.remove();
    map = null;
    forgetFigures();
  }
  return cleanup;
}
