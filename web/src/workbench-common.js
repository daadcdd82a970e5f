// Small helpers shared by the 警情工作台 pages (list, intake, detail):
// status badges, unit options, times in the bureau's zone, distances and
// arrival times, and the hand-over of possible duplicates from the intake
// form to the detail page.
import { esc } from './format.js';

// The bureau's UTC offset ("+08:00"), learned from the times the API
// answers (they carry the bureau's offset); +08:00 until one is seen.
let bureauOffset = '+08:00';

export function learnOffset(iso) {
  const m = typeof iso === 'string' && iso.match(/([+-]\d\d:\d\d|Z)$/);
  if (m) bureauOffset = m[1] === 'Z' ? '+00:00' : m[1];
}

function offsetMinutes() {
  const m = bureauOffset.match(/([+-])(\d\d):(\d\d)/);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

// A datetime-local value ("2026-12-08T18:00") of a moment, in the bureau's zone.
export function localInputValue(ms) {
  return new Date(ms + offsetMinutes() * 60000).toISOString().slice(0, 16);
}

// A datetime-local value read as the bureau's time → ISO 8601 with offset.
export function inputToIso(value) {
  if (!value) return '';
  const v = value.length === 16 ? value + ':00' : value;
  return v + bureauOffset;
}

// "2026-10-31T23:57:05+08:00" → "2026-10-31 23:57"
export function minuteTime(iso) {
  if (!iso) return '—';
  return iso.slice(0, 10) + ' ' + iso.slice(11, 16);
}

// Today's date (YYYY-MM-DD) in the bureau's zone.
export function bureauToday() {
  return localInputValue(Date.now()).slice(0, 10);
}

export function addDaysIso(date, n) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function statusBadge(code, zh) {
  return `<span class="badge status-${esc(code)}">${esc(zh || code)}</span>`;
}

export const OPEN_STATUSES = ['received', 'dispatched', 'arrived', 'handled', 'followup', 'fed_back', 'verified'];

export const KIND_ZH = { car: '警车', motorcycle: '摩托车', ebike: '电动车', foot: '步巡', any: '任意' };

export function metres(m) {
  if (m === null || m === undefined) return '—';
  return m >= 1000 ? (m / 1000).toFixed(2) + ' 公里' : Math.round(m) + ' 米';
}

export function duration(s) {
  if (s === null || s === undefined) return '—';
  const total = Math.round(s);
  const min = Math.floor(total / 60);
  const sec = total % 60;
  return min ? `${min} 分 ${sec} 秒` : `${sec} 秒`;
}

// The user's units in tree order, each with its depth (for indented
// options); with `root`, only that unit and those under it (the units
// list also names the user's parents, for the map).
export function unitTree(units, root) {
  const children = new Map();
  const codes = new Set(units.map((u) => u.code));
  for (const u of units) {
    const parent = u.parent && codes.has(u.parent) ? u.parent : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(u);
  }
  const out = [];
  const walk = (parent, depth) => {
    for (const u of (children.get(parent) || []).sort((a, b) => a.code.localeCompare(b.code))) {
      out.push({ unit: u, depth });
      walk(u.code, depth + 1);
    }
  };
  const top = root && units.find((u) => u.code === root);
  if (top) {
    out.push({ unit: top, depth: 0 });
    walk(top.code, 1);
  } else walk('', 0);
  return out;
}

export function unitOptions(units, selected, root) {
  return unitTree(units, root)
    .map(
      ({ unit, depth }) =>
        `<option value="${esc(unit.code)}"${unit.code === selected ? ' selected' : ''}>${'　'.repeat(depth)}${esc(unit.name)}</option>`,
    )
    .join('');
}

// Possible duplicates the create answer carried, shown once on the new
// incident's detail page.
const handed = new Map();

export function handOverDuplicates(id, items) {
  if (items && items.length) handed.set(String(id), items);
}

export function takeDuplicates(id) {
  const items = handed.get(String(id)) || [];
  handed.delete(String(id));
  return items;
}
