// 台账 workbench (issue 21) for station and community officers:
//   #/ledgers?type=&state=&unit=&from=&to=
//                            the type picker and a type's items (state, unit
//                            and creation-date filters, overdue marks, newest
//                            first, more on demand), 导出Excel and 导入
//   #/ledgers/new?type=      a new item, the form generated from the type's fields
//   #/ledgers/<id>           the item, its history and the steps its state allows
// Every type, field, state and step comes from GET /api/ledger-types: a
// bureau that adds a type (a data file) gets its page without code.
import './workbench.css';
import './ledgers.css';
import { api, query } from '../api.js';
import { esc } from '../format.js';
import { reference } from '../taxonomy.js';
import { minuteTime, unitOptions } from '../workbench-common.js';
import { dueMark, explainLedger, ledgerTypes, mayCreate, openDues, stateLabel, summaryOf } from '../ledgers.js';
import { fieldRows, readFields, showApiFieldError, validateAsTyped } from '../ledger-form.js';
import { renderItem } from '../ledger-item.js';
import { apiFilter, fileTools, fileToolsHtml, ledgersHref } from '../ledger-files.js';

const PAGE_SIZE = 50;

export async function render(container, ctx) {
  const which = ctx.params[0];
  if (which && which !== 'new') return renderItem(container, ctx, Number(which));
  let types;
  try {
    types = await ledgerTypes();
  } catch (err) {
    container.innerHTML = `<div class="ld"><div class="card"><p class="error">${esc(explainLedger(err))}</p></div></div>`;
    container.dataset.ready = '1';
    return null;
  }
  if (!types.length) {
    container.innerHTML = '<div class="ld"><div class="card"><p class="muted">未配置台账类型。</p></div></div>';
    container.dataset.ready = '1';
    return null;
  }
  const type = types.find((t) => t.code === ctx.query.get('type')) || types[0];
  return which === 'new' ? renderNew(container, ctx, type) : renderList(container, ctx, types, type);
}

// ---- the list ---------------------------------------------------------------
async function renderList(container, ctx, types, type) {
  const user = ctx.session.user;
  const state = ctx.query.get('state') || '';
  // The dashboard links here with the unit and the period (inclusive dates).
  const date = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || '') ? v : '');
  const filter = { unit: ctx.query.get('unit') || '', from: date(ctx.query.get('from')), to: date(ctx.query.get('to')) };
  const canCreate = ctx.can('ledgers.write') && mayCreate(user, type);
  const here = (more) => ledgersHref({ type: type.code, state, ...filter, ...more });
  container.innerHTML = `
    <div class="ld">
      <div class="ld-head">
        <h2>台账</h2>
        <nav class="ld-types" data-testid="ledger-types">${types
          .map((t) => `<a href="${esc(ledgersHref({ type: t.code, ...filter }))}" data-type="${esc(t.code)}" class="${t.code === type.code ? 'active' : ''}">${esc(t.label)}</a>`)
          .join('')}</nav>
      </div>
      <div class="card ld-toolbar row">
        <strong class="ld-type-title">${esc(type.label)}</strong>
        <label>状态 <select name="state" data-testid="ledger-state-filter">
          <option value="">全部</option>
          ${(type.states || []).map((s) => `<option value="${esc(s.code)}"${s.code === state ? ' selected' : ''}>${esc(s.label)}</option>`).join('')}
        </select></label>
        <span class="ld-filter" data-testid="ledger-filter" hidden></span>
        <span class="ld-count muted"></span>
        <span class="wb-spacer"></span>
        ${fileToolsHtml(canCreate)}
        ${canCreate ? `<a class="wb-button primary" data-testid="ledger-new" href="#/ledgers/new${query({ type: type.code })}">新建${esc(type.label)}</a>` : ''}
      </div>
      <div class="card ldf-report" data-testid="import-report" aria-live="polite" hidden></div>
      <div class="card ld-list">
        <table data-testid="ledger-list">
          <thead><tr><th>编号</th><th>状态</th><th>内容</th><th>责任单位</th><th>责任民警</th><th>登记时间</th><th>期限</th></tr></thead>
          <tbody></tbody>
        </table>
        <p class="error ld-error"></p>
        <div class="wb-pager"><button type="button" class="ld-more" hidden>加载更多</button></div>
      </div>
    </div>`;
  const q = (sel) => container.querySelector(sel);
  const tbody = q('tbody');
  let next = null;
  let shown = 0;
  let gone = false;

  q('select[name=state]').addEventListener('change', (e) => {
    location.hash = here({ state: e.target.value });
  });
  fileTools(container, type, { filter: () => filter, canImport: canCreate, onImported: () => load() });
  showFilter();

  // "单位：西关派出所 · 登记日期：2026-06-01 至 2026-08-31 · 清除" when filtered.
  async function showFilter() {
    const el = q('.ld-filter');
    if (!filter.unit && !filter.from && !filter.to) return;
    let unitName = filter.unit;
    try {
      const ref = await reference();
      const u = ref.unitByCode.get(filter.unit);
      if (u) unitName = u.name;
    } catch {
      /* the code is shown instead */
    }
    if (gone) return;
    const parts = [];
    if (filter.unit) parts.push(`单位：${esc(unitName)}`);
    if (filter.from || filter.to) parts.push(`登记日期：${esc(filter.from || '最早')} 至 ${esc(filter.to || '今')}`);
    el.innerHTML = `${parts.join(' · ')} <a href="${esc(ledgersHref({ type: type.code, state }))}" class="ld-clear">清除筛选</a>`;
    el.hidden = false;
  }
  tbody.addEventListener('click', (e) => {
    if (e.target.closest('a')) return;
    const tr = e.target.closest('tr[data-id]');
    if (tr) location.hash = `#/ledgers/${tr.dataset.id}`;
  });

  const row = (item) => {
    const dues = openDues(type, item);
    const overdue = dues.some((d) => d.state === 'overdue');
    return `
      <tr data-id="${esc(item.id)}" data-state="${esc(item.state)}" class="${overdue ? 'ld-row-overdue' : ''}">
        <td><a href="#/ledgers/${esc(item.id)}">#${esc(item.id)}</a></td>
        <td><span class="badge ld-state ld-state-${esc(item.state)}">${esc(item.state_zh || stateLabel(type, item.state))}</span></td>
        <td class="ld-summary">${esc(summaryOf(type, item)) || '<span class="muted">—</span>'}</td>
        <td>${esc(item.unit_zh || item.unit_code)}</td>
        <td>${esc(item.officer_id) || '<span class="muted">未指派</span>'}</td>
        <td>${esc(minuteTime(item.created_at))}</td>
        <td>${dueMark(dues)}</td>
      </tr>`;
  };

  async function load(before) {
    q('.ld-error').textContent = '';
    try {
      const page = await api.get(
        `/api/ledgers/${encodeURIComponent(type.code)}` + query({ state, ...apiFilter(filter), limit: PAGE_SIZE, before }),
      );
      if (gone) return;
      if (!before) {
        tbody.innerHTML = '';
        shown = 0;
      }
      tbody.insertAdjacentHTML('beforeend', page.items.map(row).join(''));
      shown += page.items.length;
      if (!shown) tbody.innerHTML = `<tr><td colspan="7" class="wb-empty muted">暂无${esc(state ? stateLabel(type, state) : '')}${esc(type.label)}台账</td></tr>`;
      next = page.more ? page.next : null;
      q('.ld-more').hidden = !next;
      const overdue = tbody.querySelectorAll('.ld-row-overdue').length;
      q('.ld-count').textContent = `已显示 ${shown} 条${page.more ? '（还有更多）' : ''}${overdue ? `，其中逾期 ${overdue} 条` : ''}`;
    } catch (err) {
      if (!gone) q('.ld-error').textContent = explainLedger(err, type);
    }
  }
  q('.ld-more').addEventListener('click', () => load(next));
  await load();
  container.dataset.ready = '1';
  return () => {
    gone = true;
  };
}

