// 台账 to and from spreadsheets in the browser (issue 21): the list's
// 导出Excel (GET /api/ledgers/{type}/export.xlsx with the list's unit and
// dates, saved under a Chinese name) and 导入 (a chosen .xlsx or .csv sent
// as the body of POST /api/ledgers/{type}/import, its report shown as a
// table of the rows refused with sheet, row, column and reason). Also the
// list's address with those filters, which the dashboard links to.
import { api, query } from './api.js';
import { count, esc } from './format.js';
import { explain, translateMessage } from './zh.js';
import { saveBlob, XLSX_TYPE } from './save-file.js';

export { XLSX_TYPE };
// The import's body limit (docs/openapi.json: maxLength 1048576).
export const IMPORT_MAX_BYTES = 1048576;

// Dates are inclusive here (what users read and the hash carries); the
// API's `to` is exclusive, so a day is added.
export function nextDay(date) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// #/ledgers?type=&unit=&from=&to= (from/to: created, inclusive dates).
export function ledgersHref({ type, unit, from, to, state } = {}) {
  return '#/ledgers' + query({ type, state, unit, from, to });
}

// The API's filter for a list's {unit, from, to} (to inclusive → exclusive).
export function apiFilter({ unit, from, to }) {
  return { unit: unit || undefined, from: from || undefined, to: to ? nextDay(to) : undefined };
}

// saveBlob lives in save-file.js, shared by every download; re-exported
// here for the pages that import it from this module.
export { saveBlob };

// Downloads the type's items under the filter; resolves to the file's
// size in bytes, or throws an ApiError.
export async function exportXlsx(type, filter) {
  const path = `/api/ledgers/${encodeURIComponent(type.code)}/export.xlsx` + query(apiFilter(filter));
  const { blob } = await api.download(path, XLSX_TYPE);
  const span = filter.from || filter.to ? `_${filter.from || '最早'}至${filter.to || '今'}` : '';
  saveBlob(blob, `${type.label}台账${span}.xlsx`);
  return blob.size;
}

// What the server needs to know about a file: its content type, from the
// extension (browsers give CSV files several types, or none).
export function importContentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv')) return 'text/csv';
  return '';
}

// Sends the file; resolves to the import's report.
export async function importFile(type, file, { unit } = {}) {
  const contentType = importContentType(file);
  return api.upload(
    `/api/ledgers/${encodeURIComponent(type.code)}/import` + query({ name: file.name, unit: unit || undefined }),
    file,
    contentType,
  );
}

// A refusal reason in Chinese where zh.js knows it (the server's English
// otherwise, nothing lost).
export function reasonZh(reason) {
  return translateMessage(reason);
}

