// 生成通报 on the 战果统计 dashboard (issue 22): the bulletin of the
// dashboard's unit and period from GET /api/bulletins, previewed in the page
// or downloaded as PDF or Word, or its figures as an Excel workbook (the
// same numbers, one row per figure: format=xlsx).
//
// Which days a template covers: 战果通报 the dashboard's whole period; 周报
// the seven days ending on its last day (the template says 本周); 警情日报
// that last day alone (the template compares it with the day before). The
// control says which days it will write before anything is asked.
//
// The preview: the server's page is self-contained (inline <style>), but the
// app's Content-Security-Policy (style-src 'self', frame-src 'self') is
// inherited by a srcdoc frame, a blob: frame or tab and an about:blank
// window, so each of those would show it unstyled (or not at all). The page
// is therefore parsed (DOMParser: inert, nothing runs; its <style> taken
// out as text first) and its body put in a shadow root whose styles are a
// constructed stylesheet (CSSOM, which the CSP does not govern). Its
// figures stay links to the records (/#/...).
import { api, query } from './api.js';
import { explain, translateMessage } from './zh.js';
import { proseRange, shiftDate } from './dashboard-period.js';
import { saveBlob, XLSX_TYPE } from './save-file.js';

export const TEMPLATES = [
  { code: 'campaign', label: '战果通报', days: 0 },
  { code: 'weekly', label: '周报', days: 7 },
  { code: 'daily', label: '警情日报', days: 1 },
];
export const DEFAULT_CAMPAIGN = '夏季治安打击整治行动';
const CAMPAIGN_KEY = 'pingan.bulletin.campaign';
// docs/openapi.json: the route's `campaign` is at most this many characters.
const CAMPAIGN_MAX = 100;

const PDF_TYPE = 'application/pdf';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// The days a template covers within the dashboard's period {from, to}
// (both inclusive): the whole period, or its last `days` days (never
// before `from`).
export function bulletinSpan(code, period) {
  const t = TEMPLATES.find((x) => x.code === code) || TEMPLATES[0];
  if (!t.days) return { from: period.from, to: period.to };
  const from = shiftDate(period.to, 1 - t.days);
  return { from: from < period.from ? period.from : from, to: period.to };
}

