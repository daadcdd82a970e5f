// 案件 (issues 20 and 22):
//   #/cases?figure=<name>&from=&to=&class=&unit=
//                  the records behind a case figure, the page a bulletin's
//                  case figure links to: the figure's title, value, period
//                  and unit, and its rows (GET /api/case-figures/records),
//                  paged, each leading to its case
//   #/cases?unit=&class=&status=&from=&to=
//                  the cases (GET /api/cases), newest opened first, more on demand
//   #/cases/<id>   one case (GET /api/cases/{id}): number, type, class,
//                  status, unit, times, persons masked, measures, money
// Dates in the hash are inclusive (as bulletins and the other lists write
// them); the API's `to` is exclusive, so a day is added.
import './workbench.css';
import './cases.css';
import { api, query } from '../api.js';
import { count, esc, fullTime } from '../format.js';
import { RECORDS_PAGE_SIZE, figureValue, recordsQuery, yuan } from '../case-records.js';
import { reference } from '../taxonomy.js';
import { unitOptions } from '../workbench-common.js';
import { nextDay } from '../ledger-files.js';
import { CASE_CLASS_ZH, CASE_EVENT_ZH, CASE_STATUS_ZH, explain } from '../zh.js';

const PAGE_SIZE = RECORDS_PAGE_SIZE;

const date = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || '') ? v : '');

export async function render(container, ctx) {
  if (ctx.params[0]) return renderCase(container, Number(ctx.params[0]));
  if (ctx.query.get('figure')) return renderFigure(container, ctx);
  return renderList(container, ctx);
}

async function unitName(code) {
  if (!code) return '';
  try {
    const u = (await reference()).unitByCode.get(code);
    return u ? u.name : code;
  } catch {
    return code;
  }
}

function failed(container, err) {
  container.innerHTML = `<div class="cs"><div class="card"><p class="error" data-testid="cases-error">${esc(err.status ? explain(err) : err.message)}</p></div></div>`;
  container.dataset.ready = '1';
  return null;
}

// ---- the records behind a figure --------------------------------------------
async function renderFigure(container, ctx) {
  const q = ctx.query;
  const from = date(q.get('from'));
  const to = date(q.get('to'));
  container.innerHTML = `
    <div class="cs">
      <div class="card cs-figure" data-testid="case-figure">
        <h2 class="cs-title"></h2>
        <div class="cs-value" data-testid="figure-value"></div>
        <div class="cs-where muted"></div>
      </div>
      <div class="card cs-list">
        <div class="cs-list-head row"><strong>统计明细</strong><span class="muted">共 <span data-testid="figure-total">—</span> 条</span></div>
        <table data-testid="figure-records">
          <thead><tr><th>时间</th><th>事项</th><th>案件编号</th><th>案件类型</th><th>状态</th><th>单位</th><th>人员</th><th>金额</th></tr></thead>
          <tbody></tbody>
        </table>
        <p class="error cs-error"></p>
        <div class="wb-pager">
          <button type="button" class="cs-prev" data-testid="records-prev" disabled>上一页</button>
          <span class="cs-page muted"></span>
          <button type="button" class="cs-next" data-testid="records-next" disabled>下一页</button>
        </div>
      </div>
    </div>`;
  const el = (sel) => container.querySelector(sel);
  let offset = 0;
  let total = 0;
  let gone = false;

  const row = (r) => {
    const caseLink = r.case_id && r.case_number
      ? `<a href="#/cases/${esc(r.case_id)}" data-testid="record-case">${esc(r.case_number)}</a>`
      : r.case_id ? '<span class="muted">（非本辖区案件）</span>' : esc(r.listing_number || r.warning_number || '—');
    const person = r.person && r.person.name ? esc(r.person.name) : '—';
    return `<tr data-case-id="${esc(r.case_id ?? '')}" data-record-id="${esc(r.record_id)}">
      <td>${esc(fullTime(r.at))}</td>
      <td>${esc(CASE_EVENT_ZH[r.kind] || r.kind)}</td>
      <td>${caseLink}</td>
      <td>${esc(r.type_zh || r.type || '—')}</td>
      <td>${esc(CASE_STATUS_ZH[r.status] || r.status || '—')}</td>
      <td>${esc(r.unit_name || r.unit || '—')}</td>
      <td>${person}</td>
      <td class="num">${r.amount_fen !== undefined ? esc(yuan(r.amount_fen)) : ''}</td>
    </tr>`;
  };

  async function load() {
    el('.cs-error').textContent = '';
    let page;
    try {
      page = await api.get('/api/case-figures/records' + recordsQuery(q, offset));
    } catch (err) {
      if (gone) return;
      // `name` is the figure here (elsewhere a person's or a place's name).
      el('.cs-error').textContent = explain(err.field === 'name' ? { status: err.status, code: err.code, field: '', message: err.message } : err);
      container.dataset.ready = '1';
      return;
    }
    if (gone) return;
    const f = page.figure;
    total = page.total;
    const cls = f.class ? CASE_CLASS_ZH[f.class] || f.class : '';
    el('.cs-title').textContent = f.title_zh;
    el('.cs-value').textContent = figureValue(f);
    const unit = f.unit_name || (await unitName(f.unit)) || '全部单位';
    if (gone) return;
    const parts = [`单位：${unit}`, `期间：${from || f.from.slice(0, 10)} 至 ${to || f.to.slice(0, 10)}`];
    if (cls) parts.push(`类别：${cls}`);
    el('.cs-where').textContent = parts.join(' · ');
    el('[data-testid=figure-total]').textContent = count(total);
    el('tbody').innerHTML = page.records.length
      ? page.records.map(row).join('')
      : '<tr><td colspan="8" class="muted">该期间没有记录</td></tr>';
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    el('.cs-page').textContent = `第 ${Math.floor(offset / PAGE_SIZE) + 1} / ${pages} 页`;
    el('.cs-prev').disabled = offset === 0;
    el('.cs-next').disabled = offset + PAGE_SIZE >= total;
    container.dataset.ready = '1';
  }

  el('.cs-prev').addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    load();
  });
  el('.cs-next').addEventListener('click', () => {
    if (offset + PAGE_SIZE < total) offset += PAGE_SIZE;
    load();
  });
  el('tbody').addEventListener('click', (e) => {
    if (e.target.closest('a')) return;
    const tr = e.target.closest('tr[data-case-id]');
    if (tr && tr.dataset.caseId && tr.querySelector('a')) location.hash = `#/cases/${tr.dataset.caseId}`;
  });
  await load();
  return () => {
    gone = true;
  };
}