// The report as HTML: the counts, then every refused row.
export function reportHtml(type, report) {
  const counts =
    `读取 <b>${count(report.read)}</b> 行：导入 <b class="ldf-taken">${count(report.taken)}</b> 条，` +
    `重复（此前已导入）${count(report.duplicates)} 条，` +
    `<span class="${report.refused ? 'up' : ''}">未导入 <b class="ldf-refused">${count(report.refused)}</b> 行</span>。`;
  const notes = [];
  if (report.later_state)
    notes.push(`${count(report.later_state)} 行的“状态”晚于${esc(type.label)}的初始状态，已按新登记导入，请在台账中继续办理。`);
  if (report.unused_columns && report.unused_columns.length)
    notes.push(`以下列没有对应字段，未导入：${report.unused_columns.map(esc).join('、')}`);
  const where = [report.file, report.sheet ? `工作表“${report.sheet}”` : '', report.header_row ? `表头在第 ${report.header_row} 行` : '']
    .filter(Boolean)
    .map(esc)
    .join(' · ');
  const problems = report.problems || [];
  const rows = problems
    .map(
      (p) => `<tr data-row="${esc(p.row)}">
        <td>${esc(p.sheet || '—')}</td><td class="num">${esc(p.row)}</td><td>${esc(p.column)}</td>
        <td>${esc(p.header || '')}</td><td class="ldf-reason" title="${esc(p.reason)}">${esc(reasonZh(p.reason))}</td></tr>`,
    )
    .join('');
  const created = report.created_ids || [];
  const links = created.length
    ? `<p class="ldf-created">新登记：${created
        .slice(0, 20)
        .map((id) => `<a href="#/ledgers/${esc(id)}">#${esc(id)}</a>`)
        .join(' ')}${created.length > 20 ? ` 等 ${count(created.length)} 条` : ''}</p>`
    : '';
  return `
    <p class="ldf-where muted">${where}</p>
    <p class="ldf-counts" data-testid="import-counts">${counts}</p>
    ${notes.map((n) => `<p class="muted ldf-note">${n}</p>`).join('')}
    ${links}
    ${
      problems.length
        ? `<table class="ldf-problems" data-testid="import-problems">
        <thead><tr><th>工作表</th><th class="num">行</th><th>列</th><th>表头</th><th>原因</th></tr></thead>
        <tbody>${rows}</tbody></table>`
        : ''
    }`;
}

// The toolbar's two buttons and the import's report under them. `filter()`
// gives the list's current {unit, from, to}; `onImported()` is called after
// rows were taken (the list reloads). The markup is fileToolsHtml()'s.
export function fileTools(root, type, { filter, canImport, onImported }) {
  const exportButton = root.querySelector('[data-testid=ledger-export]');
  const status = root.querySelector('.ldf-status');
  const panel = root.querySelector('[data-testid=import-report]');
  exportButton.addEventListener('click', async () => {
    if (exportButton.disabled) return;
    exportButton.disabled = true;
    status.className = 'ldf-status muted';
    status.textContent = '正在生成Excel…';
    try {
      const size = await exportXlsx(type, filter());
      status.textContent = `已导出（${(size / 1024).toFixed(1)} KB）`;
    } catch (err) {
      status.className = 'ldf-status error';
      status.textContent = '导出失败：' + explain(err);
    } finally {
      exportButton.disabled = false;
    }
  });
  if (!canImport) return;
  const input = root.querySelector('input[data-testid=ledger-import-file]');
  const importButton = root.querySelector('[data-testid=ledger-import]');
  importButton.addEventListener('click', () => input.click());
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    panel.hidden = false;
    panel.dataset.state = 'busy';
    const title = `<h4>导入 ${esc(file.name)}</h4>`;
    if (!importContentType(file)) {
      panel.dataset.state = 'error';
      panel.innerHTML = `${title}<p class="error">只能导入 .xlsx 或 .csv 文件（Excel 请另存为 .xlsx）。</p>`;
      return;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      panel.dataset.state = 'error';
      panel.innerHTML = `${title}<p class="error">文件 ${(file.size / 1048576).toFixed(1)} MB，超过 1 MB 上限：请分成几个文件导入。</p>`;
      return;
    }
    panel.innerHTML = `${title}<p class="loading">正在导入…</p>`;
    importButton.disabled = true;
    try {
      const report = await importFile(type, file, { unit: filter().unit });
      panel.dataset.state = 'done';
      panel.innerHTML = title + reportHtml(type, report);
      if (report.taken) onImported();
    } catch (err) {
      panel.dataset.state = 'error';
      panel.innerHTML = `${title}<p class="error">导入失败：${esc(explain(err))}</p>`;
    } finally {
      importButton.disabled = false;
    }
  });
}

// The toolbar's markup for fileTools().
export function fileToolsHtml(canImport) {
  return `
    <button type="button" data-testid="ledger-export" title="按当前单位和登记日期导出">导出Excel</button>
    ${
      canImport
        ? `<button type="button" data-testid="ledger-import" title="从 .xlsx 或 .csv 文件批量登记">导入</button>
      <input type="file" data-testid="ledger-import-file" accept=".xlsx,.csv,${XLSX_TYPE},text/csv" hidden>`
        : ''
    }
    <span class="ldf-status muted" role="status"></span>`;
}