// ---- a new item ----------------------------------------------------------------
async function renderNew(container, ctx, type) {
  const user = ctx.session.user;
  const ref = await reference();
  const root = ref.unitByCode.has(user.unit) ? user.unit : undefined;
  const fields = type.fields || [];
  container.innerHTML = `
    <div class="ld">
      <div class="ld-head">
        <a href="#/ledgers${query({ type: type.code })}">← ${esc(type.label)}台账</a>
        <h2>新建${esc(type.label)}</h2>
      </div>
      <form class="card ld-form" id="ledger-new" novalidate>
        <div class="ld-grid">
          <label class="ld-field" data-field="unit_code"><span class="ld-label">责任单位<em class="ld-req" title="必填">*</em></span>
            <select name="unit_code">${unitOptions(ref.units, user.unit, root)}</select>
            <span class="field-error" data-error-for="unit_code"></span></label>
          <label class="ld-field" data-field="officer_id"><span class="ld-label">责任民警</span>
            <input name="officer_id" type="text" maxlength="64" placeholder="警号或账号，可稍后指派" />
            <span class="field-error" data-error-for="officer_id"></span></label>
          ${fieldRows(fields)}
          <label class="ld-field ld-wide"><span class="ld-label">备注</span><textarea name="note" rows="2" maxlength="2000"></textarea></label>
        </div>
        <p class="muted ld-hint"><em class="ld-req">*</em> 为必填项</p>
        <p class="form-error" role="alert"></p>
        <div class="row"><button type="submit" class="primary">登记</button><a href="#/ledgers${query({ type: type.code })}">取消</a></div>
      </form>
    </div>`;
  const form = container.querySelector('form');
  validateAsTyped(form, fields);
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const errLine = form.querySelector('.form-error');
    errLine.textContent = '';
    for (const el of form.querySelectorAll('[data-error-for=unit_code], [data-error-for=officer_id]')) el.textContent = '';
    const read = readFields(form, fields);
    if (read.errors) {
      errLine.textContent = `还有 ${Object.keys(read.errors).length} 项需要更正`;
      return;
    }
    const body = { unit_code: form.elements.unit_code.value, fields: read.values };
    const officer = form.elements.officer_id.value.trim();
    if (officer) body.officer_id = officer;
    const note = form.elements.note.value.trim();
    if (note) body.note = note;
    busy = true;
    try {
      const item = await api.post(`/api/ledgers/${encodeURIComponent(type.code)}`, body);
      location.hash = `#/ledgers/${item.id}`;
    } catch (err) {
      if (!showApiFieldError(form, err)) {
        const line = form.querySelector(`[data-error-for="${err.field}"]`);
        if (line) line.textContent = explainLedger({ ...err, field: '', message: err.message }, type);
      }
      errLine.textContent = explainLedger(err, type);
    } finally {
      busy = false;
    }
  });
  container.dataset.ready = '1';
  const first = form.querySelector('select[name^="f."], input[name^="f."], textarea[name^="f."]');
  if (first) first.focus();
  return null;
}
