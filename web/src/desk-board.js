// The dispatch desk's pieces that are plain HTML: the unit board grouped
// by status, one unit's detail panel, the shift table. Every API string
// goes through esc(); the page (pages/desk.js) wires the events.
import { esc } from './format.js';
import { UNIT_STATUS_ZH } from './zh.js';

// Board order: free units first, then those working an incident, then
// those off duty; a status the server adds later goes before 下勤.
export const STATUS_ORDER = ['available', 'dispatched', 'en_route', 'on_scene', 'busy', 'off_duty'];

// Marker and badge colours by patrol status (the board's badges use the
// same through desk.css classes unit-st-<status>).
export const STATUS_COLOURS = {
  available: '#389e0d',
  dispatched: '#d46b08',
  en_route: '#fa8c16',
  on_scene: '#1677ff',
  busy: '#722ed1',
  off_duty: '#8c8c8c',
};

export function statusColour(status) {
  return STATUS_COLOURS[status] || '#595959';
}

const ROLE_ZH = { rapid: '快反', k9: '警犬', traffic: '交通', swat: '特警', medic: '急救' };
const KIND_ZH = { car: '警车', motorcycle: '摩托车', ebike: '电动车', foot: '步巡' };

export function kindZh(kind) {
  return KIND_ZH[kind] || kind || '—';
}

// "2026-11-01 08:30" from an ISO time with offset (the bureau's zone).
export function minuteTime(iso) {
  if (!iso) return '—';
  return iso.slice(0, 10) + ' ' + iso.slice(11, 16);
}

// A position older than this is shown as stale (the AVL feed stopped).
const STALE_MS = 30 * 60 * 1000;

export function isStale(position, now = Date.now()) {
  if (!position || !position.at) return true;
  const t = Date.parse(position.at);
  return Number.isNaN(t) || now - t > STALE_MS;
}

function statusLabel(code, units) {
  const withName = units.find((u) => u.status_zh);
  return (withName && withName.status_zh) || UNIT_STATUS_ZH[code] || code;
}

function crew(u) {
  const roles = (u.roles || []).map((r) => ROLE_ZH[r] || r);
  return `${esc(u.crew_size ?? '—')} 人${roles.length ? ' · ' + esc(roles.join('、')) : ''}`;
}

function assignment(u) {
  if (u.assignment === null || u.assignment === undefined) return '<span class="muted">无任务</span>';
  const id = encodeURIComponent(String(u.assignment));
  return `<a href="#/incidents/${id}" class="desk-assign">警情 #${esc(u.assignment)}</a>`;
}

function unitItem(u, selected, now) {
  const stale = isStale(u.position, now);
  const pos = u.position
    ? `<span class="${stale ? 'desk-stale' : ''}" title="最后定位">${esc(minuteTime(u.position.at))}${stale ? ' 未更新' : ''}</span>`
    : '<span class="desk-stale">无定位</span>';
  return `
    <li class="desk-unit${selected ? ' selected' : ''}" data-call-sign="${esc(u.call_sign)}" tabindex="0" role="button">
      <div class="desk-unit-head">
        <span class="desk-dot unit-st-${esc(u.status)}"></span>
        <b class="desk-call">${esc(u.call_sign)}</b>
        <span class="badge">${esc(u.kind_zh || kindZh(u.kind))}</span>
        <span class="desk-station">${esc(u.station_name || u.station)}</span>
      </div>
      <div class="desk-unit-body">
        <span>${crew(u)}</span>
        <span>${assignment(u)}</span>
        <span class="desk-pos">${pos}</span>
      </div>
    </li>`;
}

// The board: one section per status present, units by call sign inside.
export function boardHtml(units, selected, filter = '') {
  const now = Date.now();
  const needle = filter.trim().toLowerCase();
  const shown = units.filter(
    (u) =>
      !needle ||
      u.call_sign.toLowerCase().includes(needle) ||
      String(u.station_name || '').toLowerCase().includes(needle) ||
      String(u.station || '').toLowerCase().includes(needle),
  );
  const groups = new Map();
  for (const u of shown) {
    if (!groups.has(u.status)) groups.set(u.status, []);
    groups.get(u.status).push(u);
  }
  const order = [...groups.keys()].sort((a, b) => rank(a) - rank(b));
  if (!order.length)
    return `<p class="muted">${units.length ? '没有符合筛选条件的警力' : '辖区内没有巡逻警力'}</p>`;
  return order
    .map((code) => {
      const list = groups.get(code).sort((a, b) => a.call_sign.localeCompare(b.call_sign, 'zh-CN'));
      return `
        <section class="desk-group" data-status="${esc(code)}">
          <h3><span class="desk-dot unit-st-${esc(code)}"></span>${esc(statusLabel(code, list))}
            <span class="desk-count">${list.length}</span></h3>
          <ul>${list.map((u) => unitItem(u, u.call_sign === selected, now)).join('')}</ul>
        </section>`;
    })
    .join('');
}

