// The wall's side panels: today's counts against the same day last year,
// today's 1-3-5 compliance, patrol units by status, and the feed of the
// latest incidents. Built with DOM calls and textContent, so API text is
// never parsed as markup.
import { count, change, changeClass, shortTime } from './format.js';
import { explain, UNIT_STATUS_ZH } from './zh.js';
import { incidentColour, UNIT_STATUS_COLOURS } from './wall-layers.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function dot(colour) {
  const el = h('span', { class: 'wall-dot' });
  el.style.background = colour;
  return el;
}

// A figure that flashes briefly when it differs from the last one shown
// under the same key.
const shown = new Map();
function figure(key, text, cls) {
  const el = h('span', { class: cls }, text);
  if (shown.has(key) && shown.get(key) !== text) el.classList.add('bump');
  shown.set(key, text);
  return el;
}

export function forgetFigures() {
  shown.clear();
}

export function panelError(el, title, err) {
  el.replaceChildren(h('h2', null, title), h('p', { class: 'error' }, explain(err)));
}

// GET /api/stats/overview for [today, tomorrow).
export function renderToday(el, o) {
  const t = o.total || {};
  const rows = (o.classes || []).map((c) =>
    h(
      'li',
      null,
      dot(incidentColour(c.code)),
      h('span', { class: 'name' }, c.name),
      figure('class:' + c.code, count(c.count), 'n'),
      h('span', { class: 'yoy' }, `去年 ${count(c.yoy_count)} · `, h('span', { class: changeClass(c.yoy_change_pct) }, change(c.yoy_change_pct))),
    ),
  );
  el.replaceChildren(
    h('h2', null, '今日警情', h('span', { class: 'sub' }, '同比：去年同日全天')),
    h(
      'div',
      { class: 'today-total' },
      h('div', null, figure('total', count(t.count), 'big'), h('span', { class: 'measure' }, '起')),
      h(
        'div',
        { class: 'today-yoy' },
        h('div', null, '去年同日 ', h('b', null, count(t.yoy_count)), ' 起'),
        h('div', { class: 'chg ' + changeClass(t.yoy_change_pct) }, '同比 ' + change(t.yoy_change_pct)),
      ),
    ),
    h('ul', { class: 'class-rows' }, rows),
  );
}

function duration(s) {
  if (s === null || s === undefined) return '—';
  const m = Math.floor(s / 60);
  const r = Math.round(s % 60);
  return m ? `${m}分${String(r).padStart(2, '0')}秒` : `${r}秒`;
}

function pp(x) {
  if (x === null || x === undefined) return null;
  if (x === 0) return h('span', { class: 'flat' }, '同比持平');
  // A higher share meeting the standard is good: green, in words too.
  return h('span', { class: x > 0 ? 'down' : 'up' }, `同比${x > 0 ? '提高' : '降低'}`, h('br'), `${Math.abs(x).toFixed(2)} 个百分点`);
}

// GET /api/stats/response for [today, tomorrow).
export function renderCompliance(el, r, scope) {
  const total = r.total || {};
  const cur = total.current || {};
  const yoy = total.yoy || {};
  const yoyFig = yoy.figures || {};
  const marks = (r.standard && r.standard.marks) || [];
  const find = (list, code) => (list || []).find((m) => m.code === code) || {};
  const cards = marks.map((mark) => {
    const now = find(cur.marks, mark.code);
    const last = find(yoyFig.marks, mark.code);
    const change = find(yoy.marks, mark.code);
    const pct = now.share_pct === null || now.share_pct === undefined ? '—' : now.share_pct.toFixed(2) + '%';
    return h(
      'div',
      { class: 'mark' },
      h('div', { class: 'label' }, mark.label),
      figure('mark:' + mark.code, pct, 'pct'),
      h('div', { class: 'met' }, cur.responded ? `${count(now.met)} / ${count(cur.responded)} 起` : '\u00a0'),
      h(
        'div',
        { class: 'cmp' },
        pp(change.share_change_pp) ||
          (last.share_pct !== null && last.share_pct !== undefined ? ['去年同日', h('br'), `${last.share_pct.toFixed(2)}%`] : '去年同日 —'),
      ),
    );
  });
  const arrival = cur.durations && cur.durations.call_to_arrival;
  const notes = [
    cur.responded
      ? `今日计入 ${count(cur.incidents)} 起，已响应 ${count(cur.responded)} 起 · 接警→到场中位 ${duration(arrival && arrival.median_s)}`
      : `今日计入 ${count(cur.incidents)} 起，暂无已响应警情`,
    ...((r.standard && r.standard.overrides) || [])
      .filter((o) => o.reason && (!scope || scope.has(o.unit)))
      .map((o) => o.reason),
  ];
  el.replaceChildren(
    h('h2', null, '今日 1-3-5 快速反应'),
    h('div', { class: 'marks' }, cards),
    ...notes.map((n) => h('p', { class: 'note' }, n)),
  );
}

