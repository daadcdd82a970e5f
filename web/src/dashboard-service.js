// The dashboard's service figures: 1-3-5 rapid-response compliance
// (GET /api/stats/response) and patrol work (GET /api/stats/patrol).
// Unlike incident counts, a rise here is good (more compliance, more
// patrol), so the colours turn round: 上升 green, 下降 red, said in words.
import { count, esc } from './format.js';
import { incidentsHref, firstDay, lastDay } from './dashboard-period.js';
import { bar } from './dashboard-table.js';

const METRIC_ZH = { call_to_dispatch: '接警→派警', dispatch_to_arrival: '派警→到场', call_to_arrival: '接警→到场' };

// "上升 1.21 个百分点" coloured by whether a rise is good.
function ppSpan(pp, riseIsGood = true) {
  if (pp === null || pp === undefined) return '<span class="flat">—</span>';
  if (pp === 0) return '<span class="flat">持平</span>';
  const good = pp > 0 === riseIsGood;
  return `<span class="${good ? 'dash-good' : 'dash-bad'}">${pp > 0 ? '上升' : '下降'} ${Math.abs(pp).toFixed(2)} 个百分点</span>`;
}

function pctSpan(pct, riseIsGood = true) {
  if (pct === null || pct === undefined) return '<span class="flat">—</span>';
  if (pct === 0) return '<span class="flat">持平</span>';
  const good = pct > 0 === riseIsGood;
  return `<span class="${good ? 'dash-good' : 'dash-bad'}">${pct > 0 ? '上升' : '下降'} ${Math.abs(pct).toFixed(2)}%</span>`;
}

// 263 → "4分23秒"; null → "—".
export function duration(s) {
  if (s === null || s === undefined) return '—';
  const t = Math.round(Math.abs(s));
  const m = Math.floor(t / 60);
  const sec = t % 60;
  return m ? `${m}分${String(sec).padStart(2, '0')}秒` : `${sec}秒`;
}

function secondsChange(ds) {
  if (ds === null || ds === undefined) return '<span class="flat">—</span>';
  if (ds === 0) return '<span class="flat">持平</span>';
  // Longer is worse.
  return `<span class="${ds > 0 ? 'dash-bad' : 'dash-good'}">${ds > 0 ? '延长' : '缩短'} ${duration(ds)}</span>`;
}

export function renderResponse(el, r, { period, unit, unitName, inScope }) {
  const t = r.total;
  const cur = t.current;
  const marks = new Map(cur.marks.map((m) => [m.code, m]));
  const yoyPp = new Map((t.yoy.marks || []).map((m) => [m.code, m.share_change_pp]));
  const prevPp = new Map((t.previous.marks || []).map((m) => [m.code, m.share_change_pp]));
  const yoyRange = { from: firstDay(t.yoy.from), to: lastDay(t.yoy.to), unit };
  const tiles = r.standard.marks
    .map((m) => {
      const v = marks.get(m.code) || { met: 0, share_pct: null };
      return `<div class="dash-mark">
        <div class="label">${esc(m.label)}</div>
        <div class="dash-small muted">${esc(METRIC_ZH[m.metric] || m.metric)} ≤ ${duration(m.seconds)}</div>
        <div class="dash-big">${v.share_pct === null ? '—' : v.share_pct.toFixed(2) + '%'}</div>
        ${bar(v.share_pct === null ? 0 : v.share_pct / 100, '#389e0d')}
        <div class="sub">达标 ${count(v.met)} / ${count(cur.responded)} 起</div>
        <div class="sub">同比 ${ppSpan(yoyPp.get(m.code))}</div>
        <div class="sub">环比 ${ppSpan(prevPp.get(m.code))}</div>
      </div>`;
    })
    .join('');
  const lines = ['call_to_dispatch', 'dispatch_to_arrival', 'call_to_arrival']
    .map((k) => {
      const d = cur.durations[k] || {};
      const y = (t.yoy.figures.durations || {})[k] || {};
      return `<tr><td>${METRIC_ZH[k]}</td><td class="num">${duration(d.median_s)}</td><td class="num">${duration(d.p90_s)}</td>
        <td class="num">${duration(y.median_s)}</td><td class="num">${secondsChange((t.yoy.median_change_s || {})[k])}</td></tr>`;
    })
    .join('');
  const overrides = (r.standard.overrides || [])
    .filter((o) => inScope(o.unit))
    .map((o) => `${esc(unitName(o.unit))}：${esc(o.reason)}`)
    .join('；');
  el.innerHTML = `
    <p class="dash-note">${esc(r.standard.name)}：本期接报
      <a href="${esc(incidentsHref({ from: period.from, to: period.to, unit }))}">${count(cur.incidents)}</a> 起，已出警 ${count(cur.responded)} 起
      （达标率以已出警为分母）；去年同期接报 <a href="${esc(incidentsHref(yoyRange))}">${count(t.yoy.figures.incidents)}</a> 起。</p>
    <div class="dash-marks">${tiles}</div>
    <table class="dash-table dash-durations"><thead><tr><th>环节</th><th class="num">中位数</th><th class="num">90%分位</th>
      <th class="num">去年同期中位数</th><th class="num">同比</th></tr></thead><tbody>${lines}</tbody></table>
    ${overrides ? `<p class="muted dash-small">单位另行标准：${overrides}</p>` : ''}`;
}

export function renderPatrol(el, r) {
  const c = r.current;
  const y = r.last_year;
  const pct = r.yoy_percent || {};
  const tile = (label, value, measure, key, extra = '') => `
    <div class="dash-mark">
      <div class="label">${label}</div>
      <div class="dash-big">${value}<small>${measure}</small></div>
      ${extra}
      <div class="sub">同比 ${y ? pctSpan(pct[key]) : '<span class="flat">—</span>'}</div>
    </div>`;
  const coverage = c.hotspot_cells ? (c.hotspot_coverage * 100).toFixed(2) + '%' : '—';
  el.innerHTML = `
    <div class="dash-marks dash-patrol">
      ${tile('警力', count(c.officer_shifts), '人次', 'officer_shifts', y ? `<div class="sub muted">去年 ${count(y.officer_shifts)} 人次</div>` : '')}
      ${tile('警车', count(c.vehicle_shifts), '辆次', 'vehicle_shifts', y ? `<div class="sub muted">去年 ${count(y.vehicle_shifts)} 辆次</div>` : '')}
      ${tile('执勤点位', `${count(c.posts_staffed)}<span class="dash-of">/${count(c.posts)}</span>`, '个', 'posts_staffed', `<div class="sub muted">有班次全时段在岗的点位</div>`)}
      ${tile('巡逻里程', c.distance_km.toLocaleString('zh-CN', { maximumFractionDigits: 1 }), '公里', 'distance_km')}
      ${tile('热点覆盖', coverage, '', 'hotspot_coverage', `${bar(c.hotspot_coverage, '#1d39c4')}<div class="sub muted">${count(c.hotspot_cells_covered)} / ${count(c.hotspot_cells)} 个热点网格</div>`)}
    </div>
    <p class="muted dash-small">排班 ${count(c.shifts)} 个班次。${c.shifts ? '' : '本期没有排班与轨迹记录，巡防数据为 0。'}
      热点：${r.hotspot_model === 'etas' ? '本期首日的 ETAS 预测' : '无预测'}，每个派出所前若干个 150 米网格，以巡逻轨迹经过计覆盖。
      ${y ? '' : '去年同期没有巡防记录，不计同比。'}巡防数据来自排班与轨迹，不对应警情列表。</p>`;
}
