// Sortable tables of the dashboard (click a header to sort, again to turn
// the order round) and the little bars inside them: widths and colours are
// set through element.style after the HTML is in place, since the CSP
// refuses style attributes in markup. And 导出Excel for a table answered
// by GET /api/stats: the same query to GET /api/stats/export.xlsx.
import { api, query } from './api.js';
import { saveBlob, XLSX_TYPE } from './save-file.js';

const pickers = new WeakMap();

// columns: [{key, title, num?, value(row) → sort value, html(row) → cell HTML (escaped)}]
export function sortableTable(element, columns, rows, { sortKey, desc = true, empty = '无数据', caption = '' } = {}) {
  let key = sortKey || columns[0].key;
  let descending = desc;

  function draw() {
    const col = columns.find((c) => c.key === key) || columns[0];
    const sorted = rows.slice();
    if (col.value) {
      sorted.sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const order = typeof x === 'string' ? x.localeCompare(y, 'zh-CN') : x - y;
        return descending ? -order : order;
      });
    }
    const head = columns
      .map((c) => {
        const sorted = c.key === key ? (descending ? 'descending' : 'ascending') : 'none';
        const cls = [c.num ? 'num' : '', c.value ? 'dash-sortable' : ''].filter(Boolean).join(' ');
        return `<th class="${cls}" data-key="${c.key}" aria-sort="${sorted}"${c.value ? ' tabindex="0"' : ''}>${c.title}</th>`;
      })
      .join('');
    const body = sorted.length
      ? sorted
          .map((r) => `<tr>${columns.map((c) => `<td class="${c.num ? 'num' : ''}">${c.html(r)}</td>`).join('')}</tr>`)
          .join('')
      : `<tr><td colspan="${columns.length}" class="muted dash-empty">${empty}</td></tr>`;
    element.innerHTML = `<table class="dash-table">${caption ? `<caption>${caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
    paint(element);
  }

  function pick(th) {
    const c = columns.find((x) => x.key === th.dataset.key);
    if (!c || !c.value) return;
    if (key === c.key) descending = !descending;
    else {
      key = c.key;
      descending = c.num !== false && typeof c.value(rows[0] || {}) !== 'string';
    }
    draw();
    const again = element.querySelector(`th[data-key="${c.key}"]`);
    if (again) again.focus();
  }

  // One pair of listeners per element, whatever table it holds now.
  if (!pickers.has(element)) {
    element.addEventListener('click', (e) => {
      const th = e.target.closest('th[data-key]');
      if (th) pickers.get(element)(th);
    });
    element.addEventListener('keydown', (e) => {
      const th = e.target.closest('th[data-key]');
      if (th && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        pickers.get(element)(th);
      }
    });
  }
  pickers.set(element, pick);
  draw();
}

// A bar for a share 0..1 (data-w) and an optional colour (data-colour).
export function bar(share, colour) {
  const w = Number.isFinite(share) ? Math.max(0, Math.min(1, share)) : 0;
  return `<span class="dash-bar"><i data-w="${w.toFixed(4)}"${colour ? ` data-colour="${colour}"` : ''}></i></span>`;
}

export function paint(element) {
  for (const i of element.querySelectorAll('[data-w]')) i.style.width = (Number(i.dataset.w) * 100).toFixed(2) + '%';
  for (const i of element.querySelectorAll('[data-colour]')) {
    if (/^#[0-9a-fA-F]{3,8}$/.test(i.dataset.colour)) i.style.background = i.dataset.colour;
  }
}

// Downloads GET /api/stats/export.xlsx for `params` (the table's own
// GET /api/stats query) and saves it as `filename`; resolves to its size in
// bytes, or throws an ApiError.
export async function exportStatsXlsx(params, filename) {
  const { blob } = await api.download('/api/stats/export.xlsx' + query(params), XLSX_TYPE);
  saveBlob(blob, filename);
  return blob.size;
}