// ---- the list of cases ------------------------------------------------------
async function renderList(container, ctx) {
  const q = ctx.query;
  const user = ctx.session.user;
  const filter = {
    unit: q.get('unit') || '',
    class: CASE_CLASS_ZH[q.get('class')] ? q.get('class') : '',
    status: CASE_STATUS_ZH[q.get('status')] ? q.get('status') : '',
    from: date(q.get('from')),
    to: date(q.get('to')),
  };
  let units = [];
  try {
    units = (await reference()).units;
  } catch {
    /* the unit filter is left empty */
  }
  const options = (map, selected) =>
    Object.entries(map).map(([code, zh]) => `<option value="${esc(code)}"${code === selected ? ' selected' : ''}>${esc(zh)}</option>`).join('');
  container.innerHTML = `
    <div class="cs">
      <form class="card row cs-filter" data-testid="case-filter">
        <label>单位 <select name="unit"><option value="">本单位及下级</option>${unitOptions(units, filter.unit, user.unit)}</select></label>
        <label>类别 <select name="class"><option value="">全部</option>${options(CASE_CLASS_ZH, filter.class)}</select></label>
        <label>状态 <select name="status"><option value="">全部</option>${options(CASE_STATUS_ZH, filter.status)}</select></label>
        <label>立案日期 <input type="date" name="from" value="${esc(filter.from)}"> 至 <input type="date" name="to" value="${esc(filter.to)}"></label>
        <button type="submit" class="wb-button primary">查询</button>
      </form>
      <div class="card cs-list">
        <table data-testid="case-list">
          <thead><tr><th>案件编号</th><th>案件类型</th><th>类别</th><th>状态</th><th>立案单位</th><th>立案时间</th><th>简要案情</th></tr></thead>
          <tbody></tbody>
        </table>
        <p class="error cs-error"></p>
        <div class="wb-pager"><button type="button" class="cs-more" hidden>加载更多</button></div>
      </div>
    </div>`;
  const el = (sel) => container.querySelector(sel);
  let before = null;
  let gone = false;
  const unitLabel = new Map(units.map((u) => [u.code, u.name]));

  el('form').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    location.hash = '#/cases' + query(Object.fromEntries(['unit', 'class', 'status', 'from', 'to'].map((k) => [k, f.get(k)])));
  });
  el('tbody').addEventListener('click', (e) => {
    if (e.target.closest('a')) return;
    const tr = e.target.closest('tr[data-id]');
    if (tr) location.hash = `#/cases/${tr.dataset.id}`;
  });
  el('.cs-more').addEventListener('click', () => load());

  const row = (c) => `<tr data-id="${esc(c.id)}">
      <td><a href="#/cases/${esc(c.id)}">${esc(c.case_number)}</a></td>
      <td>${esc(c.type_zh || c.type)}</td>
      <td>${esc(c.class_zh || CASE_CLASS_ZH[c.class] || c.class)}</td>
      <td>${esc(c.status_zh || CASE_STATUS_ZH[c.status] || c.status)}</td>
      <td>${esc(unitLabel.get(c.unit) || c.unit)}</td>
      <td>${esc(fullTime(c.times && c.times.opened_at))}</td>
      <td class="cs-summary">${esc(c.summary || '')}</td>
    </tr>`;

  async function load() {
    let page;
    try {
      page = await api.get('/api/cases' + query({
        unit: filter.unit || undefined,
        class: filter.class || undefined,
        status: filter.status || undefined,
        from: filter.from || undefined,
        to: filter.to ? nextDay(filter.to) : undefined,
        limit: PAGE_SIZE,
        before: before || undefined,
      }));
    } catch (err) {
      if (gone) return;
      el('.cs-error').textContent = explain(err);
      container.dataset.ready = '1';
      return;
    }
    if (gone) return;
    const first = !before;
    el('tbody').insertAdjacentHTML('beforeend', page.items.map(row).join(''));
    if (first && !page.items.length) el('tbody').innerHTML = '<tr><td colspan="7" class="muted">没有符合条件的案件</td></tr>';
    before = page.next_before;
    el('.cs-more').hidden = !before;
    container.dataset.ready = '1';
  }
  await load();
  return () => {
    gone = true;
  };
}

