// The ledgers on the dashboard and the 台账 list's spreadsheets (issue 21),
// in Debian's chromium against a real `pingan serve` on a fresh demo
// district: the 防/管/治/宣 panel shows the figures GET /api/ledger-figures
// gives for the same unit and period (化解率 to the hundredth), a period
// without items shows no rate at all; 导出Excel saves an .xlsx (a zip:
// "PK"); 导入 of a CSV with one bad row takes the good row and shows the
// bad row's reason in Chinese.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browser, cleanup, demoDatabase, openPage, pageErrors, serve, shot, signIn } from './support.mjs';

// September 2026 on the demo district, whose ledgers start in June 2026: a
// 环比 against August, no 同比 (dates inclusive on the page; the API's `to`
// is the day after).
const MONTH = { from: '2026-09-01', to: '2026-09-30', apiTo: '2026-10-01' };

describe('ledgers on the dashboard, export and import', () => {
  let demo, server, b, command;

  before(async () => {
    demo = demoDatabase();
    server = await serve(demo.db);
    b = await browser();
    command = await signIn(b, server.base, 'demo-command', demo.passwords['demo-command']);
  });

  after(async () => {
    if (b) await b.close();
    if (server) await server.stop();
    if (demo) cleanup(demo.dir);
  });

  async function panelOf(hash) {
    const { page } = await openPage(command.context, server.base, hash);
    await page.waitForSelector('[data-testid=ledger-panel] [data-ref=ledgers][data-ready="1"]', { timeout: 60_000 });
    return page;
  }

  const figure = (page, type, name) =>
    page.evaluate(
      ([t, n, f, to]) => fetch(`/api/ledger-figures?type=${t}&name=${n}&from=${f}&to=${to}`).then((r) => r.json()),
      [type, name, MONTH.from, MONTH.apiTo],
    );

  test('the panel shows September’s 化解率 as GET /api/ledger-figures gives it, with 同比 and 环比', async () => {
    const page = await panelOf(`#/dashboard?from=${MONTH.from}&to=${MONTH.to}`);
    const rate = await figure(page, 'dispute', 'rate');
    assert.ok(rate.rate.denominator > 0, 'the demo district has disputes in September');
    const cell = page.locator('[data-figure="dispute.rate"]');
    assert.equal((await cell.locator('.ldp-value').textContent()).trim(), rate.rate.percent + '%');
    assert.equal(await cell.locator('.ldp-value').getAttribute('data-value'), rate.rate.percent);
    // 环比 of a rate in percentage points, as the API works it out; no 同比
    // (a year earlier had no disputes), said so rather than 0.
    const [yoy, previous] = await cell.locator('.ldp-sub').allTextContents();
    const points = rate.previous_period.change_points;
    assert.ok(points !== null && points !== 0, `August gives a 环比 (${points})`);
    assert.ok(previous.includes(`环比 ${points > 0 ? '上升' : '下降'} ${Math.abs(points).toFixed(2)} 个百分点`), previous);
    assert.equal(rate.year_on_year.rate.percent, null);
    assert.match(yoy, /同比 无可比/);

    // The counts beside it: 排查 = found, 化解 = resolved (the rate's numerator).
    const found = await figure(page, 'dispute', 'found');
    assert.equal(await page.getAttribute('[data-figure="dispute.found"] .ldp-value', 'data-value'), String(found.value));
    assert.equal(await page.getAttribute('[data-figure="dispute.resolved"] .ldp-value', 'data-value'), String(rate.value));
    const found_text = (await page.textContent('[data-figure="dispute.found"] .ldp-value')).trim();
    assert.equal(found_text, found.value.toLocaleString('zh-CN') + '起');
    // The sweep's officers and the leaflets are tallies of their fields.
    const shifts = await figure(page, 'sweep', 'tally.officer_shifts');
    assert.equal(await page.getAttribute('[data-figure="sweep.tally.officer_shifts"] .ldp-value', 'data-value'), String(shifts.value));
    const overdue = await figure(page, 'hazard', 'overdue');
    assert.equal(await page.getAttribute('[data-figure="hazard.overdue"] .ldp-value', 'data-value'), String(overdue.value));

    // Each figure links to the 台账 list of its type and unit; 排查 with the period.
    const href = await page.getAttribute('[data-figure="dispute.found"] a', 'href');
    assert.equal(href, `#/ledgers?type=dispute&unit=PA&from=${MONTH.from}&to=${MONTH.to}`);
    await shot(page, 'dashboard-ledgers');
    await page.click('[data-figure="dispute.found"] a');
    await page.waitForSelector('#page[data-page=ledgers][data-ready="1"]');
    assert.match(await page.textContent('[data-testid=ledger-filter]'), /登记日期：2026-09-01 至 2026-09-30/);
    const listed = await page.locator('[data-testid=ledger-list] tr[data-id]').count();
    assert.equal(listed, Math.min(50, found.value), 'the list holds the disputes registered in the period');
    await page.close();
  });

  test('a period without ledger items shows no 化解率, not 0%', async () => {
    const page = await panelOf('#/dashboard?from=2020-01-01&to=2020-01-31');
    const found = await page.evaluate(() =>
      fetch('/api/ledger-figures?type=dispute&name=found&from=2020-01-01&to=2020-02-01').then((r) => r.json()),
    );
    assert.equal(found.value, 0, 'the demo district starts later');
    const row = page.locator('[data-testid=ledger-panel] .ldp-row[data-type=dispute]');
    assert.equal(await row.getAttribute('data-empty'), '1');
    assert.equal(await row.locator('[data-figure]').count(), 0);
    assert.doesNotMatch(await row.textContent(), /%/);
    assert.match(await row.textContent(), /本期无记录/);
    await page.close();
  });

  test('导出Excel saves the filtered list as an .xlsx workbook', async () => {
    const { page } = await openPage(command.context, server.base, '#/ledgers?type=dispute&unit=PA-S01&from=2026-06-01&to=2026-06-30');
    // Whichever comes first: the file, or the page saying why there is none.
    const downloaded = page.waitForEvent('download', { timeout: 60_000 }).catch(() => null);
    const refused = page
      .waitForSelector('.ldf-status.error', { timeout: 60_000 })
      .then((el) => el.textContent())
      .catch(() => null);
    await page.click('[data-testid=ledger-export]');
    const download = await Promise.race([downloaded, refused]);
    assert.ok(download && typeof download === 'object', `no workbook: ${download || 'no download within 60 s'}`);
    assert.equal(download.suggestedFilename(), '矛盾纠纷台账_2026-06-01至2026-06-30.xlsx');
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip');
    assert.ok(bytes.length > 1000, `a workbook of the month's disputes (${bytes.length} bytes)`);
    await page.waitForSelector('.ldf-status:has-text("已导出")');
    await page.close();
  });

  test('导入 of a CSV with one bad row takes the good row and shows the bad row’s reason', async () => {
    const { page } = await openPage(command.context, server.base, '#/ledgers?type=dispute');
    const summary = `浏览器导入测试 ${Date.now() % 100000}`;
    const csv = `单位,纠纷类别,纠纷简要情况,当事人数\n西关派出所,邻里,${summary},2\n西关派出所,打架,斗殴,3\n`;
    await page.setInputFiles('input[data-testid=ledger-import-file]', {
      name: '纠纷导入.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.waitForSelector('[data-testid=import-report][data-state=done]');
    assert.equal(await page.textContent('.ldf-taken'), '1');
    assert.equal(await page.textContent('.ldf-refused'), '1');
    const problems = page.locator('[data-testid=import-problems] tbody tr');
    assert.equal(await problems.count(), 1);
    assert.equal(await problems.first().getAttribute('data-row'), '3');
    const cells = await problems.first().locator('td').allTextContents();
    assert.equal(cells[3], '纠纷类别');
    assert.match(cells[4], /^「打架」不是可选的值（可选：.*邻里.*）$/);
    // The list reloads with the new item on top.
    await page.waitForSelector(`[data-testid=ledger-list] tr[data-id] td:has-text("${summary}")`);
    await shot(page, 'ledger-import');
    // The same file again adds nothing (a duplicate), and says so.
    await page.setInputFiles('input[data-testid=ledger-import-file]', {
      name: '纠纷导入.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.waitForSelector('[data-testid=import-report][data-state=done] .ldf-taken:text-is("0")');
    assert.match(await page.textContent('[data-testid=import-counts]'), /重复（此前已导入）1 条/);
    // A file that is no spreadsheet is refused before it is sent.
    await page.setInputFiles('input[data-testid=ledger-import-file]', {
      name: '说明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('x'),
    });
    await page.waitForSelector('[data-testid=import-report][data-state=error]');
    assert.match(await page.textContent('[data-testid=import-report]'), /只能导入 \.xlsx 或 \.csv 文件/);
    await page.close();
    assert.deepEqual(pageErrors, [], 'no console errors or CSP violations');
  });
});
