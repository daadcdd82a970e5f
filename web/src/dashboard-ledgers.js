// The dashboard's 防/管/治/宣 panel (issue 21): the ledgers' figures for the
// dashboard's unit and period from GET /api/ledger-figures (one request a
// figure, in parallel), each with 同比 and 环比 and a link to the 台账 list
// of its type and unit. Which figures make the panel is the bulletin's
// habit, so it is written here; a type the bureau has not configured (GET
// /api/ledger-types) is left out, and a type with no items in the period
// shows no figures (a rate of nothing is not 0%).
import { api, query } from './api.js';
import { count, esc } from './format.js';
import { explain } from './zh.js';
import { ledgersHref } from './ledger-files.js';

// good: which way a rise goes for the bureau (more disputes resolved is
// good, more overdue hazards is bad); the colour follows it, the words
// (上升/下降) say the direction either way.
export const LEDGER_PANEL = [
  {
    key: 'fang',
    title: '防',
    subtitle: '隐患排查整改',
    rows: [
      {
        type: 'hazard',
        label: '隐患',
        figures: [
          { name: 'found', label: '发现', word: '处', good: 'up', dated: true },
          { name: 'resolved', label: '整改', word: '处', good: 'up' },
          { name: 'overdue', label: '逾期', word: '处', good: 'down', state: 'open' },
        ],
      },
    ],
  },
  {
    key: 'guan',
    title: '管',
    subtitle: '检查清查',
    rows: [
      { type: 'inspection', label: '场所检查', figures: [{ name: 'visits', label: '检查', word: '家次', good: 'up' }] },
      {
        type: 'sweep',
        label: '清查行动',
        figures: [{ name: 'tally.officer_shifts', label: '出动警力', word: '人次', good: 'up', dated: true }],
      },
    ],
  },
  {
    key: 'zhi',
    title: '治',
    subtitle: '矛盾纠纷化解',
    rows: [
      {
        type: 'dispute',
        label: '矛盾纠纷',
        figures: [
          { name: 'found', label: '排查', word: '起', good: 'up', dated: true },
          { name: 'resolved', label: '化解', word: '起', good: 'up' },
          { name: 'rate', label: '化解率', word: '%', good: 'up' },
        ],
      },
    ],
  },
  {
    key: 'xuan',
    title: '宣',
    subtitle: '宣传防范',
    rows: [
      {
        type: 'publicity',
        label: '宣防',
        figures: [{ name: 'tally.leaflets', label: '发放资料', word: '份', good: 'up', dated: true }],
      },
      { type: 'home_visit', label: '云入户', figures: [{ name: 'visits', label: '走访', word: '户次', good: 'up' }] },
    ],
  },
];

// "96.34" → 96.34%, a count → 1,234 (the measure word beside it).
function valueHtml(fig, answer) {
  if (fig.name === 'rate') return `${esc(answer.rate.percent)}<small>%</small>`;
  return `${count(answer.value)}<small>${esc(fig.word)}</small>`;
}

// 同比/环比 of a figure: a rate's change in points (96.34% against 93.75%
// is 上升 2.59 个百分点), a count's in per cent; null → 无可比 (no base).
function changeHtml(fig, cmp) {
  if (!cmp) return '<span class="flat">—</span>';
  const rate = fig.name === 'rate';
  const v = rate ? cmp.change_points : cmp.change_pct;
  if (rate && (cmp.rate === undefined || cmp.rate === null || cmp.rate.percent === null)) {
    return '<span class="flat" title="对照期没有排查记录">无可比</span>';
  }
  if (v === null || v === undefined) {
    return `<span class="flat" title="对照期为 0">无可比</span>`;
  }
  if (v === 0) return '<span class="flat">持平</span>';
  const good = (v > 0) === (fig.good === 'up');
  const text = (v > 0 ? '上升 ' : '下降 ') + Math.abs(v).toFixed(2) + (rate ? ' 个百分点' : '%');
  return `<span class="${good ? 'ldp-good' : 'ldp-bad'}">${text}</span>`;
}

function compareTitle(label, cmp) {
  if (!cmp) return '';
  const v = cmp.rate && cmp.rate.percent !== undefined ? (cmp.rate.percent === null ? '—' : cmp.rate.percent + '%') : count(cmp.value);
  return `${label} ${String(cmp.from).slice(0, 10)} 至 ${String(cmp.to).slice(0, 10)}（止日不含）：${v}`;
}

