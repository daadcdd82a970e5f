// 1-3-5 response figures of the analysis page: the compliance of each mark
// with its 同比, and a chart of the period's buckets (ECharts, tree-shaken):
// share meeting each mark against a year earlier above, median and P90
// response times below. A table view carries the same figures.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { esc, count } from './format.js';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

const MARK_COLOURS = ['#1d39c4', '#d46b08', '#389e0d', '#722ed1'];
const DURATIONS = [
  ['call_to_dispatch', '接警→派警'],
  ['dispatch_to_arrival', '派警→到场'],
  ['call_to_arrival', '接警→到场'],
];

// 332 → "5分32秒"
export function duration(s) {
  if (s === null || s === undefined || Number.isNaN(s)) return '—';
  const v = Math.round(s);
  const m = Math.floor(v / 60);
  const r = v % 60;
  return m ? `${m}分${String(r).padStart(2, '0')}秒` : `${r}秒`;
}

// Percentage points for compliance: a rise is good here (green), said in words.
function pp(change) {
  if (change === null || change === undefined) return { text: '—', cls: 'flat' };
  if (change === 0) return { text: '持平', cls: 'flat' };
  return {
    text: `${change > 0 ? '上升' : '下降'} ${Math.abs(change).toFixed(2)} 个百分点`,
    cls: change > 0 ? 'an-good' : 'an-bad',
  };
}

// Seconds for times: shorter is better.
function secs(change) {
  if (change === null || change === undefined) return { text: '—', cls: 'flat' };
  if (change === 0) return { text: '持平', cls: 'flat' };
  return { text: `${change > 0 ? '延长' : '缩短'} ${duration(Math.abs(change))}`, cls: change > 0 ? 'an-bad' : 'an-good' };
}

function pct(change) {
  if (change === null || change === undefined) return { text: '—', cls: 'flat' };
  if (change === 0) return { text: '持平', cls: 'flat' };
  return { text: `${change > 0 ? '上升' : '下降'} ${Math.abs(change).toFixed(2)}%`, cls: change > 0 ? 'up' : 'down' };
}

function share(x) {
  return x === null || x === undefined ? '—' : Number(x).toFixed(2) + '%';
}

// The KPI row: one tile per mark, the median call→arrival, the incidents.
export function responseKpis(report) {
  const t = report.total;
  const cur = t.current;
  const tiles = report.standard.marks.map((m) => {
    const got = cur.marks.find((x) => x.code === m.code) || {};
    const ch = pp(t.yoy.marks.find((x) => x.code === m.code)?.share_change_pp);
    const last = t.yoy.figures.marks.find((x) => x.code === m.code);
    return `
      <div class="kpi an-kpi" data-mark="${esc(m.code)}">
        <div class="label">${esc(m.label)}（≤ ${limit(m.seconds)}）</div>
        <div class="value">${share(got.share_pct)}</div>
        <div class="sub">达标 ${count(got.met)} / ${count(cur.responded)} 起 · 去年同期 ${share(last?.share_pct)}</div>
        <div class="sub">同比 <span class="${ch.cls}">${ch.text}</span></div>
      </div>`;
  });
  const med = cur.durations.call_to_arrival;
  const medCh = secs(t.yoy.median_change_s?.call_to_arrival);
  tiles.push(`
    <div class="kpi an-kpi">
      <div class="label">接警→到场 中位数</div>
      <div class="value">${duration(med.median_s)}</div>
      <div class="sub">P90 ${duration(med.p90_s)} · ${count(med.count)} 起有到场记录</div>
      <div class="sub">同比 <span class="${medCh.cls}">${medCh.text}</span></div>
    </div>`);
  const incCh = pct(t.yoy.incidents_change_pct);
  tiles.push(`
    <div class="kpi an-kpi">
      <div class="label">警情 / 已响应</div>
      <div class="value">${count(cur.incidents)}</div>
      <div class="sub">已响应 ${count(cur.responded)} 起</div>
      <div class="sub">警情同比 <span class="${incCh.cls}">${incCh.text}</span></div>
    </div>`);
  const overrides = report.standard.overrides
    .map((o) => `${esc(o.unit)}：${esc(o.reason)}`)
    .join('；');
  return {
    html: `<div class="kpis an-kpis">${tiles.join('')}</div>`,
    note: `标准：${esc(report.standard.name)}，达标率以已响应警情为分母${overrides ? '；单位例外：' + overrides : ''}。同比：${esc(t.yoy.from.slice(0, 10))} 至 ${esc(t.yoy.to.slice(0, 10))}（不含）。`,
  };
}

