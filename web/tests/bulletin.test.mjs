// 生成通报 on the dashboard (issue 22), in Debian's chromium against a real
// `pingan serve` on a fresh demo district: 预览 shows the bulletin of the
// dashboard's own unit and period in the page, styled (the app's CSP lets
// no inline <style> through, so it is a shadow root with a constructed
// sheet), and its 接报警情 figure is the dashboard's 警情总数; 周报 covers the
// period's last seven days and counts what GET /api/stats counts there;
// 下载PDF, 下载Word and 下载Excel save files that are a PDF ("%PDF"), a .docx
// and an .xlsx (zips, "PK") under <单位>_<模板>_<from>至<to>; the campaign's name is
// remembered; an empty one is refused in Chinese before anything is sent.
// Also, without a browser, the days each template covers, the file names
// and the Chinese of the route's errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browser, cleanup, demoDatabase, openPage, pageErrors, serve, shot, signIn } from './support.mjs';
import { bulletinFilename, bulletinQuery, bulletinSpan, explainBulletin, rememberedCampaign } from '../src/dashboard-bulletin.js';
import { explain } from '../src/zh.js';

// September 2026 on the demo district (dates inclusive on the page).
const MONTH = { from: '2026-09-01', to: '2026-09-30' };
const digits = (text) => Number(String(text).replace(/[^\d]/g, ''));

describe('the days, names and errors of a bulletin (no browser)', () => {
  test('战果通报 covers the period, 周报 its last 7 days, 警情日报 its last day', () => {
    assert.deepEqual(bulletinSpan('campaign', MONTH), MONTH);
    assert.deepEqual(bulletinSpan('weekly', MONTH), { from: '2026-09-24', to: '2026-09-30' });
    assert.deepEqual(bulletinSpan('daily', MONTH), { from: '2026-09-30', to: '2026-09-30' });
    // A period shorter than a week is not widened before its start.
    assert.deepEqual(bulletinSpan('weekly', { from: '2026-09-28', to: '2026-09-30' }), { from: '2026-09-28', to: '2026-09-30' });
    // Across a month and a year end.
    assert.deepEqual(bulletinSpan('weekly', { from: '2026-12-01', to: '2027-01-02' }), { from: '2026-12-27', to: '2027-01-02' });
  });

  test('the file is named <单位>_<模板>_<from>至<to> and the query carries inclusive dates', () => {
    assert.equal(bulletinFilename('西关派出所', 'campaign', MONTH, 'pdf'), '西关派出所_战果通报_2026-09-01至2026-09-30.pdf');
    assert.equal(bulletinFilename('A/B 所', 'daily', { from: '2026-09-30', to: '2026-09-30' }, 'docx'), 'A_B_所_警情日报_2026-09-30至2026-09-30.docx');
    const q = new URLSearchParams(
      bulletinQuery({ unit: 'PA-S01', template: 'campaign', campaign: '夏季治安打击整治行动', span: MONTH }, 'pdf').slice(1),
    );
    assert.deepEqual(Object.fromEntries(q), {
      unit: 'PA-S01', from: '2026-09-01', to: '2026-09-30', template: 'campaign', campaign: '夏季治安打击整治行动', format: 'pdf',
    });
    // A weekly bulletin names no campaign; no unit: the server takes the user's.
    const w = new URLSearchParams(bulletinQuery({ unit: '', template: 'weekly', campaign: 'x', span: MONTH }, 'html').slice(1));
    assert.equal(w.has('campaign'), false);
    assert.equal(w.has('unit'), false);
  });

  test('the campaign name falls back to the default when none is stored or storage refuses', () => {
    assert.equal(rememberedCampaign({ getItem: () => null }), '夏季治安打击整治行动');
    assert.equal(rememberedCampaign({ getItem: () => '冬季攻势' }), '冬季攻势');
    assert.equal(rememberedCampaign({ getItem: () => { throw new Error('denied'); } }), '夏季治安打击整治行动');
  });

  test('the route’s errors read in Chinese', () => {
    assert.equal(explainBulletin({ status: 400, code: 'invalid_argument', field: 'to', message: '2026-08-01 is before from 2026-09-01' }),
      '输入有误：结束日期：2026-08-01 早于开始日期 2026-09-01');
    assert.equal(explainBulletin({ status: 400, code: 'invalid_argument', field: 'template', message: "no template 'x' in /d/bulletins (there are: campaign, daily, weekly)" }),
      '输入有误：通报模板：没有名为「x」的通报模板（现有：campaign, daily, weekly）');
    assert.equal(explainBulletin({ status: 503, code: 'unavailable', field: '', message: 'two bulletins are being printed; try again in a moment' }),
      '服务暂不可用：正在生成另外两份通报文件，请稍后再试');
    assert.equal(explainBulletin({ status: 403, code: 'permission_denied', field: '', message: "unit 'PB' is outside your unit's subtree" }),
      '无权操作：不在本单位辖区范围内');
    assert.equal(explain({ status: 400, code: 'invalid_argument', field: 'template', message: "campaign.md line 7: unknown figure 'cases.solve'" }),
      "输入有误 · template：通报模板 campaign.md 第 7 行有误：unknown figure 'cases.solve'");
  });
});

