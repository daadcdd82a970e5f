// The 案件 page's helpers that need no page (tested in node): money in
// yuan, a figure's value as it reads, and the API query of a figure's
// records from the page's hash (inclusive dates, as bulletins write them,
// to the API's exclusive `to`).
import { query } from './api.js';
import { count } from './format.js';
import { nextDay } from './ledger-files.js';

export const RECORDS_PAGE_SIZE = 50;

const date = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || '') ? v : '');

// "1,234.56 元" from fen.
export function yuan(fen) {
  if (fen === null || fen === undefined) return '—';
  const n = Number(fen);
  const whole = Math.trunc(Math.abs(n) / 100);
  const cents = String(Math.abs(n) % 100).padStart(2, '0');
  return `${n < 0 ? '-' : ''}${whole.toLocaleString('zh-CN')}.${cents} 元`;
}

// The figure's value as its measure word says: money (分) in yuan.
export function figureValue(figure) {
  return figure.measure_word === '分' ? yuan(figure.value) : `${count(figure.value)} ${figure.measure_word}`;
}

// GET /api/case-figures/records's query for #/cases?figure=&unit=&from=&to=&class= (a URLSearchParams).
export function recordsQuery(q, offset = 0) {
  const to = date(q.get('to'));
  return query({
    name: q.get('figure'),
    unit: q.get('unit') || undefined,
    from: date(q.get('from')) || undefined,
    to: to ? nextDay(to) : undefined,
    class: q.get('class') || undefined,
    limit: RECORDS_PAGE_SIZE,
    offset: offset || undefined,
  });
}