const GROUP_ZH = { day: '日', week: '周（起始日）', month: '月', unit: '单位', none: '合计' };

// The chart's option for the report's groups (or the total alone).
function chartOption(report) {
  const lines = report.groups.length ? report.groups : [report.total];
  const names = lines.map((g) => (report.group_by === 'none' ? '合计' : g.name));
  const marks = report.standard.marks;
  const series = [];
  // Units are categories, not a sequence: bars (and 同比 as markers) then.
  const byUnit = report.group_by === 'unit';
  marks.forEach((m, i) => {
    const colour = MARK_COLOURS[i % MARK_COLOURS.length];
    series.push({
      name: m.label,
      type: byUnit ? 'bar' : 'line',
      barMaxWidth: 14,
      xAxisIndex: 0,
      yAxisIndex: 0,
      symbolSize: 5,
      itemStyle: { color: colour },
      lineStyle: { color: colour, width: 2 },
      data: lines.map((g) => g.current.marks.find((x) => x.code === m.code)?.share_pct ?? null),
    });
    series.push({
      name: m.label + '（去年同期）',
      type: 'line',
      xAxisIndex: 0,
      yAxisIndex: 0,
      symbol: byUnit ? 'triangle' : 'none',
      symbolSize: 8,
      itemStyle: { color: colour },
      lineStyle: { color: colour, width: byUnit ? 0 : 1.5, type: 'dashed', opacity: byUnit ? 0 : 0.7 },
      data: lines.map((g) => g.yoy.figures.marks.find((x) => x.code === m.code)?.share_pct ?? null),
    });
  });
  const barColours = ['#69b1ff', '#ffc069', '#ff7875'];
  DURATIONS.forEach(([key, label], i) => {
    series.push({
      name: label + ' 中位数',
      type: 'bar',
      xAxisIndex: 1,
      yAxisIndex: 1,
      barMaxWidth: 14,
      itemStyle: { color: barColours[i] },
      data: lines.map((g) => minutesOf(g.current.durations[key].median_s)),
    });
  });
  series.push({
    name: '接警→到场 P90',
    type: 'line',
    xAxisIndex: 1,
    yAxisIndex: 1,
    symbol: 'diamond',
    symbolSize: 7,
    itemStyle: { color: '#a8071a' },
    lineStyle: { color: '#a8071a', width: 1 },
    data: lines.map((g) => minutesOf(g.current.durations.call_to_arrival.p90_s)),
  });
  const standardLines = marks
    .filter((m) => m.metric === 'call_to_arrival')
    .map((m) => ({ yAxis: m.seconds / 60, name: m.label }));
  if (standardLines.length)
    series[series.length - 1].markLine = {
      silent: true,
      symbol: 'none',
      lineStyle: { color: '#8c8c8c', type: 'dotted' },
      label: { formatter: '{b}', position: 'insideEndTop', fontSize: 10, color: '#595959' },
      data: standardLines,
    };
  const minutes = (v) => (v === null || v === undefined ? '—' : `${v} 分钟`);
  const percent = (v) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(2)}%`);
  for (const s of series) s.tooltip = { valueFormatter: s.yAxisIndex === 1 ? minutes : percent };
  return {
    animation: false,
    textStyle: { fontFamily: "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif" },
    tooltip: { trigger: 'axis', renderMode: 'richText', confine: true },
    legend: { top: 0, type: 'plain', itemWidth: 16, itemHeight: 8, textStyle: { fontSize: 11 } },
    grid: [
      { left: 56, right: 24, top: 64, height: '32%' },
      { left: 56, right: 24, bottom: 40, height: '30%' },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: names, axisLabel: { show: false } },
      {
        type: 'category',
        gridIndex: 1,
        data: names,
        name: GROUP_ZH[report.group_by] || '',
        nameLocation: 'end',
        nameGap: 4,
        nameTextStyle: { align: 'right', verticalAlign: 'top', padding: [24, 0, 0, 0] },
        axisLabel: { fontSize: 11, hideOverlap: true },
      },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, min: 0, max: 100, name: '达标率 %', axisLabel: { formatter: '{value}%' } },
      { type: 'value', gridIndex: 1, min: 0, name: '用时（分钟）' },
    ],
    series,
  };
}

function round1(x) {
  return x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10) / 10;
}

function minutesOf(s) {
  return s === null || s === undefined ? null : round1(s / 60);
}

// A mark's limit: "60 秒" / "3 分钟".
function limit(s) {
  return s % 60 === 0 && s >= 120 ? `${s / 60} 分钟` : `${s} 秒`;
}

// Draws (or redraws) the chart into `el`; returns the ECharts instance.
// The distribution of call-to-arrival and call-to-dispatch times in the
// period against the same period a year earlier: incidents per bucket of
// the report's histogram_edges_s (0-1, 1-2, 2-3, 3-5 … minutes).
function histogramOption(report) {
  const edges = report.histogram_edges_s || [];
  const labels = edges.map((e, i) =>
    i + 1 < edges.length ? `${e / 60}-${edges[i + 1] / 60}分` : `${e / 60}分以上`);
  const now = report.total.current.durations;
  const yoy = report.total.yoy.figures.durations;
  const series = [
    { name: '接警到到场（本期）', data: now.call_to_arrival.histogram, color: '#1d39c4' },
    { name: '接警到到场（去年同期）', data: yoy.call_to_arrival.histogram, color: '#adc6ff' },
    { name: '接警到派警（本期）', data: now.call_to_dispatch.histogram, color: '#d46b08' },
  ].map((s) => ({ ...s, type: 'bar', barGap: '10%', itemStyle: { color: s.color } }));
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v} 起` },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: labels, name: '用时' },
    yAxis: { type: 'value', name: '起' },
    series,
  };
}

