// The dashboard's ECharts, tree-shaken: only the line chart and the
// components it uses, drawn on canvas. Tooltips are HTML built here with
// classes only (no style attributes: the CSP allows styles from 'self').
import { use, init } from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { count, change, changeClass, esc } from './format.js';

use([LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

const FONT = "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif";
export const SERIES_COLOURS = ['#1d39c4', '#a6a6a6'];

// points: [{label, date, compareDate, count, compareCount, changePct}]
// onPick(point, which): which = 0 this period, 1 a year earlier.
export function trendChart(element, points, { bucketLabel, onPick }) {
  const chart = init(element, null, { renderer: 'canvas' });
  const many = points.length > 120;
  chart.setOption({
    textStyle: { fontFamily: FONT },
    color: SERIES_COLOURS,
    animation: points.length < 400,
    grid: { left: 48, right: 24, top: 36, bottom: many ? 64 : 32 },
    legend: { top: 0, data: ['本期', '去年同期'] },
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter(params) {
        const p = points[params[0].dataIndex];
        if (!p) return '';
        return (
          `<div class="dash-tip"><b>${esc(p.date)}</b>（${esc(bucketLabel)}）` +
          `<div><i class="dash-dot dash-dot-0"></i>本期 ${count(p.count)} 起</div>` +
          `<div><i class="dash-dot dash-dot-1"></i>去年同期 ${count(p.compareCount)} 起` +
          (p.compareDate ? `<span class="muted">（${esc(p.compareDate)}）</span>` : '') +
          `</div><div>同比 <span class="${changeClass(p.changePct)}">${change(p.changePct)}</span></div>` +
          `<div class="muted">点击查看警情列表</div></div>`
        );
      },
    },
    xAxis: { type: 'category', boundaryGap: false, data: points.map((p) => p.label) },
    yAxis: { type: 'value', minInterval: 1, name: '起', nameGap: 12 },
    dataZoom: many ? [{ type: 'slider', height: 18, bottom: 8 }, { type: 'inside' }] : [],
    series: [
      {
        name: '本期',
        type: 'line',
        showSymbol: points.length <= 62,
        symbolSize: 5,
        lineStyle: { width: 2 },
        areaStyle: { opacity: 0.08 },
        data: points.map((p) => p.count),
      },
      {
        name: '去年同期',
        type: 'line',
        showSymbol: false,
        lineStyle: { width: 1.5, type: 'dashed' },
        data: points.map((p) => p.compareCount),
      },
    ],
  });
  // A click anywhere in the plot picks the day under the pointer and the
  // nearer of the two lines (symbols are hidden on long periods).
  chart.getZr().on('click', (e) => {
    const at = [e.offsetX, e.offsetY];
    if (!onPick || !chart.containPixel('grid', at)) return;
    const index = Math.round(chart.convertFromPixel({ seriesIndex: 0 }, at)[0]);
    const p = points[index];
    if (!p) return;
    const y0 = chart.convertToPixel({ seriesIndex: 0 }, [index, p.count])[1];
    const y1 = chart.convertToPixel({ seriesIndex: 1 }, [index, p.compareCount])[1];
    onPick(p, Math.abs(e.offsetY - y1) < Math.abs(e.offsetY - y0) ? 1 : 0);
  });
  return chart;
}
