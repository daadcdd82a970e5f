// 战果统计: the campaign dashboard (issue 18). The period at the top with
// the CompStat windows beside it (7/28 days, year to date, 365 days, each
// against the same window a year earlier); KPI cards by class with 同比 and
// 环比; the daily trend against last year; counts by type; the child units
// ranked; what rose beyond chance; 1-3-5 response compliance; patrol
// figures; the ledgers' 防/管/治/宣 figures (dashboard-ledgers.js); 生成通报
// of the same unit and period (dashboard-bulletin.js); 导出Excel of the
// by-type table (GET /api/stats/export.xlsx). Every
// count links to the list of its records. The server scopes every answer
// to the user's unit subtree.
import './dashboard.css';
import { api, query } from '../api.js';
import { explain } from '../zh.js';
import { count, change, changeClass, esc } from '../format.js';
import { reference, CLASS_COLOURS } from '../taxonomy.js';
import {
  apiRange, dashboardHash, dayCount, defaultPeriod, firstDay, incidentsHref, lastDay, parseDate,
  periodFromQuery, proseRange, windows,
} from '../dashboard-period.js';
import { sortableTable, bar, paint, exportStatsXlsx } from '../dashboard-table.js';
import { renderResponse, renderPatrol } from '../dashboard-service.js';
import { renderLedgerPanel } from '../dashboard-ledgers.js';
import { bulletinTools, bulletinToolsHtml } from '../dashboard-bulletin.js';

// Classes the shared palette does not name yet (taxonomy codes help, disaster).
const MORE_COLOURS = { help: '#36cfc9', disaster: '#ff7a45' };
const colourOf = (code) => CLASS_COLOURS[code] || MORE_COLOURS[code] || '#8c8c8c';

const RISING_BY = [
  ['type', '按类型'],
  ['class', '按类别'],
  ['unit', '按单位'],
  ['unit_type', '单位×类型'],
];
const RISING_BASELINE = [
  ['previous', '对照前12期'],
  ['past_years', '对照往年同期'],
];
const TEST_ZH = { poisson: '泊松率比检验', negative_binomial: '负二项检验' };

const PERIOD_FIELDS = { from: '开始日期', to: '结束日期', until: '结束日期' };

// explain() for the stats routes: their from/to are the period's dates.
function explainStats(err) {
  if (PERIOD_FIELDS[err.field]) {
    return explain({ status: err.status, code: err.code, field: '', message: `${PERIOD_FIELDS[err.field]}：${err.message}` });
  }
  return explain(err);
}

function skeleton(ledgers, bulletin) {
  const opts = (list) => list.map(([v, t]) => `<option value="${v}">${t}</option>`).join('');
  return `
  <div class="dash">
    <section class="card dash-head">
      <div class="dash-title">
        <h2>战果统计 <span class="dash-scope" data-ref="scope"></span></h2>
        <p class="muted dash-periodline" data-ref="periodline"></p>
      </div>
      <form class="dash-period" novalidate autocomplete="off">
        <label>开始日期<input type="date" name="from" required><span class="field-error" data-error="from"></span></label>
        <label>结束日期<input type="date" name="to" required><span class="field-error" data-error="to"></span></label>
        <label>单位<select name="unit"><option value="">本单位全部</option></select><span class="field-error" data-error="unit"></span></label>
        <button type="submit" class="primary" data-testid="apply-period">查询</button>
        <p class="form-error" data-ref="formerror"></p>
      </form>
      <div class="dash-windows" data-ref="windows"></div>
    </section>
    ${bulletin ? bulletinToolsHtml() : ''}
    <section class="kpis dash-kpis" data-ref="kpis" aria-live="polite"><p class="loading">正在加载…</p></section>
    ${
      ledgers
        ? `<section class="card dash-panel" data-testid="ledger-panel">
        <header><h2>台账工作 · 防 管 治 宣</h2><span class="dash-tools muted">按台账登记、化解与检查时间统计</span></header>
        <div class="dash-body" data-ref="ledgers"><p class="loading">正在加载…</p></div>
      </section>`
        : ''
    }
    <div class="dash-row dash-row-wide">
      <section class="card dash-panel">
        <header><h2 data-ref="trendtitle">每日警情走势（本期与去年同期）</h2>
          <button type="button" class="link dash-toggle" data-ref="trendtoggle" aria-pressed="false">表格视图</button></header>
        <div class="dash-body" data-ref="trend"><p class="loading">正在加载…</p></div>
      </section>
      <section class="card dash-panel">
        <header><h2>单位排名</h2><span class="dash-tools" data-ref="unittools"></span></header>
        <div class="dash-body dash-scroll" data-ref="units"><p class="loading">正在加载…</p></div>
      </section>
    </div>
    <div class="dash-row">
      <section class="card dash-panel">
        <header><h2>分类型警情</h2>
          <span class="dash-tools">
            <select name="typeclass" aria-label="警情类别"><option value="">全部类别</option></select>
            <label class="dash-check"><input type="checkbox" name="typezero">含零记录类型</label>
            <button type="button" data-testid="types-export" title="按当前单位、期间和类别导出（含去年同期、同比）">导出Excel</button>
            <span class="muted" role="status" data-ref="typesexport"></span>
          </span></header>
        <div class="dash-body dash-scroll" data-ref="types"><p class="loading">正在加载…</p></div>
      </section>
      <section class="card dash-panel">
        <header><h2>上升类型研判</h2>
          <span class="dash-tools">
            <select name="risingby" aria-label="序列">${opts(RISING_BY)}</select>
            <select name="risingbase" aria-label="对照">${opts(RISING_BASELINE)}</select>
          </span></header>
        <div class="dash-body" data-ref="rising"><p class="loading">正在加载…</p></div>
      </section>
    </div>
    <div class="dash-row">
      <section class="card dash-panel">
        <header><h2>1-3-5 快速反应达标</h2></header>
        <div class="dash-body" data-ref="response"><p class="loading">正在加载…</p></div>
      </section>
      <section class="card dash-panel" data-ref="patrolpanel">
        <header><h2>巡防工作</h2></header>
        <div class="dash-body" data-ref="patrol"><p class="loading">滚动到此处时开始计算（含热点覆盖，需时较长）</p></div>
      </section>
    </div>
  </div>`;
}