export function drawResponseHistogram(el, report, chart) {
  const c = chart || echarts.init(el, null, { renderer: 'canvas' });
  c.setOption(histogramOption(report), true);
  return c;
}

export function drawResponseChart(el, report, chart) {
  const c = chart || echarts.init(el, null, { renderer: 'canvas' });
  c.setOption(chartOption(report), true);
  return c;
}

// The same figures as a table (for reading aloud at a meeting).
export function responseTable(report) {
  const lines = report.groups.length ? report.groups : [report.total];
  const marks = report.standard.marks;
  const head = `<tr><th>${esc(GROUP_ZH[report.group_by] || '时段')}</th><th class="num">警情</th><th class="num">已响应</th>
    ${marks.map((m) => `<th class="num">${esc(m.label)}</th><th class="num">同比</th>`).join('')}
    <th class="num">接警→到场 中位数</th><th class="num">P90</th></tr>`;
  const row = (g, total) => {
    const cells = marks
      .map((m) => {
        const cur = g.current.marks.find((x) => x.code === m.code);
        const ch = pp(g.yoy.marks.find((x) => x.code === m.code)?.share_change_pp);
        return `<td class="num">${share(cur?.share_pct)}</td><td class="num ${ch.cls}">${ch.text}</td>`;
      })
      .join('');
    const d = g.current.durations.call_to_arrival;
    return `<tr${total ? ' class="an-total"' : ''}><td>${esc(total ? '合计' : g.name)}</td><td class="num">${count(g.current.incidents)}</td>
      <td class="num">${count(g.current.responded)}</td>${cells}<td class="num">${duration(d.median_s)}</td><td class="num">${duration(d.p90_s)}</td></tr>`;
  };
  const body = (report.groups.length ? lines.map((g) => row(g, false)).join('') : '') + row(report.total, true);
  return `<table class="an-table"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

export function disposeChart(chart) {
  if (chart && !chart.isDisposed()) chart.dispose();
}