// Whether the type had anything in the period: some figure is not zero.
function hasItems(answers) {
  return answers.some((a) => a && !a.error && (a.value > 0 || (a.rate && a.rate.denominator > 0)));
}

function figureHtml(fig, answer, href) {
  const id = `${answer ? answer.type : ''}.${fig.name}`;
  if (!answer || answer.error) {
    const why = answer && answer.error ? explain(answer.error) : '';
    return `<div class="ldp-fig" data-figure="${esc(id)}" data-empty="1"><span class="ldp-label">${esc(fig.label)}</span>
      <span class="ldp-value muted" title="${esc(why)}">—</span></div>`;
  }
  const noRate = fig.name === 'rate' && (!answer.rate || answer.rate.percent === null);
  const value = noRate ? '<span class="muted" title="本期没有排查记录，不计算化解率">—</span>' : `<a href="${esc(href)}">${valueHtml(fig, answer)}</a>`;
  return `
    <div class="ldp-fig" data-figure="${esc(id)}">
      <span class="ldp-label">${esc(fig.label)}</span>
      <span class="ldp-value" data-value="${esc(noRate ? '' : fig.name === 'rate' ? answer.rate.percent : answer.value)}">${value}</span>
      <span class="ldp-sub" title="${esc(compareTitle('去年同期', answer.year_on_year))}">同比 ${changeHtml(fig, answer.year_on_year)}</span>
      <span class="ldp-sub" title="${esc(compareTitle('上一周期', answer.previous_period))}">环比 ${changeHtml(fig, answer.previous_period)}</span>
    </div>`;
}

// Draws the panel into `el` for {period: {from, to} (to inclusive), range:
// the API's {from, to, unit}, unit: the unit shown (its code)}; `live()`
// says whether the answer is still wanted. Resolves once drawn.
export async function renderLedgerPanel(el, { period, range, unit, live }) {
  let types;
  try {
    const answer = await api.get('/api/ledger-types');
    types = new Map((answer.types || []).map((t) => [t.code, t]));
  } catch (err) {
    if (live()) el.innerHTML = `<p class="error">台账统计加载失败：${esc(explain(err))}</p>`;
    return;
  }
  const groups = LEDGER_PANEL.map((g) => ({ ...g, rows: g.rows.filter((r) => types.has(r.type)) })).filter((g) => g.rows.length);
  if (!groups.length) {
    if (live()) el.innerHTML = '<p class="muted">未配置台账类型。</p>';
    return;
  }
  // Every figure at once; a refused one (a bureau's type without that
  // field) shows — with the reason in its title, the rest still show.
  const jobs = [];
  for (const g of groups)
    for (const r of g.rows)
      for (const f of r.figures)
        jobs.push(
          api
            .get('/api/ledger-figures' + query({ type: r.type, name: f.name, ...range }))
            .then((a) => [r, f, a])
            .catch((err) => [r, f, { type: r.type, error: err }]),
        );
  const answers = await Promise.all(jobs);
  if (!live()) return;
  const byRow = new Map();
  for (const [r, f, a] of answers) {
    if (!byRow.has(r)) byRow.set(r, new Map());
    byRow.get(r).set(f, a);
  }
  const html = groups
    .map((g) => {
      const rows = g.rows
        .map((r) => {
          const got = byRow.get(r);
          const type = types.get(r.type);
          const listAll = ledgersHref({ type: r.type, unit });
          const listPeriod = ledgersHref({ type: r.type, unit, from: period.from, to: period.to });
          const head = `<a class="ldp-type" href="${esc(listAll)}" title="查看${esc(type.label)}台账">${esc(r.label)}</a>`;
          if (!hasItems([...got.values()]) && ![...got.values()].every((a) => a.error)) {
            return `<div class="ldp-row" data-type="${esc(r.type)}" data-empty="1">${head}<span class="muted ldp-none">本期无记录</span></div>`;
          }
          const figs = r.figures.map((f) => figureHtml(f, got.get(f), f.dated ? listPeriod : listAll)).join('');
          return `<div class="ldp-row" data-type="${esc(r.type)}">${head}<div class="ldp-figs">${figs}</div></div>`;
        })
        .join('');
      return `<section class="ldp-group" data-group="${g.key}"><h3><b>${g.title}</b>${esc(g.subtitle)}</h3>${rows}</section>`;
    })
    .join('');
  el.innerHTML = `<div class="ldp">${html}</div>`;
}
