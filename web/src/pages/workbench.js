// 警情工作台: the incidents of the user's units, newest first, filtered by
// date (the `to` date is inclusive here; the API's `to` is exclusive, so
// the day after is sent), class, type, status, unit and a reporter's phone,
// a page at a time, with the total. The filters come from and go back to
// the address (#/incidents?from=…&to=…&class=…), so the dashboard's links
// land on the records behind a figure. Changes arrive on the live stream.
// 导出Excel saves every incident of the current filters (not just the page)
// as a workbook (GET /api/incidents/export.xlsx).
import './workbench.css';
import { api, query } from '../api.js';
import { explain } from '../zh.js';
import { count, esc } from '../format.js';
import { reference } from '../taxonomy.js';
import { openStream, STREAM_STATE_ZH } from '../stream.js';
import { addDaysIso, learnOffset, minuteTime, statusBadge, unitOptions, unitTree } from '../workbench-common.js';
import { saveBlob, XLSX_TYPE } from '../ledger-files.js';

const PAGE_SIZE = 50;
const FILTERS = ['from', 'to', 'class', 'type', 'status', 'unit', 'reporter_phone'];

export async function render(container, ctx) {
  const ref = await reference();
  const f = {};
  for (const k of FILTERS) f[k] = (ctx.query.get(k) || '').trim();
  if (!f.reporter_phone && ctx.query.get('phone')) f.reporter_phone = ctx.query.get('phone').trim();
  let offset = Math.max(0, Number(ctx.query.get('offset')) || 0);

  // A value from the address that the selects do not list (a comma list,
  // say) is still offered, so the filter shown is the filter applied.
  const extra = (value, names, labels = names) =>
    value && !names.has(value)
      ? `<option value="${esc(value)}" selected>${esc(
          value
            .split(',')
            .map((c) => labels.get(c) || c)
            .join('、'),
        )}</option>`
      : '';
  const classNames = new Map(ref.taxonomy.classes.map((c) => [c.code, c.name_zh]));
  const typeNames = new Map(ref.taxonomy.types.map((t) => [t.code, t.name_zh]));
  const statusNames = new Map(ref.taxonomy.statuses.map((s) => [s.code, s.name_zh]));
  // Units offered: the user's own and those under it (the server answers
  // that subtree only); one named in the address is still shown as chosen.
  const unitNames = new Map(unitTree(ref.units, ctx.session.user.unit).map(({ unit }) => [unit.code, unit.name]));
  const allUnitNames = new Map(ref.units.map((u) => [u.code, u.name]));

  container.innerHTML = `
    <div class="wb">
      <div class="wb-head">
        <h2>警情工作台</h2>
        <span class="wb-total" data-testid="incident-total"></span>
        <span class="stream-state muted wb-stream"></span>
        <span class="wb-spacer"></span>
        <button type="button" class="wb-button wb-export" data-testid="incident-export" title="按当前筛选条件导出全部警情">导出Excel</button>
        ${ctx.can('incidents.write') ? '<a class="wb-button primary" href="#/incidents/new">新建警情</a>' : ''}
      </div>
      <form class="card toolbar wb-filters" id="incident-filters" novalidate>
        <label>开始日期<input type="date" name="from" value="${esc(f.from)}" /></label>
        <label>结束日期（含）<input type="date" name="to" value="${esc(f.to)}" /></label>
        <label>类别<select name="class"><option value="">全部类别</option>${ref.taxonomy.classes
          .map((c) => `<option value="${esc(c.code)}"${c.code === f.class ? ' selected' : ''}>${esc(c.name_zh)}</option>`)
          .join('')}${extra(f.class, classNames)}</select></label>
        <label>类型<select name="type"></select></label>
        <label>状态<select name="status"><option value="">全部状态</option>${ref.taxonomy.statuses
          .map((s) => `<option value="${esc(s.code)}"${s.code === f.status ? ' selected' : ''}>${esc(s.name_zh)}</option>`)
          .join('')}${extra(f.status, statusNames)}</select></label>
        <label>管辖单位<select name="unit"><option value="">全部单位</option>${unitOptions(ref.units, f.unit, ctx.session.user.unit)}${extra(f.unit, unitNames, allUnitNames)}</select></label>
        <label>报警人电话<input name="reporter_phone" inputmode="tel" maxlength="24" placeholder="精确查找" value="${esc(
          f.reporter_phone,
        )}" /></label>
        <button type="submit" class="primary">查询</button>
        <button type="button" class="wb-reset">重置</button>
        <p class="form-error wb-error" role="alert"></p>
      </form>
      <div class="card wb-list">
        <p class="notice wb-fresh" hidden><span></span> <button type="button" class="link wb-refresh">刷新</button></p>
        <table data-testid="incident-list">
          <thead><tr><th>编号</th><th>报警时间</th><th>类型</th><th>类别</th><th>地址</th><th>管辖单位</th><th>状态</th><th>报警人</th></tr></thead>
          <tbody><tr><td colspan="8" class="muted">正在查询…</td></tr></tbody>
        </table>
        <div class="wb-pager">
          <button type="button" class="wb-prev">上一页</button>
          <span class="wb-range muted"></span>
          <button type="button" class="wb-next">下一页</button>
        </div>
      </div>
    </div>`;

  const form = container.querySelector('#incident-filters');
  const typeSelect = form.elements.type;
  const tbody = container.querySelector('tbody');
  const errorLine = container.querySelector('.wb-error');
  const fresh = container.querySelector('.wb-fresh');

  // Types of the chosen class (all types, grouped by class, when none).
  const fillTypes = (selected) => {
    const cls = form.elements.class.value;
    const groups = ref.taxonomy.classes
      .filter((c) => !cls || cls.split(',').includes(c.code))
      .map((c) => {
        const types = ref.taxonomy.types.filter((t) => t.class === c.code);
        return `<optgroup label="${esc(c.name_zh)}">${types
          .map((t) => `<option value="${esc(t.code)}"${t.code === selected ? ' selected' : ''}>${esc(t.name_zh)}</option>`)
          .join('')}</optgroup>`;
      })
      .join('');
    const known = ref.taxonomy.types.some((t) => t.code === selected && (!cls || cls.split(',').includes(t.class)));
    typeSelect.innerHTML = `<option value="">全部类型</option>${groups}${known ? '' : extra(selected, typeNames)}`;
  };
  fillTypes(f.type);
  form.elements.class.addEventListener('change', () => fillTypes(typeSelect.value));

  const readForm = () => {
    for (const k of FILTERS) f[k] = (form.elements[k].value || '').trim();
  };

  // The address follows the filters (without a new page load), so a
  // filtered list can be bookmarked or sent on.
  const writeAddress = () => {
    const qs = query({ ...f, offset: offset || '' });
    const hash = '#/incidents' + qs;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };

  // The filters as the API takes them (the list's and the export's).
  const filterParams = () => ({
    from: f.from,
    to: f.to ? addDaysIso(f.to, 1) : '',
    class: f.class,
    type: f.type,
    status: f.status,
    unit: f.unit,
    // The look-up is exact on the digits: spaces and dashes go.
    reporter_phone: f.reporter_phone.replace(/[\s-]/g, ''),
  });

  let token = 0;
  let loaded = false;
  const load = async () => {
    const mine = ++token;
    errorLine.textContent = '';
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
    if (f.from && f.to && f.to < f.from) {
      form.elements.to.classList.add('invalid');
      errorLine.textContent = '结束日期不能早于开始日期';
      tbody.innerHTML = '<tr><td colspan="8" class="muted wb-empty">请修改日期后查询</td></tr>';
      container.dataset.ready = '1';
      return;
    }
    const params = { ...filterParams(), limit: PAGE_SIZE, offset };
    container.querySelector('.wb-list').classList.add('wb-busy');
    try {
      const page = await api.get('/api/incidents' + query(params));
      if (mine !== token) return;
      show(page);
      fresh.hidden = true;
      pending = 0;
    } catch (err) {
      if (mine !== token) return;
      const field = err.field && form.elements[err.field === 'to' ? 'to' : err.field];
      if (field) field.classList.add('invalid');
      errorLine.textContent = explain(err);
      tbody.innerHTML = '<tr><td colspan="8" class="muted">查询失败</td></tr>';
    } finally {
      if (mine === token) container.querySelector('.wb-list').classList.remove('wb-busy');
      if (!loaded) {
        loaded = true;
        container.dataset.ready = '1';
      }
    }
  };

  const show = (page) => {
    const items = page.items || [];
    if (items[0]) learnOffset(items[0].reported_at);
    container.querySelector('.wb-total').textContent = `共 ${count(page.total)} 起`;
    tbody.innerHTML = items.length
      ? items
          .map(
            (i) => `
        <tr data-id="${esc(i.id)}" class="${i.voided ? 'wb-voided' : ''}${i.merged_into ? ' wb-merged' : ''}">
          <td><a href="#/incidents/${esc(i.id)}">#${esc(i.id)}</a></td>
          <td>${esc(minuteTime(i.reported_at))}</td>
          <td>${esc(i.type ? i.type.name_zh : '')}</td>
          <td>${esc(i.class ? i.class.name_zh : '')}</td>
          <td class="wb-address" title="${esc(i.address)}">${esc(i.address) || '<span class="muted">—</span>'}</td>
          <td>${esc(i.unit_name || i.unit || '—')}</td>
          <td>${statusBadge(i.status, i.status_zh)}${i.merged_into ? ` <span class="muted">已并入 #${esc(i.merged_into)}</span>` : ''}${
            i.voided ? ' <span class="muted">已作废</span>' : ''
          }</td>
          <td>${esc(i.reporter_phone) || '<span class="muted">—</span>'}${i.reporter_name ? ' ' + esc(i.reporter_name) : ''}</td>
        </tr>`,
          )
          .join('')
      : '<tr><td colspan="8" class="muted wb-empty">没有符合条件的警情</td></tr>';
    const first = page.total ? page.offset + 1 : 0;
    const last = page.offset + items.length;
    container.querySelector('.wb-range').textContent = `第 ${count(first)}–${count(last)} 起，共 ${count(page.total)} 起`;
    container.querySelector('.wb-prev').disabled = page.offset <= 0;
    container.querySelector('.wb-next').disabled = last >= page.total;
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    readForm();
    offset = 0;
    writeAddress();
    load();
  });
  // A select applies at once; dates and the phone on 查询 or Enter.
  for (const name of ['class', 'type', 'status', 'unit'])
    form.elements[name].addEventListener('change', () => form.requestSubmit());
  const exportButton = container.querySelector('.wb-export');
  exportButton.addEventListener('click', async () => {
    if (exportButton.disabled) return;
    exportButton.disabled = true;
    exportButton.textContent = '导出中…';
    errorLine.textContent = '';
    try {
      const { blob } = await api.download('/api/incidents/export.xlsx' + query(filterParams()), XLSX_TYPE);
      const span = f.from || f.to ? `_${f.from || ''}至${f.to || ''}` : '';
      saveBlob(blob, `警情列表${span}.xlsx`);
    } catch (err) {
      // Too many rows for one workbook, a bad filter: said beside the filters.
      errorLine.textContent = explain(err);
    } finally {
      exportButton.disabled = false;
      exportButton.textContent = '导出Excel';
    }
  });
  container.querySelector('.wb-reset').addEventListener('click', () => {
    form.reset();
    for (const el of form.querySelectorAll('input')) el.value = '';
    for (const el of form.querySelectorAll('select')) el.value = '';
    fillTypes('');
    form.requestSubmit();
  });
  container.querySelector('.wb-prev').addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    writeAddress();
    load();
  });
  container.querySelector('.wb-next').addEventListener('click', () => {
    offset += PAGE_SIZE;
    writeAddress();
    load();
  });
  // A row opens its incident (the number is the keyboard's link).
  tbody.addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (!row || e.target.closest('a')) return;
    location.hash = `#/incidents/${row.dataset.id}`;
  });

  // Live: say how many incidents changed since the list was read.
  let pending = 0;
  let closeStream = null;
  if (ctx.can('stream.read')) {
    const stateLine = container.querySelector('.wb-stream');
    closeStream = openStream({
      onState: (s) => (stateLine.textContent = STREAM_STATE_ZH[s] || ''),
      onIncident: () => {
        pending += 1;
        fresh.querySelector('span').textContent = `有 ${count(pending)} 条警情新增或变动`;
        fresh.hidden = false;
      },
    });
  }
  fresh.querySelector('.wb-refresh').addEventListener('click', () => load());

  await load();
  return () => {
    token += 1;
    if (closeStream) closeStream();
  };
}
