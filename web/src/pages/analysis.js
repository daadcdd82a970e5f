// 研判分析 (#/analysis): the hotspot map of a period (grid counts, kernel
// density or Getis-Ord Gi*), the forecast of the next day, week or shift
// and the patrol suggestions as layers over it, the forecast's cells (and,
// once its window has passed, how well it did), and the 1-3-5 response
// figures with 同比. Everything is of the user's unit subtree (the server
// scopes every answer).
import './analysis.css';
import { api, query, ApiError } from '../api.js';
import { explain } from '../zh.js';
import { esc, count, isoDate, addDays } from '../format.js';
import { reference } from '../taxonomy.js';
import { unitMap, L } from '../map.js';
import { hotspotLayer, forecastLayer, suggestionLayer, legendControl, methodZh } from '../analysis-layers.js';
import { loadEvaluation, evaluationHtml } from '../analysis-eval.js';
import { placeNamer } from '../analysis-place.js';
import {
  responseKpis, drawResponseChart, drawResponseHistogram, responseTable, disposeChart,
} from '../analysis-response.js';

// Field names the shared FIELDS table lacks (for errors next to a field).
const FIELD_ZH = {
  cell: '网格边长',
  band: '邻域距离',
  bandwidth: '核带宽',
  method: '分析方法',
  window: '预测窗口',
  model: '预测模型',
  at: '预测起点',
  shift_start: '班次开始',
  hours: '班次时长',
  group_by: '分组',
  to: '结束日期',
  from: '开始日期',
  unit: '单位',
  type: '警情类型',
  class: '警情类别',
};

const SUMMER = { from: '2026-06-01', to: '2026-08-31', at: '2026-09-01T00:00' };
const FORECAST_TOP_ON_MAP = 100;
const FORECAST_TABLE_ROWS = 30;
const WINDOW_ZH = { day: '次日', week: '下周', shift: '下一班次' };

// An ApiError in Chinese with the field's Chinese name, plus what to do
// when a cost cap refused the request.
function describe(err) {
  if (!(err instanceof ApiError)) return { text: '页面处理出错：' + (err && err.message), hint: '' };
  const base = explain({ code: err.code, status: err.status, message: err.message, field: '' });
  const name = FIELD_ZH[err.field] || err.field;
  const text = name ? base.replace('：', ` · ${name}：`) : base;
  const tips = [];
  const msg = err.message || '';
  const cell = msg.match(/cell of at least (\d+(?:\.\d+)?)/);
  const band = msg.match(/\bband of at most (\d+(?:\.\d+)?)/);
  const bw = msg.match(/bandwidth of at most (\d+(?:\.\d+)?)/);
  if (/the limit is/.test(msg)) {
    if (cell) tips.push(`网格边长调大到至少 ${cell[1]} 米`);
    if (band) tips.push(`邻域距离缩小到不超过 ${band[1]} 米`);
    if (bw) tips.push(`核带宽缩小到不超过 ${bw[1]} 米`);
    if (/shorter period/.test(msg)) tips.push('缩短统计周期');
    if (/smaller unit/.test(msg)) tips.push('选择更小的单位');
  }
  const hint = /the limit is/.test(msg)
    ? `计算量超出服务器上限，已拒绝执行${tips.length ? '。可以：' + tips.join('，或') : ''}。`
    : err.status === 503
      ? '计算超时或服务繁忙，请缩小范围后重试。'
      : '';
  return { text, hint, cell: cell && cell[1], band: band && band[1], bandwidth: bw && bw[1] };
}

// The units of the user's own subtree (GET /api/units also lists those
// above it), in tree order with their depth.
function subtree(units, root) {
  const children = new Map();
  for (const u of units) {
    if (!children.has(u.parent)) children.set(u.parent, []);
    children.get(u.parent).push(u);
  }
  const out = [];
  const walk = (u, depth) => {
    out.push({ ...u, depth });
    for (const c of children.get(u.code) || []) walk(c, depth + 1);
  };
  const top = units.find((u) => u.code === root);
  if (top) walk(top, 0);
  return out;
}