// "西关派出所_战果通报_2026-09-01至2026-09-30.pdf"; characters a file
// system refuses are replaced.
export function bulletinFilename(unitName, code, span, ext) {
  const t = TEMPLATES.find((x) => x.code === code) || TEMPLATES[0];
  const safe = String(unitName || '').replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${safe}_${t.label}_${span.from}至${span.to}.${ext}`;
}

// The route's query: dates inclusive (the route's `to` is the last day).
export function bulletinQuery({ unit, template, campaign, span }, format) {
  return query({
    unit: unit || undefined,
    from: span.from,
    to: span.to,
    template,
    campaign: template === 'campaign' ? campaign : undefined,
    format,
  });
}

export function rememberedCampaign(storage = globalThis.localStorage) {
  try {
    const v = storage && storage.getItem(CAMPAIGN_KEY);
    return v && v.trim() ? v : DEFAULT_CAMPAIGN;
  } catch {
    return DEFAULT_CAMPAIGN; // storage refused (private mode): the default
  }
}

function rememberCampaign(value) {
  try {
    globalThis.localStorage.setItem(CAMPAIGN_KEY, value);
  } catch {
    // Nothing to do: the next visit starts from the default.
  }
}

// The server's page into `host`'s shadow root: body → <div class="page">,
// its <style> as a constructed sheet with `html`/`body` rules moved to
// :host/.page. Returns the shadow root.
export function showBulletinPage(host, html) {
  // The <style> is taken out as text before parsing: a parsed document
  // inherits the app's CSP, and Chromium reports its <style> as a violation.
  const styles = [];
  const markup = String(html).replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_, css) => {
    styles.push(css);
    return '';
  });
  const doc = new DOMParser().parseFromString(markup, 'text/html');
  const css = styles
    .join('\n')
    .replace(/(^|[}\s])html(\s*\{)/g, '$1:host$2')
    .replace(/(^|[}\s])body(\s*\{)/g, '$1.page$2') +
    // On screen the page is a white sheet on the preview's grey desk.
    '\n.page { background: #fff; padding: 28pt 32pt; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.15); }';
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
  const page = document.createElement('div');
  page.className = 'page';
  page.setAttribute('lang', 'zh-CN');
  // No script can be in it (the server escapes every text, and a parsed
  // document runs nothing); anything but the page's own markup is dropped.
  for (const el of doc.body.querySelectorAll('script, iframe, object, embed, link, meta, style')) el.remove();
  page.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  root.replaceChildren(page);
  return root;
}

export function bulletinToolsHtml() {
  const opts = TEMPLATES.map((t) => `<option value="${t.code}">${t.label}</option>`).join('');
  return `
  <section class="card dash-bulletin" data-testid="bulletin">
    <div class="dbl-bar">
      <h2>生成通报</h2>
      <label>模板<select name="bulletin-template" data-testid="bulletin-template">${opts}</select></label>
      <label class="dbl-campaign">行动名称<input name="bulletin-campaign" data-testid="bulletin-campaign" maxlength="${CAMPAIGN_MAX}" autocomplete="off"></label>
      <button type="button" data-testid="bulletin-preview">预览</button>
      <button type="button" data-testid="bulletin-pdf">下载PDF</button>
      <button type="button" data-testid="bulletin-docx">下载Word</button>
      <button type="button" data-testid="bulletin-xlsx" title="通报中的各项数字（本期、去年同期、上期、同比、环比）">下载Excel</button>
      <span class="dbl-span muted" data-ref="bulletin-span"></span>
      <span class="dbl-status muted" role="status" data-testid="bulletin-status"></span>
    </div>
    <div class="dbl-view" data-testid="bulletin-view" hidden>
      <div class="dbl-viewbar"><span class="muted">通报预览（数字可点击查看对应记录）</span>
        <button type="button" class="link" data-testid="bulletin-close">关闭预览</button></div>
      <div class="dbl-page" data-testid="bulletin-page"></div>
    </div>
  </section>`;
}

// Wires bulletinToolsHtml()'s markup. `current()` gives the dashboard's
// {period: {from, to}, unit (a code), unitName}. Returns an update()
// to call when the dashboard's period or unit changes (the note of days,
// and a preview of another period is closed).
export function bulletinTools(root, current) {
  const templateSelect = root.querySelector('[data-testid=bulletin-template]');
  const campaignInput = root.querySelector('[data-testid=bulletin-campaign]');
  const status = root.querySelector('[data-testid=bulletin-status]');
  const spanNote = root.querySelector('[data-ref=bulletin-span]');
  const view = root.querySelector('[data-testid=bulletin-view]');
  const pageHost = root.querySelector('[data-testid=bulletin-page]');
  const buttons = [...root.querySelectorAll('[data-testid=bulletin-preview], [data-testid=bulletin-pdf], [data-testid=bulletin-docx], [data-testid=bulletin-xlsx]')];
  campaignInput.value = rememberedCampaign();
  let shownFor = '';

  function request() {
    const { period, unit, unitName } = current();
    const template = templateSelect.value;
    return { unit, unitName, template, campaign: campaignInput.value.trim(), span: bulletinSpan(template, period) };
  }

  function update() {
    const r = request();
    campaignInput.disabled = r.template !== 'campaign';
    campaignInput.closest('label').classList.toggle('muted', campaignInput.disabled);
    spanNote.textContent = `${r.unitName} · ${proseRange(r.span.from, r.span.to)}`;
    if (shownFor && shownFor !== bulletinQuery(r, 'html')) close();
  }

  function close() {
    view.hidden = true;
    shownFor = '';
    if (pageHost.shadowRoot) pageHost.shadowRoot.replaceChildren();
  }

  function say(text, kind = 'muted') {
    status.className = `dbl-status ${kind}`;
    status.textContent = text;
  }

  // The request's own check before it goes (the server checks again).
  function checked() {
    const r = request();
    if (r.template === 'campaign') {
      if (!r.campaign) return say('请填写行动名称（如：夏季治安打击整治行动）', 'error'), null;
      if (r.campaign.length > CAMPAIGN_MAX) return say(`行动名称最多 ${CAMPAIGN_MAX} 字`, 'error'), null;
      rememberCampaign(r.campaign);
    }
    return r;
  }

  async function run(button, work) {
    if (button.disabled) return;
    const r = checked();
    if (!r) return;
    for (const b of buttons) b.disabled = true;
    root.dataset.state = 'busy';
    try {
      await work(r);
      root.dataset.state = 'done';
    } catch (err) {
      root.dataset.state = 'error';
      say('生成通报失败：' + explainBulletin(err), 'error');
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  async function download(r, format, type, label) {
    say(`正在生成${label}（需要几秒钟）…`);
    const { blob } = await api.download('/api/bulletins' + bulletinQuery(r, format), type);
    const name = bulletinFilename(r.unitName, r.template, r.span, format);
    saveBlob(blob, name);
    say(`已下载 ${name}（${(blob.size / 1024).toFixed(1)} KB）`);
  }

  root.querySelector('[data-testid=bulletin-preview]').addEventListener('click', (e) =>
    run(e.currentTarget, async (r) => {
      say('正在生成通报…');
      const q = bulletinQuery(r, 'html');
      const { blob } = await api.download('/api/bulletins' + q, 'text/html');
      const html = await blob.text();
      // The period, unit or template changed while it was written: not this one.
      if (bulletinQuery(request(), 'html') !== q) return say('');
      showBulletinPage(pageHost, html);
      view.hidden = false;
      shownFor = q;
      say('');
      view.scrollIntoView({ block: 'nearest' });
    }),
  );
  root.querySelector('[data-testid=bulletin-pdf]').addEventListener('click', (e) =>
    run(e.currentTarget, (r) => download(r, 'pdf', PDF_TYPE, 'PDF')),
  );
  root.querySelector('[data-testid=bulletin-docx]').addEventListener('click', (e) =>
    run(e.currentTarget, (r) => download(r, 'docx', DOCX_TYPE, 'Word文档')),
  );
  root.querySelector('[data-testid=bulletin-xlsx]').addEventListener('click', (e) =>
    run(e.currentTarget, (r) => download(r, 'xlsx', XLSX_TYPE, 'Excel表格')),
  );
  root.querySelector('[data-testid=bulletin-close]').addEventListener('click', close);
  templateSelect.addEventListener('change', update);
  campaignInput.addEventListener('input', () => {
    if (shownFor) close();
  });
  update();
  return update;
}

const BULLETIN_FIELDS = {
  from: '开始日期',
  to: '结束日期',
  unit: '单位',
  template: '通报模板',
  campaign: '行动名称',
  campaign_start: '行动开始日期',
  format: '文件格式',
};

// explain() with the route's fields named as this control calls them
// (zh.js's FIELDS has `to` as an incident's 目标状态).
export function explainBulletin(err) {
  if (BULLETIN_FIELDS[err.field]) {
    return explain({ ...err, field: '', message: `${BULLETIN_FIELDS[err.field]}：${translateMessage(err.message)}` });
  }
  return explain(err);
}
