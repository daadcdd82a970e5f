// Judging a forecast whose window has passed, the way the NIJ Real-Time
// Crime Forecasting Challenge does (docs/forecasting.md): flag the top
// cells covering a share a/A of the study area; hit rate = n/N, the share
// of the window's incidents inside them; PAI = hit rate / (a/A). The same
// for two simple baselines (the cell counts of the 28 and 365 days before
// the window) measured on the same incidents, since a model is only as good
// as its margin over them. The window's incidents come from the counts map
// (GET /api/hotspots?method=counts), whose cell ids are the forecast's.
import { api, query } from './api.js';
import { esc, count } from './format.js';

export const SHARES = [0.01, 0.05, 0.1];

function localDay(iso) {
  return iso.slice(0, 10);
}

// {window, base28, base365}: Maps cell → count, and N (located incidents
// of the window). `filters` are the map's (unit, class, type, cell).
export async function loadEvaluation(fc, filters) {
  const { window_start: start, window_end: end } = fc.meta;
  const back = (days) => {
    const d = new Date(Date.parse(start) - days * 86400000);
    return d.toISOString();
  };
  const get = (from, to) =>
    api.get(
      '/api/hotspots' +
        query({ ...filters, method: 'counts', from, to, limit: 100000, geometry: 'point' }),
    );
  const [win, b28, b365] = await Promise.all([get(start, end), get(back(28), start), get(back(365), start)]);
  const cells = (fc2) => fc2.features.map((f) => [f.properties.cell, Number(f.properties.count) || 0]);
  return {
    actual: new Map(cells(win)),
    N: win.meta.incidents,
    base28: cells(b28).sort((a, b) => b[1] - a[1]).map(([c]) => c),
    base365: cells(b365).sort((a, b) => b[1] - a[1]).map(([c]) => c),
  };
}

// Rows of {name, results: [{share, a, n, hit, pai} | null]} for the model
// and the baselines.
export function scoreEvaluation(fc, ev) {
  const A = fc.meta.area_cells;
  const ranked = fc.features.map((f) => f.properties.cell);
  const score = (order, exhaustive) =>
    SHARES.map((share) => {
      const a = Math.max(1, Math.round(share * A));
      // The forecast lists its `limit` best cells; a share needing more
      // cells than it listed cannot be scored. A baseline lists every cell
      // with incidents: the rest have none and would be flagged in any order.
      if (!exhaustive && a > order.length) return null;
      let n = 0;
      for (const c of order.slice(0, a)) n += ev.actual.get(c) || 0;
      const hit = ev.N ? n / ev.N : null;
      return { share, a, n, hit, pai: hit === null ? null : hit / (a / A) };
    });
  const model = fc.meta.model === 'etas' ? 'ETAS 模型' : 'KDE（前 28 天）';
  return [
    { name: model + '（本预测）', results: score(ranked, false), main: true },
    { name: '基线：前 28 天计数', results: score(ev.base28, true) },
    { name: '基线：前 365 天计数', results: score(ev.base365, true) },
  ];
}

export function evaluationHtml(fc, ev) {
  const rows = scoreEvaluation(fc, ev);
  const head = SHARES.map((s) => `<th class="num" colspan="2">面积前 ${s * 100}%</th>`).join('');
  const sub = SHARES.map(() => '<th class="num">命中率</th><th class="num">PAI</th>').join('');
  const body = rows
    .map(
      (r) => `<tr${r.main ? ' class="an-total"' : ''}><td>${esc(r.name)}</td>${r.results
        .map((x) =>
          x
            ? `<td class="num" title="${x.n} / ${ev.N} 起，标记 ${x.a} 格">${x.hit === null ? '—' : (x.hit * 100).toFixed(2) + '%'}</td><td class="num">${x.pai === null ? '—' : x.pai.toFixed(2)}</td>`
            : '<td class="num muted" colspan="2">格数不足</td>',
        )
        .join('')}</tr>`,
    )
    .join('');
  const cells = SHARES.map((s) => `${s * 100}% = ${count(Math.max(1, Math.round(s * fc.meta.area_cells)))} 格`).join('，');
  return `
    <table class="an-table an-eval">
      <thead><tr><th rowspan="2">预测评估</th>${head}</tr><tr>${sub}</tr></thead>
      <tbody>${body}</tbody>
    </table>
    <p class="muted an-note">窗口 ${esc(localDay(fc.meta.window_start))} 起实际定位警情 ${count(ev.N)} 起；研究区 ${count(fc.meta.area_cells)} 格（${cells}）。命中率 = 落在标记网格内的警情占比，PAI = 命中率 ÷ 面积占比。</p>`;
}