const PATROL_ROWS = [
  { label: UNIT_STATUS_ZH.available, codes: ['available'], colour: UNIT_STATUS_COLOURS.available },
  { label: '派警/途中', codes: ['dispatched', 'en_route', 'busy'], colour: UNIT_STATUS_COLOURS.en_route },
  { label: UNIT_STATUS_ZH.on_scene, codes: ['on_scene'], colour: UNIT_STATUS_COLOURS.on_scene },
  { label: '下勤', codes: ['off_duty'], colour: UNIT_STATUS_COLOURS.off_duty },
];

export function renderPatrol(el, byStatus, total) {
  el.replaceChildren(
    h('h2', null, '巡逻警力', h('span', { class: 'sub' }, `共 ${count(total)} 组`)),
    h(
      'ul',
      { class: 'patrol-rows' },
      PATROL_ROWS.map((row) =>
        h(
          'li',
          null,
          dot(row.colour),
          h('span', { class: 'name' }, row.label),
          figure('patrol:' + row.label, count(row.codes.reduce((n, c) => n + (byStatus[c] || 0), 0)), 'n'),
        ),
      ),
    ),
  );
}

// The feed: newest on top, a known id updated in place, `pulse` while the
// incident waits for dispatch.
export function feedList(ul, { today, max = 30 }) {
  function fill(li, inc) {
    const at = inc.reported_at || '';
    const time = at.slice(0, 10) === today() ? at.slice(11, 16) : shortTime(at);
    const gone = inc.voided || inc.merged_into;
    const status = gone ? (inc.voided ? '已作废' : '已合并') : inc.status_zh || inc.status;
    li.classList.toggle('pulse', inc.status === 'received' && !gone);
    li.classList.toggle('gone', !!gone);
    li.replaceChildren(
      h(
        'div',
        { class: 'l1' },
        h('span', { class: 'time' }, time),
        dot(incidentColour(inc.class && inc.class.code)),
        h('span', { class: 'type' }, (inc.type && inc.type.name_zh) || '—'),
        h('span', { class: `badge status-${gone ? 'gone' : inc.status}` }, status),
      ),
      h('div', { class: 'l2' }, h('span', { class: 'addr' }, inc.address || '（无地址）'), h('span', { class: 'unit' }, inc.unit_name || inc.unit || '')),
    );
  }

  function find(id) {
    return ul.querySelector(`li[data-id="${Number(id)}"]`);
  }

  return {
    set(items) {
      ul.replaceChildren(
        ...items.slice(0, max).map((inc) => {
          const li = h('li', { dataset: { id: String(inc.id) } });
          fill(li, inc);
          return li;
        }),
      );
    },
    upsert(inc) {
      let li = find(inc.id);
      if (li) {
        fill(li, inc);
        return false;
      }
      li = h('li', { dataset: { id: String(inc.id) }, class: 'fresh' });
      li.addEventListener('animationend', (e) => e.animationName === 'wall-fresh' && li.classList.remove('fresh'));
      fill(li, inc);
      ul.prepend(li);
      while (ul.children.length > max) ul.lastElementChild.remove();
      return true;
    },
    newest() {
      const li = ul.firstElementChild;
      return li ? li.dataset.id : null;
    },
  };
}