// ---- one case ---------------------------------------------------------------
async function renderCase(container, id) {
  let c;
  try {
    c = await api.get(`/api/cases/${id}`);
  } catch (err) {
    return failed(container, err);
  }
  const unit = await unitName(c.unit);
  const personOf = new Map((c.parties || []).map((p) => [p.person_id, p.person]));
  const times = c.times || {};
  const timeRows = [
    ['立案时间', times.opened_at],
    ['侦查时间', times.investigating_at],
    ['破案时间', times.solved_at],
    ['终止侦查', times.closed_unsolved_at],
    ['撤案时间', times.withdrawn_at],
  ].filter(([, t]) => t);
  const money = c.money || { entries: [] };
  container.innerHTML = `
    <div class="cs">
      <div class="card cs-case" data-testid="case-detail">
        <div class="row cs-case-head">
          <h2 data-testid="case-number">${esc(c.case_number)}</h2>
          <span class="cs-badge" data-testid="case-status" data-status="${esc(c.status)}">${esc(c.status_zh || CASE_STATUS_ZH[c.status] || c.status)}</span>
          <span class="wb-spacer"></span>
          <a href="#/cases" class="cs-back" data-testid="case-back">返回</a>
        </div>
        <dl class="cs-facts">
          <dt>案件类型</dt><dd data-testid="case-type">${esc(c.type_zh || c.type)}</dd>
          <dt>类别</dt><dd>${esc(c.class_zh || CASE_CLASS_ZH[c.class] || c.class)}</dd>
          <dt>立案单位</dt><dd>${esc(unit)}</dd>
          ${timeRows.map(([label, t]) => `<dt>${label}</dt><dd>${esc(fullTime(t))}</dd>`).join('')}
          ${c.money_involved_fen ? `<dt>涉案金额</dt><dd>${esc(yuan(c.money_involved_fen))}</dd>` : ''}
          ${c.fraud_method_zh || c.fraud_method ? `<dt>诈骗手法</dt><dd>${esc(c.fraud_method_zh || c.fraud_method)}</dd>` : ''}
        </dl>
        ${c.summary ? `<p class="cs-summary-full">${esc(c.summary)}</p>` : ''}
      </div>
      <div class="card">
        <h3>涉案人员</h3>
        <table data-testid="case-parties">
          <thead><tr><th>姓名</th><th>身份</th><th>身份证号</th><th>联系电话</th></tr></thead>
          <tbody>${(c.parties || []).map((p) => `<tr><td>${esc(p.person ? p.person.name : '—')}</td><td>${esc(p.role_zh || p.role)}</td><td>${esc(p.person ? p.person.id_number || '—' : '—')}</td><td>${esc(p.person ? p.person.phone || '—' : '—')}</td></tr>`).join('') || '<tr><td colspan="4" class="muted">无</td></tr>'}</tbody>
        </table>
      </div>
      <div class="card">
        <h3>强制措施</h3>
        <table data-testid="case-measures">
          <thead><tr><th>措施</th><th>人员</th><th>时间</th><th>单位</th></tr></thead>
          <tbody>${(c.measures || []).map((m) => `<tr><td>${esc(m.kind_zh || m.kind)}</td><td>${esc(personOf.get(m.person_id) ? personOf.get(m.person_id).name : m.person_id)}</td><td>${esc(fullTime(m.at))}</td><td>${esc(m.unit || '—')}</td></tr>`).join('') || '<tr><td colspan="4" class="muted">无</td></tr>'}</tbody>
        </table>
      </div>
      <div class="card">
        <h3>涉案资金</h3>
        <p class="muted">止付 ${esc(yuan(money.stopped_fen || 0))} · 冻结 ${esc(yuan(money.frozen_fen || 0))} · 返还 ${esc(yuan(money.returned_fen || 0))}</p>
        <table data-testid="case-money">
          <thead><tr><th>类别</th><th>金额</th><th>时间</th><th>单位</th></tr></thead>
          <tbody>${(money.entries || []).map((e) => `<tr><td>${esc(e.kind_zh || e.kind)}</td><td class="num">${esc(yuan(e.amount_fen))}</td><td>${esc(fullTime(e.at))}</td><td>${esc(e.unit || '—')}</td></tr>`).join('') || '<tr><td colspan="4" class="muted">无</td></tr>'}</tbody>
        </table>
      </div>
    </div>`;
  // Back to where the user came from (a figure's records or the list).
  container.querySelector('.cs-back').addEventListener('click', (e) => {
    e.preventDefault();
    history.back();
  });
  container.dataset.ready = '1';
  return null;
}
