// The dashboard's campaign period: dates as YYYY-MM-DD with an inclusive
// end (what the user types and what the hash and the workbench links
// carry), turned into the API's [from, to) by adding a day to `to`
// (docs/openapi.json: every stats route's `to` is exclusive). The CompStat
// windows users know: the last 7 and 28 days, the year to date and the
// last 365 days, each ending today inclusive.
import { isoDate, addDays } from './format.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// A local Date at noon (no daylight-saving edge can move the day), or null.
export function parseDate(s) {
  const m = DATE.exec(String(s || ''));
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12);
  return isoDate(d) === s ? d : null;
}

export function shiftDate(s, days) {
  return isoDate(addDays(parseDate(s), days));
}

// Days from `from` to `to`, both included.
export function dayCount(from, to) {
  return Math.round((parseDate(to) - parseDate(from)) / 86_400_000) + 1;
}

// Today in the browser's zone (the bureau's: users sit in it; the tests
// run chromium with Asia/Shanghai).
export function today() {
  return isoDate(new Date());
}

export function windows(now = today()) {
  return [
    { key: '7d', label: '近7天', from: shiftDate(now, -6), to: now },
    { key: '28d', label: '近28天', from: shiftDate(now, -27), to: now },
    { key: 'ytd', label: '年初至今', from: now.slice(0, 4) + '-01-01', to: now },
    { key: '365d', label: '近365天', from: shiftDate(now, -364), to: now },
  ];
}

export function defaultPeriod() {
  return windows()[1];
}

// The period the hash asks for, or null when it names none (or a broken one).
export function periodFromQuery(query) {
  const from = query.get('from');
  const to = query.get('to');
  if (!from && !to) return null;
  if (!parseDate(from) || !parseDate(to) || from > to) return null;
  return { from, to };
}

// Query parameters for the API: [from, to + 1 day).
export function apiRange(period) {
  return { from: period.from, to: shiftDate(period.to, 1) };
}

// An API time such as "2026-09-01T00:00:00+08:00" that ends a period of
// whole days → the last day inside it ("2026-08-31").
export function lastDay(apiTo) {
  return shiftDate(String(apiTo).slice(0, 10), -1);
}

export function firstDay(apiFrom) {
  return String(apiFrom).slice(0, 10);
}

// "2026年6月1日" for prose.
export function prose(s) {
  const d = parseDate(s);
  if (!d) return '—';
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

export function proseRange(from, to) {
  if (from === to) return prose(from);
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) return '—';
  const end = a.getFullYear() === b.getFullYear() ? `${b.getMonth() + 1}月${b.getDate()}日` : prose(to);
  return `${prose(from)}至${end}`;
}

// The workbench list of the records behind a figure (dates inclusive).
export function incidentsHref({ from, to, unit, cls, type, status } = {}) {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  if (cls) q.set('class', cls);
  if (type) q.set('type', type);
  if (unit) q.set('unit', unit);
  if (status) q.set('status', status);
  const s = q.toString();
  return '#/incidents' + (s ? '?' + s : '');
}

export function dashboardHash(period, unit) {
  const q = new URLSearchParams({ from: period.from, to: period.to });
  if (unit) q.set('unit', unit);
  return '#/dashboard?' + q.toString();
}