function changeSpan(pct) {
  return `<span class="${changeClass(pct)}">${change(pct)}</span>`;
}

export async function render(container, ctx) {
  const showLedgers = ctx.can('ledgers.read');
  const showBulletin = ctx.can('stats.read');
  container.innerHTML = skeleton(showLedgers, showBulletin);
  const $ = (name) => container.querySelector(`[data-ref="${name}"]`);
  const form = container.querySelector('form.dash-period');
  const typeClass = container.querySelector('select[name=typeclass]');
  const typeZero = container.querySelector('input[name=typezero]');
  const risingBy = container.querySelector('select[name=risingby]');
  const risingBase = container.querySelector('select[name=risingbase]');

  const asked = ctx.query.get('from') || ctx.query.get('to');
  let period = periodFromQuery(ctx.query) || defaultPeriod();
  let unit = ctx.query.get('unit') || '';
  let token = 0;
  let disposed = false;
  let ref = null;
  let chart = null;
  let trendPoints = [];
  let tableView = false;
  let typeData = null;
  let patrolVisible = false;
  let patrolPending = null;
  let inScope = new Set();

  if (asked && !periodFromQuery(ctx.query)) {
    $('formerror').textContent = `地址中的统计周期无效（${ctx.query.get('from') || '空'} 至 ${ctx.query.get('to') || '空'}），已改为近28天`;
  }

  // ---- the period form ------------------------------------------------
  function showPeriod() {
    form.elements.from.value = period.from;
    form.elements.to.value = period.to;
    form.elements.unit.value = unit;
    for (const b of container.querySelectorAll('[data-window]')) {
      const w = windows().find((x) => x.key === b.dataset.window);
      b.closest('.dash-window').classList.toggle('active', !!w && w.from === period.from && w.to === period.to);
    }
  }

  function clearErrors() {
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
    for (const i of form.querySelectorAll('.invalid')) i.classList.remove('invalid');
    $('formerror').textContent = '';
  }

  function fieldError(field, text) {
    const slot = form.querySelector(`[data-error="${field}"]`);
    const input = form.elements[field];
    if (slot) slot.textContent = text;
    else $('formerror').textContent = text;
    if (input) input.classList.add('invalid');
  }

  function go(next, nextUnit = unit) {
    period = next;
    unit = nextUnit;
    const hash = dashboardHash(period, unit);
    // pushState: the page reloads its figures in place (no router
    // round trip); Back still returns to the previous period.
    if (location.hash !== hash) history.pushState(null, '', hash);
    load();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors();
    const from = form.elements.from.value;
    const to = form.elements.to.value;
    let ok = true;
    if (!parseDate(from)) {
      fieldError('from', from ? '日期格式不对' : '请选择开始日期');
      ok = false;
    }
    if (!parseDate(to)) {
      fieldError('to', to ? '日期格式不对' : '请选择结束日期');
      ok = false;
    }
    if (ok && from > to) {
      fieldError('to', '结束日期不能早于开始日期');
      ok = false;
    }
    if (!ok) return;
    go({ from, to }, form.elements.unit.value);
  });

  form.elements.unit.addEventListener('change', () => {
    clearErrors();
    go(period, form.elements.unit.value);
  });

  $('windows').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-window]');
    if (!b) return;
    const w = windows().find((x) => x.key === b.dataset.window);
    clearErrors();
    go({ from: w.from, to: w.to });
  });

  $('units').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-drill]');
    if (!b) return;
    clearErrors();
    go(period, b.dataset.drill);
  });
  $('unittools').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-drill]');
    if (!b) return;
    clearErrors();
    go(period, b.dataset.drill);
  });

  // ---- reference data: unit names, types' classes ----------------------
  const refReady = reference()
    .then((r) => {
      if (disposed) return null;
      ref = r;
      fillUnits();
      for (const c of r.taxonomy.classes) typeClass.add(new Option(c.name_zh || c.code, c.code));
      showScope();
      return r;
    })
    .catch(() => null);

  // The user's own unit and its subtree (GET /api/units also names the
  // ancestors, for context; they are outside the scope).
  function subtree() {
    const own = ctx.session.user.unit;
    const children = new Map();
    for (const u of ref.units) {
      if (!children.has(u.parent || '')) children.set(u.parent || '', []);
      children.get(u.parent || '').push(u);
    }
    const out = [];
    const walk = (u, depth) => {
      out.push({ unit: u, depth });
      for (const c of children.get(u.code) || []) walk(c, depth + 1);
    };
    const root = ref.unitByCode.get(own);
    if (root) walk(root, 0);
    else for (const r of children.get('') || []) walk(r, 0);
    return out;
  }

  function fillUnits() {
    const select = form.elements.unit;
    const list = subtree();
    inScope = new Set(list.map((x) => x.unit.code));
    select.options[0].textContent = `${ctx.session.user.unit_name || ctx.session.user.unit}（全部）`;
    for (const { unit: u, depth } of list) {
      if (depth === 0 && u.code === ctx.session.user.unit) continue;
      select.add(new Option('　'.repeat(Math.max(0, depth - 1)) + u.name, u.code));
    }
    if (unit && !inScope.has(unit)) select.add(new Option(unit, unit));
    select.value = unit;
  }
  function unitName(code) {
    const u = ref && ref.unitByCode.get(code);
    return u ? u.name : code;
  }

  function hasChildren(code) {
    return !!ref && ref.units.some((u) => u.parent === code);
  }

  function showScope() {
    const s = ctx.session.user;
    if (updateBulletin) updateBulletin();
    $('scope').textContent = unit ? `· ${unitName(unit)}` : `· ${s.unit_name || s.unit}`;
    const tools = $('unittools');
    if (!unit) {
      tools.innerHTML = '';
      return;
    }
    const u = ref && ref.unitByCode.get(unit);
    const up = u && u.parent && u.parent !== ctx.session.user.unit && inScope.has(u.parent) ? u.parent : '';
    tools.innerHTML = `<button type="button" class="link" data-drill="${esc(up)}">↑ 返回${esc(up ? unitName(up) : '本单位全部')}</button>`;
  }

  // ---- 生成通报 (dashboard-bulletin.js): this unit and period ----------
  const bulletinRoot = container.querySelector('[data-testid=bulletin]');
  const updateBulletin = bulletinRoot
    ? bulletinTools(bulletinRoot, () => ({
        period,
        unit: unit || ctx.session.user.unit,
        unitName: unit ? unitName(unit) : ctx.session.user.unit_name || ctx.session.user.unit,
      }))
    : null;

  // ---- loading ----------------------------------------------------------
  function busy(el) {
    el.classList.add('dash-loading');
    if (!el.firstElementChild) el.innerHTML = '<p class="loading">正在加载…</p>';
  }
  function done(el) {
    el.classList.remove('dash-loading');
  }
  function failed(el, err, what) {
    done(el);
    el.innerHTML = `<p class="error">${esc(what)}加载失败：${esc(explainStats(err))}</p>`;
  }

  function load() {
    const my = ++token;
    const live = () => my === token && !disposed;
    container.removeAttribute('data-ready');
    showPeriod();
    showScope();
    periodLine(null);
    const range = { ...apiRange(period), unit: unit || undefined };
    for (const name of ['kpis', 'trend', 'units', 'types', 'rising', 'response']) busy($(name));
    loadOverview(range, live);
    loadWindows(live);
    loadTrend(range, live);
    loadTypes(range, live);
    loadRising(range, live);
    loadResponse(range, live);
    if (showLedgers) loadLedgers(range, live);
    patrolPending = { range, live };
    if (patrolVisible) loadPatrol();
    else {
      const el = $('patrol');
      el.innerHTML = '<p class="loading">滚动到此处时开始计算（含热点覆盖，需时较长）</p>';
    }
  }

  function periodLine(ov) {
    const days = dayCount(period.from, period.to);
    let text = `本期 ${proseRange(period.from, period.to)}（${days}天）`;
    if (ov) {
      text +=
        ` · 同比对照 ${proseRange(firstDay(ov.yoy_from), lastDay(ov.yoy_to))}` +
        ` · 环比对照 ${proseRange(firstDay(ov.previous_from), lastDay(ov.previous_to))}`;
    }
    $('periodline').textContent = text;
  }

  // ---- KPI cards and the unit ranking (GET /api/stats/overview) ---------
  async function loadOverview(range, live) {
    const el = $('kpis');
    try {
      const ov = await api.get('/api/stats/overview' + query(range));
      if (!live()) return;
      periodLine(ov);
      renderKpis(ov);
      done(el);
      container.dataset.ready = '1';
      await refReady;
      if (!live()) return;
      renderUnits(ov);
    } catch (err) {
      if (!live()) return;
      failed(el, err, '统计数据');
      failed($('units'), err, '单位排名');
      if (PERIOD_FIELDS[err.field]) fieldError(err.field === 'until' ? 'to' : err.field, explainStats(err));
      else if (err.field === 'unit') fieldError('unit', explain(err));
    }
  }

  function spans(ov) {
    return {
      cur: { from: period.from, to: period.to },
      yoy: { from: firstDay(ov.yoy_from), to: lastDay(ov.yoy_to) },
      prev: { from: firstDay(ov.previous_from), to: lastDay(ov.previous_to) },
    };
  }

  function kpiCard(line, ov, { total = false } = {}) {
    const s = spans(ov);
    const f = { unit, cls: total ? undefined : line.code };
    const label = total ? '警情总数' : `${line.name}警情`;
    return `
      <div class="kpi dash-kpi${total ? ' dash-kpi-total' : ''}"${total ? ' data-testid="kpi-total"' : ` data-class="${esc(line.code)}"`}>
        <div class="label">${esc(label)}</div>
        <div class="value"><a href="${esc(incidentsHref({ ...s.cur, ...f }))}" title="查看本期${esc(label)}列表">${count(line.count)}</a><small>起</small></div>
        <div class="sub">同比 ${changeSpan(line.yoy_change_pct)}</div>
        <div class="sub">环比 ${changeSpan(line.previous_change_pct)}</div>
        <div class="sub muted">去年 <a href="${esc(incidentsHref({ ...s.yoy, ...f }))}" title="去年同期列表">${count(line.yoy_count)}</a>
          · 上期 <a href="${esc(incidentsHref({ ...s.prev, ...f }))}" title="上一周期列表">${count(line.previous_count)}</a></div>
      </div>`;
  }

  function renderKpis(ov) {
    const el = $('kpis');
    el.innerHTML = kpiCard(ov.total, ov, { total: true }) + ov.classes.map((c) => kpiCard(c, ov)).join('');
    for (const card of el.querySelectorAll('[data-class]')) card.style.borderTopColor = colourOf(card.dataset.class);
  }

  function renderUnits(ov) {
    const el = $('units');
    done(el);
    const s = spans(ov);
    const max = Math.max(1, ...ov.units.map((u) => u.count));
    // Ties keep last year's order (the larger first).
    const rows = ov.units.slice().sort((a, b) => a.rank - b.rank || b.yoy_count - a.yoy_count);
    sortableTable(
      el,
      [
        { key: 'rank', title: '排名', num: true, value: (u) => u.rank, html: (u) => `<b>${count(u.rank)}</b>` },
        {
          key: 'name',
          title: '单位',
          value: (u) => u.name,
          html: (u) =>
            esc(u.name) +
            (u.code && u.code !== unit && hasChildren(u.code)
              ? ` <button type="button" class="link dash-drill" data-drill="${esc(u.code)}" title="查看${esc(u.name)}下属单位">下钻</button>`
              : ''),
        },
        {
          key: 'count',
          title: '本期',
          num: true,
          value: (u) => u.count,
          html: (u) => `<a href="${esc(incidentsHref({ ...s.cur, unit: u.code }))}">${count(u.count)}</a>${bar(u.count / max, '#1d39c4')}`,
        },
        {
          key: 'yoy',
          title: '去年同期',
          num: true,
          value: (u) => u.yoy_count,
          html: (u) => `<a href="${esc(incidentsHref({ ...s.yoy, unit: u.code }))}">${count(u.yoy_count)}</a>`,
        },
        { key: 'pct', title: '同比', num: true, value: (u) => u.yoy_change_pct, html: (u) => changeSpan(u.yoy_change_pct) },
      ],
      rows,
      { sortKey: 'rank', desc: false, empty: '本单位没有下属单位' },
    );
  }

  // ---- the CompStat windows (GET /api/stats, compare=yoy) --------------
  async function loadWindows(live) {
    const el = $('windows');
    const list = windows();
    if (!el.firstElementChild) {
      el.innerHTML = list
        .map(
          (w) => `<div class="dash-window"><button type="button" data-window="${w.key}" title="${esc(proseRange(w.from, w.to))}">${w.label}</button>
            <span class="dash-wfig" data-wfig="${w.key}"><span class="muted">…</span></span>
            <span class="dash-wsub" data-wsub="${w.key}">${esc(proseRange(w.from, w.to))}</span></div>`,
        )
        .join('');
      showPeriod();
    }
    await Promise.all(
      list.map(async (w) => {
        const slot = el.querySelector(`[data-wfig="${w.key}"]`);
        try {
          const r = await api.get('/api/stats' + query({ ...apiRange(w), unit: unit || undefined, compare: 'yoy' }));
          if (!live()) return;
          const yoy = { from: firstDay(r.compare_from), to: lastDay(r.compare_to), unit };
          slot.innerHTML =
            `<a class="dash-wcount" href="${esc(incidentsHref({ ...w, unit }))}" title="${esc(proseRange(w.from, w.to))}">${count(r.total)}</a> 起 ` +
            `同比 ${changeSpan(r.change_pct)}`;
          el.querySelector(`[data-wsub="${w.key}"]`).innerHTML =
            `${esc(proseRange(w.from, w.to))} · 去年同期 <a href="${esc(incidentsHref(yoy))}">${count(r.compare_total)}</a> 起`;
        } catch (err) {
          if (!live()) return;
          slot.innerHTML = `<span class="error" title="${esc(explainStats(err))}">加载失败</span>`;
        }
      }),
    );
  }

  // ---- the daily trend (GET /api/stats, bucket=day, compare=yoy) ------
  const trendToggle = $('trendtoggle');
  trendToggle.addEventListener('click', () => {
    tableView = !tableView;
    trendToggle.setAttribute('aria-pressed', String(tableView));
    drawTrend();
  });

  function onResize() {
    if (chart) chart.resize();
  }
  window.addEventListener('resize', onResize);

  async function loadTrend(range, live) {
    const el = $('trend');
    const days = dayCount(period.from, period.to);
    const bucket = days > 400 ? 'month' : 'day';
    $('trendtitle').textContent = `${bucket === 'day' ? '每日' : '每月'}警情走势（本期与去年同期）`;
    try {
      const [r, charts] = await Promise.all([
        api.get('/api/stats' + query({ ...range, bucket, compare: 'yoy' })),
        import('../dashboard-charts.js'),
      ]);
      if (!live()) return;
      const byBucket = new Map(r.rows.map((row) => [row.bucket, row]));
      const multiYear = period.from.slice(0, 4) !== period.to.slice(0, 4);
      trendPoints = r.buckets.map((b, i) => {
        const row = byBucket.get(i) || {};
        const from = firstDay(b.start);
        const to = lastDay(b.end);
        const cFrom = b.compare_start ? firstDay(b.compare_start) : '';
        const cTo = b.compare_end ? lastDay(b.compare_end) : '';
        return {
          label: bucket === 'month' ? from.slice(0, 7) : multiYear ? from : from.slice(5),
          date: bucket === 'month' ? `${from} 至 ${to}` : from,
          compareDate: bucket === 'month' ? (cFrom ? `${cFrom} 至 ${cTo}` : '') : cFrom,
          from,
          to,
          compareFrom: cFrom,
          compareTo: cTo,
          count: row.count ?? 0,
          compareCount: row.compare_count ?? 0,
          changePct: row.change_pct ?? null,
        };
      });
      trendCharts = charts;
      trendBucket = bucket;
      trendTotals = r;
      done(el);
      drawTrend();
    } catch (err) {
      if (!live()) return;
      disposeChart();
      failed(el, err, '走势');
    }
  }
  let trendCharts = null;
  let trendBucket = 'day';
  let trendTotals = null;

  function disposeChart() {
    if (chart) chart.dispose();
    chart = null;
  }

  function drawTrend() {
    const el = $('trend');
    if (!trendCharts || !trendTotals) return;
    disposeChart();
    trendToggle.textContent = tableView ? '图表视图' : '表格视图';
    const n = trendPoints.length || 1;
    const peak = trendPoints.reduce((m, p) => (p.count > (m ? m.count : -1) ? p : m), null);
    const unitWord = trendBucket === 'day' ? '日均' : '月均';
    const summary =
      `<p class="dash-note">本期共 <b>${count(trendTotals.total)}</b> 起，${unitWord} ${(trendTotals.total / n).toFixed(1)} 起；` +
      `去年同期 ${count(trendTotals.compare_total)} 起，${unitWord} ${((trendTotals.compare_total ?? 0) / n).toFixed(1)} 起；同比 ${changeSpan(trendTotals.change_pct)}` +
      (peak && peak.count > 0 ? `；峰值 ${esc(peak.date)}（${count(peak.count)} 起）` : '') +
      '。</p>';
    if (tableView) {
      const rows = trendPoints
        .map(
          (p) => `<tr><td>${esc(p.date)}</td>
            <td class="num"><a href="${esc(incidentsHref({ from: p.from, to: p.to, unit }))}">${count(p.count)}</a></td>
            <td>${esc(p.compareDate || '—')}</td>
            <td class="num">${p.compareFrom ? `<a href="${esc(incidentsHref({ from: p.compareFrom, to: p.compareTo, unit }))}">${count(p.compareCount)}</a>` : count(p.compareCount)}</td>
            <td class="num">${changeSpan(p.changePct)}</td></tr>`,
        )
        .join('');
      el.innerHTML = `${summary}<div class="dash-scroll dash-trend-table"><table class="dash-table"><thead><tr><th>日期</th><th class="num">本期</th><th>去年同期日期</th><th class="num">去年同期</th><th class="num">同比</th></tr></thead><tbody>${rows}</tbody></table></div>`;
      return;
    }
    el.innerHTML = `${summary}<div class="chart dash-trend" role="img" aria-label="本期与去年同期警情走势"></div>`;
    chart = trendCharts.trendChart(el.querySelector('.dash-trend'), trendPoints, {
      bucketLabel: trendBucket === 'day' ? '按日' : '按月',
      onPick(p, which) {
        const f = which === 1 ? { from: p.compareFrom, to: p.compareTo } : { from: p.from, to: p.to };
        if (f.from) location.hash = incidentsHref({ ...f, unit });
      },
    });
  }

  // ---- by type (GET /api/stats, group_by=type, compare=yoy) -----------
  typeClass.addEventListener('change', () => drawTypes());
  typeZero.addEventListener('change', () => drawTypes());
  let typesRange = null; // the query the table shows, for 导出Excel

  // 导出Excel: the table's query (with the chosen class) as a workbook.
  const typesExport = container.querySelector('[data-testid=types-export]');
  typesExport.addEventListener('click', async () => {
    if (typesExport.disabled || !typesRange) return;
    const note = $('typesexport');
    typesExport.disabled = true;
    note.className = 'muted';
    note.textContent = '正在导出…';
    const scope = unit ? unitName(unit) : ctx.session.user.unit_name || ctx.session.user.unit;
    const name = `${String(scope).replace(/[\\/:*?"<>|\s]+/g, '_')}_分类型警情_${period.from}至${period.to}.xlsx`;
    try {
      const size = await exportStatsXlsx({ ...typesRange, group_by: 'type', compare: 'yoy', class: typeClass.value || undefined }, name);
      note.textContent = `已导出 ${name}（${(size / 1024).toFixed(1)} KB）`;
    } catch (err) {
      note.className = 'error';
      note.textContent = '导出失败：' + explainStats(err);
    } finally {
      typesExport.disabled = false;
    }
  });

  async function loadTypes(range, live) {
    const el = $('types');
    typesRange = range;
    try {
      const [r] = await Promise.all([api.get('/api/stats' + query({ ...range, group_by: 'type', compare: 'yoy' })), refReady]);
      if (!live()) return;
      typeData = r;
      done(el);
      drawTypes();
    } catch (err) {
      if (!live()) return;
      typeData = null;
      failed(el, err, '分类型统计');
    }
  }

  function drawTypes() {
    const el = $('types');
    if (!typeData) return;
    const r = typeData;
    const yoy = { from: firstDay(r.compare_from), to: lastDay(r.compare_to) };
    const names = new Map(r.groups.map((g) => [g.code, g.name]));
    const classOf = (code) => (ref && ref.types.get(code) ? ref.types.get(code).class : '');
    const className = (code) => {
      const c = ref && ref.classes.get(code);
      return c ? c.name_zh || c.code : code || '—';
    };
    let rows = r.rows.map((row) => ({ ...row, name: names.get(row.group) || row.group, cls: classOf(row.group) }));
    if (typeClass.value) rows = rows.filter((x) => x.cls === typeClass.value);
    const hidden = rows.filter((x) => !x.count && !x.compare_count).length;
    if (!typeZero.checked) rows = rows.filter((x) => x.count || x.compare_count);
    const max = Math.max(1, ...rows.map((x) => x.count));
    rows.sort((a, b) => b.compare_count - a.compare_count); // ties in a sort keep this order
    sortableTable(
      el,
      [
        { key: 'name', title: '类型', value: (x) => x.name, html: (x) => esc(x.name) },
        {
          key: 'cls',
          title: '类别',
          value: (x) => className(x.cls),
          html: (x) => `<i class="dash-swatch" data-colour="${colourOf(x.cls)}"></i>${esc(className(x.cls))}`,
        },
        {
          key: 'count',
          title: '本期',
          num: true,
          value: (x) => x.count,
          html: (x) =>
            `<a href="${esc(incidentsHref({ from: period.from, to: period.to, unit, type: x.group }))}">${count(x.count)}</a>${bar(x.count / max, colourOf(x.cls))}`,
        },
        {
          key: 'yoy',
          title: '去年同期',
          num: true,
          value: (x) => x.compare_count,
          html: (x) => `<a href="${esc(incidentsHref({ ...yoy, unit, type: x.group }))}">${count(x.compare_count)}</a>`,
        },
        { key: 'pct', title: '同比', num: true, value: (x) => x.change_pct, html: (x) => changeSpan(x.change_pct) },
      ],
      rows,
      {
        sortKey: 'count',
        desc: true,
        empty: '本期与去年同期都没有该类别的警情',
        caption: hidden && !typeZero.checked ? `另有 ${hidden} 个类型本期与去年同期均为 0 起，已隐藏` : '',
      },
    );
  }

  // ---- rising (GET /api/stats/rising) -----------------------------------
  risingBy.addEventListener('change', () => reloadRising());
  risingBase.addEventListener('change', () => reloadRising());
  let risingLive = () => false;
  let risingRange = null;
  function reloadRising() {
    if (!risingRange) return;
    busy($('rising'));
    loadRising(risingRange, risingLive);
  }

  async function loadRising(range, live) {
    risingRange = range;
    risingLive = live;
    const el = $('rising');
    const days = dayCount(period.from, period.to);
    if (days > 366) {
      done(el);
      el.innerHTML = `<p class="muted">上升研判的窗口最长 366 天，本期 ${days} 天：请缩短统计周期后查看。</p>`;
      return;
    }
    const by = risingBy.value;
    const baseline = risingBase.value;
    try {
      const r = await api.get('/api/stats/rising' + query({ ...range, by, baseline, limit: 10 }));
      if (!live() || by !== risingBy.value || baseline !== risingBase.value) return;
      done(el);
      drawRising(r);
    } catch (err) {
      if (!live()) return;
      failed(el, err, '上升研判');
    }
  }

  function drawRising(r) {
    const el = $('rising');
    const win = { from: firstDay(r.window.from), to: lastDay(r.window.to) };
    const used = r.history.length;
    const head =
      `<p class="dash-note">对照 ${count(used)} 个历史窗口（${r.baseline === 'past_years' ? '往年同期及前后相邻窗口' : '本期之前的等长窗口'}` +
      `${r.dropped_windows ? `，另有 ${count(r.dropped_windows)} 个早于最早记录、未用` : ''}），` +
      `检验 ${count(r.tested)} 个序列，<b class="${r.flagged ? 'up' : 'flat'}">显著上升 ${count(r.flagged)} 个</b>` +
      `（错误发现率 α = ${r.alpha}）。</p>`;
    if (!r.tested) {
      el.innerHTML = head + '<p class="muted">本期之前没有可对照的历史记录，无法检验。</p>';
      return;
    }
    // Flagged series, then those merely above their history (for reference).
    const items = r.items.filter((it) => it.rising || it.observed > it.expected);
    if (!items.length) {
      el.innerHTML = head + '<p class="muted">本期没有高于历史均值的序列。</p>';
      return;
    }
    const note = r.flagged
      ? ''
      : '<p class="muted dash-small">本期没有超出随机波动的上升；下表是高于历史均值、但未达显著的序列，仅供参考。</p>';
    const label = (it) => [it.unit && it.unit.name, it.type && it.type.name, it.class && it.class.name].filter(Boolean).join(' · ');
    const href = (it) =>
      incidentsHref({
        ...win,
        unit: (it.unit && it.unit.code) || unit,
        type: it.type && it.type.code,
        cls: it.class && it.class.code,
      });
    const rows = items
      .map(
        (it) => `<tr class="${it.rising ? 'dash-rising' : ''}">
          <td class="num">${it.rank}</td>
          <td title="${esc('历史各期（由近及远）：' + it.history.join('、'))}">${esc(label(it))}</td>
          <td class="num"><a href="${esc(href(it))}">${count(it.observed)}</a></td>
          <td class="num">${it.expected.toFixed(1)}</td>
          <td class="num">${it.ratio === null ? '—' : '×' + it.ratio.toFixed(2)}</td>
          <td class="num">${it.z.toFixed(2)}</td>
          <td class="num">${fmtP(it.p)}</td>
          <td class="num">${fmtP(it.q)}</td>
          <td title="${esc('离散度（方差/均值）' + it.dispersion.toFixed(2))}">${esc(TEST_ZH[it.test] || it.test)}</td>
          <td>${it.rising ? '<span class="badge dash-flag">显著上升</span>' : '<span class="badge">未达显著</span>'}</td>
        </tr>`,
      )
      .join('');
    el.innerHTML =
      head +
      note +
      `<div class="dash-scroll dash-rising-table"><table class="dash-table"><thead><tr>
        <th class="num">序</th><th>序列</th><th class="num" title="本期计数">本期</th><th class="num" title="历史窗口均值">期望</th>
        <th class="num" title="本期/期望">倍数</th><th class="num" title="稳健z分数（中位数与MAD）">z</th>
        <th class="num" title="单侧检验p值">p</th><th class="num" title="Benjamini-Hochberg q值">q</th><th>检验</th><th>判定</th>
      </tr></thead><tbody>${rows || '<tr><td colspan="10" class="muted dash-empty">无可检验的序列</td></tr>'}</tbody></table></div>`;
  }

  function fmtP(x) {
    if (x === null || x === undefined) return '—';
    if (x < 0.001) return x.toExponential(1);
    return x.toFixed(3);
  }

  // ---- the ledgers' 防/管/治/宣 (dashboard-ledgers.js) ------------------
  async function loadLedgers(range, live) {
    const el = $('ledgers');
    el.removeAttribute('data-ready');
    busy(el);
    try {
      await renderLedgerPanel(el, { period, range, unit: unit || ctx.session.user.unit, live });
      if (!live()) return;
      done(el);
      el.dataset.ready = '1';
    } catch (err) {
      if (!live()) return;
      failed(el, err, '台账统计');
    }
  }

  // ---- response and patrol (dashboard-service.js) ----------------------
  async function loadResponse(range, live) {
    const el = $('response');
    try {
      const [r] = await Promise.all([api.get('/api/stats/response' + query(range)), refReady]);
      if (!live()) return;
      done(el);
      renderResponse(el, r, { period, unit, unitName, inScope: (code) => inScope.has(code) });
      paint(el);
    } catch (err) {
      if (!live()) return;
      failed(el, err, '快速反应统计');
    }
  }

  async function loadPatrol() {
    if (!patrolPending) return;
    const { range, live } = patrolPending;
    patrolPending = null;
    const el = $('patrol');
    const days = dayCount(period.from, period.to);
    if (days > 366) {
      el.innerHTML = `<p class="muted">巡防统计的周期最长 366 天，本期 ${days} 天：请缩短统计周期后查看。</p>`;
      return;
    }
    el.innerHTML = '<p class="loading">正在计算巡防数据（热点覆盖需先算出本期热点预测，首次可能要半分钟）…</p>';
    try {
      const r = await api.get('/api/stats/patrol' + query(range));
      if (!live()) return;
      renderPatrol(el, r);
      paint(el);
    } catch (err) {
      if (!live()) return;
      failed(el, err, '巡防统计');
    }
  }

  const observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver((entries) => {
          patrolVisible = entries.some((e) => e.isIntersecting);
          if (patrolVisible) loadPatrol();
        })
      : null;
  if (observer) observer.observe($('patrolpanel'));
  else patrolVisible = true;

  // Back/forward between periods re-renders through the router (hashchange).
  load();

  return () => {
    disposed = true;
    token++;
    window.removeEventListener('resize', onResize);
    if (observer) observer.disconnect();
    disposeChart();
  };
}