export async function render(container, ctx) {
  const today = new Date();
  const q = ctx.query;
  const init = {
    from: q.get('from') || isoDate(addDays(today, -89)),
    to: q.get('to') || isoDate(today),
    unit: q.get('unit') || '',
    class: q.get('class') || '',
    type: q.get('type') || '',
    method: q.get('method') || 'gistar',
    cell: q.get('cell') || '150',
    bandwidth: q.get('bandwidth') || '',
    band: q.get('band') || '',
    fdr: q.get('fdr') === '1',
    window: q.get('window') || 'day',
    model: q.get('model') || 'etas',
    at: q.get('at') || '',
    group_by: q.get('group_by') || 'auto',
  };

  container.innerHTML = `
    <div class="an">
      <form class="card an-form" novalidate>
        <div class="row">
          <label>开始日期<input type="date" name="from" required /></label>
          <label>结束日期（含）<input type="date" name="to" required /></label>
          <div class="an-quick">
            <button type="button" data-quick="28">近 28 天</button>
            <button type="button" data-quick="90">近 90 天</button>
            <button type="button" data-quick="365">近 365 天</button>
            <button type="button" data-quick="summer" title="演示数据截至 2026-10-31">2026 年夏季</button>
          </div>
          <label>单位<select name="unit"></select></label>
          <label>警情类别<select name="class"><option value="">全部类别</option></select></label>
          <label>警情类型<select name="type"><option value="">全部类型</option></select></label>
        </div>
        <div class="an-errors">
          <p class="field-error" data-for="from"></p><p class="field-error" data-for="to"></p>
          <p class="field-error" data-for="unit"></p><p class="field-error" data-for="class"></p>
          <p class="field-error" data-for="type"></p>
        </div>
        <div class="row">
          <label>热点方法<select name="method">
            <option value="counts">网格计数</option>
            <option value="kde">核密度（KDE）</option>
            <option value="gistar">Getis-Ord Gi* 热点分析</option>
          </select></label>
          <label>网格边长（米）<input type="number" name="cell" min="10" max="10000" step="10" /></label>
          <label class="an-kde">核带宽（米）<input type="number" name="bandwidth" min="10" step="10" placeholder="默认 300" /></label>
          <label class="an-gi">邻域距离（米）<input type="number" name="band" min="10" step="10" placeholder="默认 1.5 格" /></label>
          <label class="an-gi an-check"><input type="checkbox" name="fdr" /> FDR 5% 检验</label>
          <button type="submit" class="primary">分析</button>
        </div>
        <div class="an-errors">
          <p class="field-error" data-for="method"></p><p class="field-error" data-for="cell"></p>
          <p class="field-error" data-for="bandwidth"></p><p class="field-error" data-for="band"></p>
        </div>
        <p class="form-error" role="alert"></p>
      </form>

      <div class="an-main">
        <div class="card an-map-card">
          <div class="an-map-bar">
            <h2>热点地图</h2>
            <label class="an-check"><input type="checkbox" name="layer-hot" checked /> 热点</label>
            <label class="an-check"><input type="checkbox" name="layer-fc" checked /> 预测</label>
            <label class="an-check"><input type="checkbox" name="layer-sg" /> 巡逻建议</label>
            <span class="an-busy muted"></span>
          </div>
          <p class="an-meta muted"></p>
          <div class="an-map-error" role="alert"></div>
          <div class="map an-map" data-testid="hotspot-map"></div>
        </div>
        <div class="card an-side">
          <h2>警情预测</h2>
          <form class="row an-fc-form" novalidate>
            <label>窗口<select name="window">
              <option value="day">次日</option><option value="week">下周</option><option value="shift">下一班次（8 小时）</option>
            </select></label>
            <label>模型<select name="model"><option value="etas">ETAS 自激点过程</option><option value="kde">KDE（前 28 天）</option></select></label>
            <label>起点<input type="datetime-local" name="at" /></label>
            <button type="submit">预测</button>
          </form>
          <div class="an-errors">
            <p class="field-error" data-for="window"></p><p class="field-error" data-for="model"></p>
            <p class="field-error" data-for="at"></p>
          </div>
          <p class="an-fc-note muted">起点留空即从现在起的下一个窗口。</p>
          <div class="an-fc-error error" role="alert"></div>
          <p class="an-fc-meta"></p>
          <div class="an-eval-box"></div>
          <div class="an-fc-table"><table data-testid="forecast-table" class="an-table">
            <thead><tr><th class="num">排名</th><th>位置 · 网格</th><th class="num">预计警情</th><th class="num">累计占比</th><th class="num">实际</th></tr></thead>
            <tbody><tr><td colspan="5" class="muted">正在计算预测…</td></tr></tbody>
          </table></div>
        </div>
      </div>

      <div class="card an-sg" hidden>
        <h2>巡逻建议（按派出所）</h2>
        <div class="an-sg-error error" role="alert"></div>
        <div class="an-sg-body"></div>
      </div>

      <div class="card an-resp">
        <div class="an-map-bar">
          <h2>1-3-5 快速反应</h2>
          <label class="an-inline">分组<select name="group_by">
            <option value="auto">自动</option><option value="day">按日</option><option value="week">按周</option>
            <option value="month">按月</option><option value="unit">按下级单位</option>
          </select></label>
          <span class="muted">（按单位和时段统计，不区分警情类别）</span>
        </div>
        <div class="an-resp-error error" role="alert"></div>
        <div class="an-resp-kpis"></div>
        <div class="chart an-chart" data-testid="response-chart"></div>
        <h3>响应用时分布（件数，按用时分段）</h3>
        <div class="chart an-histogram" data-testid="response-histogram"></div>
        <p class="muted an-note an-resp-note"></p>
        <details class="an-resp-details"><summary>表格视图</summary><div class="an-resp-table"></div></details>
      </div>
    </div>`;

  const $ = (sel) => container.querySelector(sel);
  const form = $('.an-form');
  const fcForm = $('.an-fc-form');
  const mapEl = $('[data-testid=hotspot-map]');
  const chartEl = $('[data-testid=response-chart]');
  const histogramEl = $('[data-testid=response-histogram]');
  const el = (name) => form.elements[name];

  let closed = false;
  let map = null;
  let legend = null;
  let chart = null;
  let histogram = null;
  let ref = null;
  const layers = { hot: null, fc: null, sg: null };
  const legends = { hot: [], fc: [], sg: [] };
  const tokens = { hot: 0, fc: 0, sg: 0, resp: 0 };
  const keys = { fc: '', sg: '', resp: '' };
  let forecast = null;
  let plan = null;
  let report = null;
  const busy = new Set();
  let fittedUnit = null;

  const onResize = () => {
    if (chart) chart.resize();
    if (histogram) histogram.resize();
  };
  window.addEventListener('resize', onResize);
  const cleanup = () => {
    closed = true;
    window.removeEventListener('resize', onResize);
    disposeChart(chart);
    disposeChart(histogram);
    chart = null;
    histogram = null;
    if (map) map.remove();
    map = null;
  };
  // The page is gone when left (cleanup ran) or when the router replaced
  // it before render() returned its cleanup.
  const root = $('.an');
  const gone = () => {
    if (!closed && !root.isConnected) cleanup();
    return closed;
  };

  // --- the form: reference data, initial values ---------------------------
  try {
    ref = await reference();
  } catch (err) {
    if (gone()) return cleanup;
    $('.form-error').textContent = '基础数据加载失败：' + explain(err);
    container.dataset.ready = '1';
    return cleanup;
  }
  if (gone()) return cleanup;
  const mine = subtree(ref.units, ctx.session.user.unit);
  const placeOf = placeNamer(mine);
  el('unit').innerHTML =
    `<option value="">${esc(ctx.session.user.unit_name || '本单位')}（全部）</option>` +
    mine
      .filter((u) => u.code !== ctx.session.user.unit)
      .map((u) => `<option value="${esc(u.code)}">${'　'.repeat(Math.max(0, u.depth - 1))}${esc(u.name)}</option>`)
      .join('');
  el('class').innerHTML =
    '<option value="">全部类别</option>' +
    ref.taxonomy.classes.map((c) => `<option value="${esc(c.code)}">${esc(c.name_zh)}</option>`).join('');
  const fillTypes = () => {
    const cls = el('class').value;
    const keep = el('type').value;
    const list = ref.taxonomy.types.filter((t) => !cls || t.class === cls);
    el('type').innerHTML =
      '<option value="">全部类型</option>' +
      list.map((t) => `<option value="${esc(t.code)}">${esc(t.name_zh)}</option>`).join('');
    if (list.some((t) => t.code === keep)) el('type').value = keep;
  };
  for (const k of ['from', 'to', 'method', 'cell', 'bandwidth', 'band']) el(k).value = init[k];
  el('unit').value = mine.some((u) => u.code === init.unit) ? init.unit : '';
  el('class').value = ref.classes.has(init.class) ? init.class : '';
  fillTypes();
  el('type').value = ref.types.has(init.type) ? init.type : '';
  el('fdr').checked = init.fdr;
  fcForm.elements.window.value = WINDOW_ZH[init.window] ? init.window : 'day';
  fcForm.elements.model.value = init.model === 'kde' ? 'kde' : 'etas';
  fcForm.elements.at.value = init.at;
  $('select[name=group_by]').value = init.group_by;
  const methodFields = () => {
    const m = el('method').value;
    for (const x of container.querySelectorAll('.an-kde')) x.hidden = m !== 'kde';
    for (const x of container.querySelectorAll('.an-gi')) x.hidden = m !== 'gistar';
  };
  methodFields();

  // --- the map -------------------------------------------------------------
  try {
    map = await unitMap(mapEl, mine, { labels: true });
  } catch (err) {
    $('.an-map-error').textContent = '地图加载失败：' + (err.message || err);
  }
  if (gone()) {
    if (map) map.remove();
    return cleanup;
  }
  // One pane per layer, so the forecast and the suggestions stay above the
  // hotspot cells whichever answer arrives first: thousands of hotspot
  // cells on a canvas, the few forecast and suggested cells as SVG (whose
  // empty area lets the pointer through to the canvas, analysis.css).
  const renderers = {};
  if (map) {
    [['hot', 410], ['fc', 420], ['sg', 430]].forEach(([k, z]) => {
      map.createPane('an-' + k).style.zIndex = String(z);
      renderers[k] = k === 'hot' ? L.canvas({ pane: 'an-hot' }) : L.svg({ pane: 'an-' + k });
    });
    legend = legendControl();
    legend.addTo(map);
  }

  // --- events ------------------------------------------------------------
  el('class').addEventListener('change', fillTypes);
  el('method').addEventListener('change', () => {
    methodFields();
    run();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  fcForm.addEventListener('submit', (e) => {
    e.preventDefault();
    run({ forceForecast: true });
  });
  for (const b of container.querySelectorAll('[data-quick]'))
    b.addEventListener('click', () => {
      const v = b.dataset.quick;
      if (v === 'summer') {
        el('from').value = SUMMER.from;
        el('to').value = SUMMER.to;
        fcForm.elements.at.value = SUMMER.at;
      } else {
        const now = new Date();
        el('to').value = isoDate(now);
        el('from').value = isoDate(addDays(now, -(Number(v) - 1)));
        fcForm.elements.at.value = '';
      }
      run();
    });
  for (const [name, key] of [
    ['layer-hot', 'hot'],
    ['layer-fc', 'fc'],
    ['layer-sg', 'sg'],
  ])
    $(`input[name=${name}]`).addEventListener('change', (e) => {
      if (key === 'sg' && e.target.checked && !plan) loadSuggestions(params());
      showLayers();
    });
  $('select[name=group_by]').addEventListener('change', () => loadResponse(params()));
  $('.an-map-error').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-fix]');
    if (!b) return;
    el(b.dataset.fix).value = b.dataset.value;
    run();
  });
  $('.an-fc-table').addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-lat]');
    if (tr && map) map.setView([Number(tr.dataset.lat), Number(tr.dataset.lon)], 16);
  });
  $('.an-sg-body').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-station]');
    if (!b || !plan || !map) return;
    const s = plan.stations.find((x) => x.unit === b.dataset.station);
    if (!s || !s.cells.length) return;
    $('input[name=layer-sg]').checked = true;
    showLayers();
    map.fitBounds(L.latLngBounds(s.cells.map((c) => [c.lat, c.lon])), { padding: [80, 80], maxZoom: 16 });
    mapEl.scrollIntoView({ behavior: 'smooth', block: 'center' });
  });

  run({ first: true }).catch((err) => {
    if (gone()) return;
    $('.form-error').textContent = '分析失败：' + err.message;
    container.dataset.ready = '1';
  });
  return cleanup;

  // --- the queries ---------------------------------------------------------
  function params() {
    const to = el('to').value;
    return {
      from: el('from').value,
      to,
      toExclusive: to ? isoDate(addDays(new Date(to + 'T00:00:00'), 1)) : '',
      unit: el('unit').value,
      class: el('class').value,
      type: el('type').value,
      method: el('method').value,
      cell: el('cell').value,
      bandwidth: el('bandwidth').value,
      band: el('band').value,
      fdr: el('fdr').checked,
      window: fcForm.elements.window.value,
      model: fcForm.elements.model.value,
      at: fcForm.elements.at.value,
      group_by: $('select[name=group_by]').value,
    };
  }

  function clearErrors() {
    for (const p of container.querySelectorAll('.field-error, .form-error')) p.textContent = '';
    for (const i of container.querySelectorAll('.invalid')) i.classList.remove('invalid');
  }

  // Marks the field the API named; returns whether there was one.
  function fieldError(err, text) {
    const at = err.field && container.querySelector(`.field-error[data-for="${err.field}"]`);
    if (!at) return false;
    at.textContent = text;
    const input = form.elements[err.field] || fcForm.elements[err.field];
    if (input && input.classList) input.classList.add('invalid');
    return true;
  }

  function setBusy(what, on) {
    if (gone()) return;
    if (on) busy.add(what);
    else busy.delete(what);
    const names = { hot: '热点', fc: '预测', sg: '巡逻建议', eval: '预测评估' };
    $('.an-busy').textContent = busy.size ? `正在计算${[...busy].map((b) => names[b]).join('、')}…` : '';
  }

  async function run({ first = false, forceForecast = false } = {}) {
    clearErrors();
    const p = params();
    if (!p.from || !p.to || p.from > p.to) {
      const f = container.querySelector('.field-error[data-for="to"]');
      f.textContent = !p.from || !p.to ? '请填写开始和结束日期' : '开始日期不能晚于结束日期';
      el('to').classList.add('invalid');
      if (first) container.dataset.ready = '1';
      return;
    }
    keepInUrl(p);
    const jobs = [loadHotspots(p)];
    const fcKey = JSON.stringify([p.unit, p.class, p.type, p.cell, p.window, p.model, p.at]);
    if (forceForecast || fcKey !== keys.fc) {
      keys.fc = fcKey;
      loadForecast(p);
    }
    const sgKey = JSON.stringify([p.unit, p.class, p.type, p.cell, p.at]);
    if (sgKey !== keys.sg) {
      keys.sg = sgKey;
      plan = null;
      if (layers.sg) layers.sg.remove();
      layers.sg = null;
      legends.sg = [];
      $('.an-sg').hidden = true;
      if ($('input[name=layer-sg]').checked) loadSuggestions(p);
    }
    const respKey = JSON.stringify([p.from, p.to, p.unit, p.group_by]);
    if (respKey !== keys.resp) loadResponse(p);
    await Promise.all(jobs);
    if (first && !gone()) container.dataset.ready = '1';
  }

  function keepInUrl(p) {
    const qs = query({
      from: p.from,
      to: p.to,
      unit: p.unit,
      class: p.class,
      type: p.type,
      method: p.method,
      cell: p.cell,
      bandwidth: p.method === 'kde' ? p.bandwidth : '',
      band: p.method === 'gistar' ? p.band : '',
      fdr: p.method === 'gistar' && p.fdr ? '1' : '',
      window: p.window !== 'day' ? p.window : '',
      model: p.model !== 'etas' ? p.model : '',
      at: p.at,
      group_by: p.group_by !== 'auto' ? p.group_by : '',
    });
    history.replaceState(null, '', '#/analysis' + qs);
  }

  function filters(p) {
    return { unit: p.unit, class: p.class, type: p.type, cell: p.cell };
  }

  async function loadHotspots(p) {
    const token = ++tokens.hot;
    const errEl = $('.an-map-error');
    errEl.textContent = '';
    setBusy('hot', true);
    try {
      const fc = await api.get(
        '/api/hotspots' +
          query({
            ...filters(p),
            from: p.from,
            to: p.toExclusive,
            method: p.method,
            bandwidth: p.method === 'kde' ? p.bandwidth : '',
            band: p.method === 'gistar' ? p.band : '',
            fdr: p.method === 'gistar' && p.fdr ? '1' : '',
            limit: 20000,
          }),
      );
      if (gone() || token !== tokens.hot) return;
      drawHotspots(fc, p);
    } catch (err) {
      if (gone() || token !== tokens.hot) return;
      if (layers.hot) layers.hot.remove();
      layers.hot = null;
      legends.hot = [];
      showLayers();
      const d = describe(err);
      fieldError(err, d.text);
      $('.an-meta').textContent = '';
      errEl.innerHTML = `<p class="error"><b>热点分析未能完成：</b>${esc(d.text)}</p>${d.hint ? `<p class="an-hint">${esc(d.hint)}</p>` : ''}${fixButtons(d)}`;
    } finally {
      if (token === tokens.hot) setBusy('hot', false);
    }
  }

  function fixButtons(d) {
    const out = [];
    if (d.cell) out.push(`<button type="button" data-fix="cell" data-value="${esc(Math.ceil(Number(d.cell)))}">改用 ${esc(Math.ceil(Number(d.cell)))} 米网格重新分析</button>`);
    if (d.band) out.push(`<button type="button" data-fix="band" data-value="${esc(Math.floor(Number(d.band)))}">改用 ${esc(Math.floor(Number(d.band)))} 米邻域</button>`);
    if (d.bandwidth) out.push(`<button type="button" data-fix="bandwidth" data-value="${esc(Math.floor(Number(d.bandwidth)))}">改用 ${esc(Math.floor(Number(d.bandwidth)))} 米核带宽</button>`);
    return out.length ? `<div class="toolbar">${out.join('')}</div>` : '';
  }

  function drawHotspots(fc, p) {
    const m = fc.meta;
    const parts = [
      `${methodZh(m.method)}`,
      `${esc(p.from)} 至 ${esc(p.to)}`,
      `网格 ${count(m.cell_m)} 米`,
      `定位警情 ${count(m.incidents)} 起${m.unlocated ? `（另有 ${count(m.unlocated)} 起无坐标未上图）` : ''}`,
      `研究区 ${count(m.area_cells)} 格`,
    ];
    if (m.method === 'kde') parts.push(`核带宽 ${count(m.bandwidth_m)} 米`);
    if (m.method === 'gistar')
      parts.push(`邻域 ${count(m.band_m)} 米`, `热点 ${count(m.hot_cells)} 格、冷点 ${count(m.cold_cells)} 格`);
    if (m.truncated) parts.push(`仅显示前 ${count(m.cells)} 格`);
    $('.an-meta').innerHTML = parts.join(' · ');
    if (!map) return;
    if (layers.hot) layers.hot.remove();
    const built = hotspotLayer(fc, { fdr: p.fdr, renderer: renderers.hot });
    layers.hot = built.layer;
    legends.hot = built.legend;
    if (!fc.features.length || (m.method === 'gistar' && !built.drawn))
      $('.an-map-error').innerHTML = `<p class="notice">${
        fc.features.length ? '该周期内没有统计上显著的热点或冷点。' : '该周期和条件下没有已定位的警情。'
      }${p.to < '2024-11-01' || p.from > '2026-10-31' ? '（演示数据范围为 2024-11-01 至 2026-10-31，可点「2026 年夏季」。）' : ''}</p>`;
    showLayers();
    fitToUnit(p.unit);
  }

  function fitToUnit(code) {
    if (!map || fittedUnit === code) return;
    fittedUnit = code;
    const u = code ? ref.unitByCode.get(code) : mine[0];
    if (u && u.boundary) {
      const b = L.geoJSON(u.boundary).getBounds();
      if (b.isValid()) map.fitBounds(b, { padding: [10, 10] });
    }
  }

  function showLayers() {
    if (!map) return;
    const on = {
      hot: $('input[name=layer-hot]').checked,
      fc: $('input[name=layer-fc]').checked,
      sg: $('input[name=layer-sg]').checked,
    };
    for (const k of ['hot', 'fc', 'sg']) {
      const layer = layers[k];
      if (!layer) continue;
      if (on[k] && !map.hasLayer(layer)) layer.addTo(map);
      if (!on[k] && map.hasLayer(layer)) layer.remove();
    }
    legend.update([
      { title: methodZh(el('method').value), rows: on.hot ? legends.hot : [] },
      { title: '预测', rows: on.fc ? legends.fc : [] },
      { title: '巡逻建议', rows: on.sg ? legends.sg : [] },
    ]);
  }

  async function loadForecast(p) {
    const token = ++tokens.fc;
    const errEl = $('.an-fc-error');
    const body = $('[data-testid=forecast-table] tbody');
    errEl.textContent = '';
    $('.an-eval-box').innerHTML = '';
    $('.an-fc-meta').textContent = '';
    body.innerHTML = '<tr><td colspan="5" class="muted">正在计算预测（ETAS 模型首次拟合约需十余秒）…</td></tr>';
    setBusy('fc', true);
    try {
      const fc = await api.get(
        '/api/forecast' +
          query({
            ...filters(p),
            window: p.window,
            model: p.model,
            at: p.at ? (p.at.length === 16 ? p.at + ':00' : p.at) : '',
            limit: 2000,
          }),
      );
      if (gone() || token !== tokens.fc) return;
      forecast = fc;
      drawForecast(fc, null);
      setBusy('fc', false);
      if (Date.parse(fc.meta.window_end) <= Date.now()) {
        setBusy('eval', true);
        try {
          const ev = await loadEvaluation(fc, filters(p));
          if (gone() || token !== tokens.fc) return;
          drawForecast(fc, ev);
        } catch (err) {
          if (gone() || token !== tokens.fc) return;
          $('.an-eval-box').innerHTML = `<p class="error">预测评估未能完成：${esc(describe(err).text)}</p>`;
        } finally {
          setBusy('eval', false);
        }
      } else {
        $('.an-eval-box').innerHTML =
          '<p class="muted an-note">预测窗口尚未结束，结束后即可与实际警情对照评估（命中率、PAI）。演示数据截至 2026-10-31，可点「2026 年夏季」查看 2026-09-01 的预测评估。</p>';
      }
    } catch (err) {
      if (gone() || token !== tokens.fc) return;
      forecast = null;
      keys.fc = '';
      if (layers.fc) layers.fc.remove();
      layers.fc = null;
      legends.fc = [];
      showLayers();
      const d = describe(err);
      // The forecast's own fields get the message; the map's fields keep
      // the hotspot query's (shown under the form).
      if (fcForm.elements[err.field]) fieldError(err, d.text);
      errEl.textContent = `预测未能完成：${d.text}${d.hint ? ' ' + d.hint : ''}`;
      body.innerHTML = '<tr><td colspan="5" class="muted">无预测结果</td></tr>';
    } finally {
      if (token === tokens.fc) setBusy('fc', false);
    }
  }

  function drawForecast(fc, ev) {
    const m = fc.meta;
    const fit = m.fit;
    $('.an-fc-meta').innerHTML = `
      <b>${esc(WINDOW_ZH[m.window] || m.window)}</b>：${esc(m.window_start.slice(0, 16).replace('T', ' '))} 至 ${esc(m.window_end.slice(0, 16).replace('T', ' '))}<br>
      预计全域警情 <b>${esc(Number(m.expected_total).toFixed(1))}</b> 起 · 模型 ${esc(m.model === 'etas' ? 'ETAS' : m.model)} · 学习 ${count(m.history_events)} 起历史警情 · 网格 ${count(m.cell_m)} 米
      ${fit ? `<br><span class="muted">拟合：背景 ${esc(Number(fit.background_per_day).toFixed(1))} 起/日，触发比例 θ=${esc(Number(fit.theta).toFixed(2))}，${fit.converged ? '已收敛' : '未完全收敛（已达迭代上限）'}</span>` : ''}`;
    let cumulative = 0;
    const rows = fc.features.slice(0, FORECAST_TABLE_ROWS).map((f) => {
      const x = f.properties;
      cumulative += x.expected;
      const share = m.expected_total ? (cumulative / m.expected_total) * 100 : null;
      const actual = ev ? ev.actual.get(x.cell) || 0 : null;
      return `<tr data-lat="${esc(x.lat)}" data-lon="${esc(x.lon)}" title="点击在地图上定位">
        <td class="num">${esc(x.rank)}</td><td>${esc(placeOf(x.lat, x.lon) || '辖区外')} <span class="muted an-cell">${esc(x.cell)}</span></td>
        <td class="num">${esc(Number(x.expected).toFixed(3))}</td>
        <td class="num">${share === null ? '—' : share.toFixed(2) + '%'}</td>
        <td class="num">${actual === null ? '<span class="muted">—</span>' : actual ? `<b>${actual}</b>` : '0'}</td></tr>`;
    });
    $('[data-testid=forecast-table] tbody').innerHTML = rows.length
      ? rows.join('')
      : '<tr><td colspan="5" class="muted">研究区没有网格（单位无边界且无警情）</td></tr>';
    if (ev) $('.an-eval-box').innerHTML = evaluationHtml(fc, ev);
    if (!map) return;
    if (layers.fc) layers.fc.remove();
    const built = forecastLayer(fc, FORECAST_TOP_ON_MAP, renderers.fc);
    layers.fc = built.layer;
    legends.fc = built.legend;
    showLayers();
  }

  async function loadSuggestions(p) {
    const token = ++tokens.sg;
    const box = $('.an-sg');
    const errEl = $('.an-sg-error');
    box.hidden = false;
    errEl.textContent = '';
    $('.an-sg-body').innerHTML = '<p class="muted">正在计算巡逻建议（ETAS 模型拟合约需十余秒）…</p>';
    setBusy('sg', true);
    try {
      const res = await api.get(
        '/api/patrol/suggestions' +
          query({
            unit: p.unit,
            class: p.class,
            type: p.type,
            cell: p.cell,
            shift_start: p.at ? (p.at.length === 16 ? p.at + ':00' : p.at) : '',
            hours: 8,
            k: 5,
          }),
      );
      if (gone() || token !== tokens.sg) return;
      plan = res;
      drawSuggestions(res);
    } catch (err) {
      if (gone() || token !== tokens.sg) return;
      keys.sg = '';
      const d = describe(err);
      errEl.textContent = `巡逻建议未能完成：${d.text}${d.hint ? ' ' + d.hint : ''}`;
      $('.an-sg-body').innerHTML = '';
    } finally {
      if (token === tokens.sg) setBusy('sg', false);
    }
  }

  function drawSuggestions(res) {
    const rows = res.stations
      .map((s) => {
        const last = s.cells[s.cells.length - 1];
        return `<tr><td>${esc(s.name)}</td><td class="num">${count(s.station_cells)}</td>
          <td class="num">${esc(Number(s.expected_total).toFixed(2))}</td><td class="num">${s.cells.length}</td>
          <td class="num">${last ? esc((last.cumulative_share * 100).toFixed(2)) + '%' : '—'}</td>
          <td>${s.cells_basis === 'boundary' ? '辖区边界' : '近一年警情'}</td>
          <td><button type="button" class="link" data-station="${esc(s.unit)}">地图定位</button></td></tr>`;
      })
      .join('');
    $('.an-sg-body').innerHTML = `
      <p class="muted">班次 ${esc(res.shift_start.slice(0, 16).replace('T', ' '))} 至 ${esc(res.shift_end.slice(0, 16).replace('T', ' '))}，每所建议巡逻预计警情最多的 5 个网格（ETAS 预测）。</p>
      ${res.stations.length ? `<table class="an-table"><thead><tr><th>派出所</th><th class="num">辖区网格</th><th class="num">本班预计警情</th><th class="num">建议网格</th><th class="num">覆盖预计警情</th><th>网格依据</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="muted">范围内没有可规划的派出所。</p>'}`;
    if (!map) return;
    if (layers.sg) layers.sg.remove();
    const built = suggestionLayer(res, renderers.sg);
    layers.sg = built.layer;
    legends.sg = built.legend;
    showLayers();
  }

  async function loadResponse(p) {
    const token = ++tokens.resp;
    const key = JSON.stringify([p.from, p.to, p.unit, p.group_by]);
    keys.resp = key;
    const errEl = $('.an-resp-error');
    errEl.textContent = '';
    let group = p.group_by;
    if (group === 'auto') {
      const days = (Date.parse(p.toExclusive) - Date.parse(p.from)) / 86400000;
      group = days <= 45 ? 'day' : days <= 400 ? 'week' : 'month';
    }
    try {
      const res = await api.get(
        '/api/stats/response' + query({ from: p.from, to: p.toExclusive, unit: p.unit, group_by: group }),
      );
      if (gone() || token !== tokens.resp) return;
      report = res;
      const k = responseKpis(res);
      $('.an-resp-kpis').innerHTML = k.html;
      $('.an-resp-note').innerHTML = k.note;
      chart = drawResponseChart(chartEl, res, chart);
      histogram = drawResponseHistogram(histogramEl, res, histogram);
      $('.an-resp-table').innerHTML = responseTable(res);
    } catch (err) {
      if (gone() || token !== tokens.resp) return;
      keys.resp = '';
      const d = describe(err);
      errEl.textContent = `1-3-5 统计未能完成：${d.text}${d.hint ? ' ' + d.hint : ''}`;
    }
  }
}