describe('生成通报 on the dashboard', () => {
  let demo, server, b, command, routeStatus;

  before(async () => {
    demo = demoDatabase();
    server = await serve(demo.db);
    b = await browser();
    command = await signIn(b, server.base, 'demo-command', demo.passwords['demo-command']);
    routeStatus = await command.page.evaluate(
      (m) => fetch(`/api/bulletins?from=${m.from}&to=${m.to}&format=md`).then((r) => r.status),
      MONTH,
    );
  });

  after(async () => {
    if (b) await b.close();
    if (server) await server.stop();
    if (demo) cleanup(demo.dir);
  });

  // The route must be in the binary: without it every test fails, saying so.
  function assertRoute() {
    assert.equal(routeStatus, 200, `GET /api/bulletins answers ${routeStatus}: is the route in this pingan binary?`);
  }

  // Clicks `button` and resolves to the download, or fails with what the page said.
  async function downloadFrom(page, button) {
    const downloaded = page.waitForEvent('download', { timeout: 90_000 }).catch(() => null);
    const refused = page
      .waitForSelector('[data-testid=bulletin-status].error', { timeout: 90_000 })
      .then((el) => el.textContent())
      .catch(() => null);
    await page.click(button);
    const download = await Promise.race([downloaded, refused]);
    assert.ok(download && typeof download === 'object', `no file: ${download || 'no download within 90 s'}`);
    return download;
  }

  test('预览 shows the bulletin of the dashboard’s period, its 接报警情 the dashboard’s 警情总数', async () => {
    assertRoute();
    const { page } = await openPage(command.context, server.base, `#/dashboard?from=${MONTH.from}&to=${MONTH.to}`);
    const total = digits(await page.textContent('[data-testid=kpi-total] .value a'));
    const criminal = digits(await page.textContent('[data-class=criminal] .value a'));
    assert.ok(total > 0 && criminal > 0, `the demo district has incidents in September (${total}, ${criminal})`);

    assert.equal(await page.inputValue('[data-testid=bulletin-campaign]'), '夏季治安打击整治行动');
    assert.equal(await page.inputValue('[data-testid=bulletin-template]'), 'campaign');
    const unitName = (await page.textContent('[data-ref=bulletin-span]')).split(' · ')[0];
    assert.match(await page.textContent('[data-ref=bulletin-span]'), /2026年9月1日至9月30日/);

    await page.click('[data-testid=bulletin-preview]');
    await page.waitForSelector('[data-testid=bulletin-view]:not([hidden])', { timeout: 60_000 });
    const sheet = page.locator('[data-testid=bulletin-page]');
    // Playwright's CSS locators pierce the open shadow root.
    const title = (await sheet.locator('h1.title').textContent()).trim();
    assert.equal(title, `${unitName}夏季治安打击整治行动战果通报`);
    assert.match(await sheet.locator('p.subtitle').textContent(), /2026年9月1日至9月30日/);
    const figure = sheet.locator('a.figure[data-figure="incidents.total"]').first();
    assert.equal(digits(await figure.textContent()), total, 'the bulletin’s 接报警情 is the dashboard’s 警情总数');
    assert.match(await figure.getAttribute('href'), /^\/#\/incidents\?/);
    // 刑事警情's 同比 sentence is there or left out, but never a different count.
    const crim = sheet.locator('a.figure[data-figure="incidents.criminal"]');
    if (await crim.count()) assert.match(await crim.first().textContent(), /同比/);
    // The page's own styles apply (the 公文 title centred and bold, 22pt).
    const style = await sheet.locator('h1.title').evaluate((h) => {
      const s = getComputedStyle(h);
      return { align: s.textAlign, size: s.fontSize };
    });
    assert.equal(style.align, 'center');
    assert.ok(Math.abs(parseFloat(style.size) - (22 * 4) / 3) < 0.1, `title 22pt (${style.size})`);
    // The Markdown of the same request says the same figure.
    const md = await page.evaluate(
      (m) => fetch(`/api/bulletins?from=${m.from}&to=${m.to}&campaign=${encodeURIComponent('夏季治安打击整治行动')}`).then((r) => r.text()),
      MONTH,
    );
    assert.ok(md.includes(`接报警情[${(await figure.textContent()).trim()}]`), md.slice(0, 400));
    await shot(page, 'dashboard-bulletin');

    // A figure leads to its records.
    await figure.click();
    await page.waitForSelector('#page[data-page=incidents][data-ready="1"]', { timeout: 60_000 });
    assert.match(page.url(), /#\/incidents\?/);
    await page.close();
  });

  test('周报 covers the period’s last seven days and counts what GET /api/stats counts there', async () => {
    assertRoute();
    const { page } = await openPage(command.context, server.base, `#/dashboard?from=${MONTH.from}&to=${MONTH.to}`);
    await page.selectOption('[data-testid=bulletin-template]', 'weekly');
    assert.equal(await page.isDisabled('[data-testid=bulletin-campaign]'), true);
    assert.match(await page.textContent('[data-ref=bulletin-span]'), /2026年9月24日至9月30日/);
    const stats = await page.evaluate(() => fetch('/api/stats?from=2026-09-24&to=2026-10-01').then((r) => r.json()));
    await page.click('[data-testid=bulletin-preview]');
    await page.waitForSelector('[data-testid=bulletin-view]:not([hidden])', { timeout: 60_000 });
    const sheet = page.locator('[data-testid=bulletin-page]');
    assert.match(await sheet.locator('h1.title').textContent(), /周报$/);
    assert.equal(digits(await sheet.locator('a.figure[data-figure="incidents.total"]').first().textContent()), stats.total);
    // Another period closes the preview of the old one.
    await page.fill('input[name=from]', '2026-08-01');
    await page.fill('input[name=to]', '2026-08-31');
    await page.click('[data-testid=apply-period]');
    await page.waitForSelector('[data-testid=bulletin-view][hidden]', { state: 'attached' });
    assert.match(await page.textContent('[data-ref=bulletin-span]'), /2026年8月25日至8月31日/);
    await page.close();
  });

  test('下载PDF and 下载Word save a PDF and a .docx named <单位>_<模板>_<from>至<to>', async () => {
    assertRoute();
    const { page } = await openPage(command.context, server.base, `#/dashboard?from=${MONTH.from}&to=${MONTH.to}&unit=PA-S01`);
    const units = await page.evaluate(() => fetch('/api/units').then((r) => r.json()));
    const list = units.items;
    const unitName = list.find((u) => u.code === 'PA-S01').name;
    // The name comes once the unit list is loaded.
    await page.waitForSelector(`[data-ref=bulletin-span]:has-text("${unitName} · ")`);
    const pdf = await downloadFrom(page, '[data-testid=bulletin-pdf]');
    assert.equal(pdf.suggestedFilename(), `${unitName}_战果通报_2026-09-01至2026-09-30.pdf`);
    const bytes = readFileSync(await pdf.path());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
    assert.ok(bytes.length > 5000, `a PDF of a page or more (${bytes.length} bytes)`);
    await page.waitForSelector('[data-testid=bulletin-status]:has-text("已下载")');

    const docx = await downloadFrom(page, '[data-testid=bulletin-docx]');
    assert.equal(docx.suggestedFilename(), `${unitName}_战果通报_2026-09-01至2026-09-30.docx`);
    const word = readFileSync(await docx.path());
    assert.equal(word.subarray(0, 2).toString('latin1'), 'PK', 'a .docx is a zip');
    await page.close();
  });

  test('下载Excel saves the figures as an .xlsx named <单位>_<模板>_<from>至<to>', async () => {
    assertRoute();
    const { page } = await openPage(command.context, server.base, `#/dashboard?from=${MONTH.from}&to=${MONTH.to}&unit=PA-S01`);
    const units = await page.evaluate(() => fetch('/api/units').then((r) => r.json()));
    const unitName = units.items.find((u) => u.code === 'PA-S01').name;
    await page.waitForSelector(`[data-ref=bulletin-span]:has-text("${unitName} · ")`);
    const xlsx = await downloadFrom(page, '[data-testid=bulletin-xlsx]');
    assert.equal(xlsx.suggestedFilename(), `${unitName}_战果通报_2026-09-01至2026-09-30.xlsx`);
    const book = readFileSync(await xlsx.path());
    assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip');
    // The figures sheet is in it (a zip stores its part names in clear).
    assert.ok(book.includes('xl/worksheets/sheet2.xml'), 'two sheets: 通报 and 通报数字');
    await page.waitForSelector('[data-testid=bulletin-status]:has-text("已下载")');
    await page.close();
  });

  test('the by-type table’s 导出Excel saves GET /api/stats/export.xlsx of the dashboard’s query', async () => {
    assertRoute();
    const { page } = await openPage(command.context, server.base, `#/dashboard?from=${MONTH.from}&to=${MONTH.to}&unit=PA-S01`);
    await page.waitForSelector('[data-ref=types] table');
    const downloaded = page.waitForEvent('download', { timeout: 60_000 });
    await page.click('[data-testid=types-export]');
    const file = await downloaded;
    assert.match(file.suggestedFilename(), /_分类型警情_2026-09-01至2026-09-30\.xlsx$/);
    const book = readFileSync(await file.path());
    assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip');
    await page.waitForSelector('[data-ref=typesexport]:has-text("已导出")');
    await page.close();
  });

  test('the campaign’s name is remembered, and an empty one is refused in Chinese before anything is sent', async () => {
    assertRoute();
    const { page } = await openPage(command.context, server.base, `#/dashboard?from=${MONTH.from}&to=${MONTH.to}`);
    let asked = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/bulletins')) asked++;
    });
    await page.fill('[data-testid=bulletin-campaign]', '');
    await page.click('[data-testid=bulletin-preview]');
    assert.match(await page.textContent('[data-testid=bulletin-status].error'), /请填写行动名称/);
    assert.equal(asked, 0);

    await page.fill('[data-testid=bulletin-campaign]', '秋季百日攻坚行动');
    await page.click('[data-testid=bulletin-preview]');
    await page.waitForSelector('[data-testid=bulletin-view]:not([hidden])', { timeout: 60_000 });
    assert.match(await page.locator('[data-testid=bulletin-page] h1.title').textContent(), /秋季百日攻坚行动战果通报$/);
    await page.close();

    const again = await openPage(command.context, server.base, `#/dashboard?from=${MONTH.from}&to=${MONTH.to}`);
    assert.equal(await again.page.inputValue('[data-testid=bulletin-campaign]'), '秋季百日攻坚行动');
    await again.page.close();
    assert.deepEqual(pageErrors, [], 'no console errors or CSP violations');
  });
});
