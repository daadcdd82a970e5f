// How figures read in a bulletin (../shared/DOMAIN.md): counts with
// thousands separators, changes as 上升/下降 with two decimals, dates in the
// bureau's local day. Times from the API carry their offset; pages show
// them as the API gives them (the bureau's zone).

export function count(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Number(n).toLocaleString('zh-CN');
}

// 同比/环比 as "上升 3.55%" / "下降 14.93%" / "持平"; null → "—" (no base).
export function change(pct) {
  if (pct === null || pct === undefined) return '—';
  if (pct === 0) return '持平';
  return (pct > 0 ? '上升 ' : '下降 ') + Math.abs(pct).toFixed(2) + '%';
}

export function changeClass(pct) {
  if (pct === null || pct === undefined || pct === 0) return 'flat';
  return pct > 0 ? 'up' : 'down';
}

export function percent(x, digits = 2) {
  if (x === null || x === undefined) return '—';
  return (x * 100).toFixed(digits) + '%';
}

// "2024-06-01T08:30:00+08:00" → "06-01 08:30"
export function shortTime(iso) {
  if (!iso) return '—';
  return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
}

export function fullTime(iso) {
  if (!iso) return '—';
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19);
}

// YYYY-MM-DD of a Date in local time.
export function isoDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function addDays(d, n) {
  const out = new Date(d);
  out.setDate(out.getDate() + n);
  return out;
}

// Escapes text for innerHTML: every value from the API goes through this
// (or textContent), so stored markup stays inert.
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