function rank(status) {
  const i = STATUS_ORDER.indexOf(status);
  if (i >= 0) return i;
  return STATUS_ORDER.length - 1.5; // unknown: before off duty
}

// Counts by status for the toolbar ("空闲 60 · 途中 3 …").
export function summaryHtml(units) {
  const groups = new Map();
  for (const u of units) {
    if (!groups.has(u.status)) groups.set(u.status, []);
    groups.get(u.status).push(u);
  }
  return [...groups.keys()]
    .sort((a, b) => rank(a) - rank(b))
    .map(
      (code) =>
        `<span class="desk-sum"><span class="desk-dot unit-st-${esc(code)}"></span>${esc(statusLabel(code, groups.get(code)))} <b>${groups.get(code).length}</b></span>`,
    )
    .join('');
}

// The selected unit: its facts, its track and the buttons the user may use.
export function detailHtml(u, { canWrite, track }) {
  if (!u) return '<p class="muted">点击地图或列表中的警力，查看轨迹和操作。</p>';
  const buttons = [];
  if (canWrite) {
    if (u.status === 'off_duty') buttons.push('<button data-act="on" class="primary">上勤</button>');
    if (u.status === 'available') buttons.push('<button data-act="off">下勤</button>');
    if (u.status === 'en_route' || u.status === 'dispatched')
      buttons.push('<button data-act="arrive" class="primary">到场</button>');
    if (u.status === 'en_route' || u.status === 'dispatched' || u.status === 'on_scene')
      buttons.push('<button data-act="clear">处置完毕，恢复空闲</button>');
  }
  let trackLine = '<span class="muted">正在加载轨迹…</span>';
  if (track && track.error) trackLine = `<span class="error">${esc(track.error)}</span>`;
  else if (track && track.items)
    trackLine = track.items.length
      ? `轨迹 ${track.items.length} 个点，${esc(minuteTime(track.from))} 至 ${esc(minuteTime(track.until))}${track.fallback ? '（最近 8 小时无定位，显示最后定位前 8 小时）' : ''}`
      : `${esc(minuteTime(track.from))} 至 ${esc(minuteTime(track.until))} 无轨迹点`;
  return `
    <div class="desk-detail-head">
      <span class="desk-dot unit-st-${esc(u.status)}"></span>
      <b>${esc(u.call_sign)}</b>
      <span class="badge unit-st-${esc(u.status)} desk-badge">${esc(u.status_zh || UNIT_STATUS_ZH[u.status] || u.status)}</span>
      <button class="link desk-close" data-act="close" title="关闭">×</button>
    </div>
    <dl class="desk-facts">
      <dt>类型</dt><dd>${esc(u.kind_zh || kindZh(u.kind))}</dd>
      <dt>所属</dt><dd>${esc(u.station_name || u.station)}</dd>
      <dt>警力</dt><dd>${crew(u)}</dd>
      <dt>任务</dt><dd>${assignment(u)}</dd>
      <dt>定位</dt><dd>${u.position ? esc(minuteTime(u.position.at)) : '无定位'}</dd>
      <dt>轨迹</dt><dd class="desk-track">${trackLine}</dd>
    </dl>
    ${buttons.length ? `<div class="toolbar desk-actions">${buttons.join('')}</div>` : ''}
    <p class="form-error" role="alert"></p>`;
}

// The shift table (勤务班次) of the chosen day.
export function shiftsHtml(items, { unitName, postName }) {
  if (!items.length) return '<p class="muted">当日没有勤务班次记录。</p>';
  const rows = items
    .map(
      (s) => `
      <tr>
        <td>${esc(s.call_sign)}</td>
        <td>${esc(unitName(s.station))}</td>
        <td>${esc(kindZh(s.kind))}</td>
        <td>${esc(minuteTime(s.start))}</td>
        <td>${esc(minuteTime(s.end))}</td>
        <td class="num">${esc(s.crew)}</td>
        <td>${s.post ? esc(postName(s.post)) : '<span class="muted">—</span>'}</td>
      </tr>`,
    )
    .join('');
  const crewTotal = items.reduce((n, s) => n + (Number(s.crew) || 0), 0);
  return `
    <table>
      <thead><tr><th>呼号</th><th>派出所</th><th>类型</th><th>开始</th><th>结束</th><th class="num">警力（人）</th><th>执勤点位</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><td colspan="5">合计 ${items.length} 班次</td><td class="num">${crewTotal}</td><td></td></tr></tfoot>
    </table>`;
}

// The units of the user's own subtree (GET /api/units also lists the
// units above it, whose boundaries are not the desk's to draw).
export function subtree(units, root) {
  const children = new Map();
  for (const u of units) {
    if (!children.has(u.parent)) children.set(u.parent, []);
    children.get(u.parent).push(u);
  }
  const out = [];
  const walk = (u) => {
    out.push(u);
    for (const c of children.get(u.code) || []) walk(c);
  };
  const top = units.find((u) => u.code === root);
  if (top) walk(top);
  return out.length ? out : units;
}
