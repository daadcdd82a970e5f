// 案件 (issue 22): a bulletin's case figures link to #/cases?figure=…, the
// records behind them. In Debian's chromium against a real `pingan serve` on
// a fresh demo district: the bulletin's HTML (GET /api/bulletins) is read,
// each case figure counted in 起/人/名 is followed to its page, and the
// number of records the page lists is the figure's value in the bulletin;
// a row leads to its case, whose number the case view shows; the plain
// case list lists cases and leads to them too. Also, without a browser, the
// query a figure's page sends and how money reads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, cleanup, demoDatabase, openPage, pageErrors, serve, shot, signIn } from './support.mjs';
import { figureValue, recordsQuery, yuan } from '../src/case-records.js';

// September 2026 on the demo district, as the bulletin test (inclusive dates).
const MONTH = { from: '2026-09-01', to: '2026-09-30' };
const digits = (text) => Number(String(text).replace(/[^\d]/g, ''));

describe('a figure’s records page, without a browser', () => {
  test('the hash’s inclusive dates become the API’s exclusive period', () => {
    const hash = new URLSearchParams('figure=cases_solved&from=2026-09-01&to=2026-09-30&class=criminal&unit=PA');
    const q = new URLSearchParams(recordsQuery(hash).slice(1));
    assert.deepEqual(Object.fromEntries(q), {
      name: 'cases_solved', unit: 'PA', from: '2026-09-01', to: '2026-10-01', class: 'criminal', limit: '50',
    });
    // Across a year end; the second page; junk dates are left out.
    const q2 = new URLSearchParams(recordsQuery(new URLSearchParams('figure=dissuaded&from=x&to=2026-12-31'), 100).slice(1));
    assert.deepEqual(Object.fromEntries(q2), { name: 'dissuaded', to: '2027-01-01', limit: '50', offset: '100' });
  });

  test('money reads in yuan to the fen, counts with their measure word', () => {
    assert.equal(yuan(99_012_345_678), '990,123,456.78 元');
    assert.equal(yuan(5), '0.05 元');
    assert.equal(figureValue({ value: 123456, measure_word: '分' }), '1,234.56 元');
    assert.equal(figureValue({ value: 1234, measure_word: '人' }), '1,234 人');
  });
});

describe('the records behind a bulletin’s case figures', () => {
  let demo, server, b, command, figures, html;

  before(async () => {
    demo = demoDatabase();
    server = await serve(demo.db);
    b = await browser();
    command = await signIn(b, server.base, 'demo-command', demo.passwords['demo-command']);
    // The bulletin's case figures that count records (起, 人, 名): their
    // name, link and value as the bulletin prints them.
    const page = await command.context.newPage();
    await page.goto(server.base + '/');
    ({ figures, html } = await page.evaluate(async (m) => {
      const res = await fetch(`/api/bulletins?from=${m.from}&to=${m.to}&format=html`);
      const text = await res.text();
      const doc = new DOMParser().parseFromString(text, 'text/html');
      const out = [];
      for (const a of doc.querySelectorAll('a.figure[href*="#/cases?"]')) {
        const value = a.textContent.trim().match(/^([\d,]+)\s*(起|人|名)$/);
        const href = a.getAttribute('href');
        if (value) out.push({ figure: a.dataset.figure, hash: href.slice(href.indexOf('#/')), value: Number(value[1].replace(/,/g, '')) });
      }
      return { figures: out, html: `${res.status} ${text.slice(0, 300)}` };
    }, MONTH));
    await page.close();
  });

  after(async () => {
    if (b) await b.close();
    if (server) await server.stop();
    if (demo) cleanup(demo.dir);
  });

  test('each case figure’s page lists as many records as the bulletin says', async (t) => {
    assert.ok(figures.length >= 2, `the bulletin has case figures counted in 起/人/名: ${html}`);
    t.diagnostic(figures.map((f) => `${f.figure}=${f.value}`).join(' '));
    assert.ok(figures.some((f) => f.value > 0), JSON.stringify(figures));
    for (const f of figures) {
      assert.match(f.hash, /^#\/cases\?figure=/);
      const { page } = await openPage(command.context, server.base, f.hash);
      await page.waitForSelector('#page[data-page=cases][data-ready="1"]', { timeout: 60_000 });
      const error = await page.locator('.cs-error').textContent();
      assert.equal(error, '', `${f.figure}: ${error}`);
      assert.equal(digits(await page.textContent('[data-testid=figure-total]')), f.value, `${f.figure} (${f.hash})`);
      assert.equal(digits(await page.textContent('[data-testid=figure-value]')), f.value, f.figure);
      const rows = await page.locator('[data-testid=figure-records] tbody tr[data-record-id]').count();
      assert.equal(rows, Math.min(f.value, 50), `${f.figure}: rows on the first page`);
      assert.match(await page.textContent('.cs-where'), /期间：2026-09-01 至 2026-09-30/);
      await page.close();
    }
  });

  test('a row leads to its case, whose number the case view shows', async () => {
    // A figure of cases or suspects: its rows are cases (fugitives and warnings may have none).
    const f = figures.filter((x) => x.value > 0 && /^(cases|suspects)\./.test(x.figure)).sort((x, y) => y.value - x.value)[0];
    assert.ok(f, 'a case figure with records');
    const { page } = await openPage(command.context, server.base, f.hash);
    await page.waitForSelector('#page[data-page=cases][data-ready="1"]', { timeout: 60_000 });
    const link = page.locator('[data-testid=record-case]').first();
    const number = (await link.textContent()).trim();
    assert.ok(number.length > 0);
    // Past the first page when there is one: the second page's rows differ.
    if (f.value > 50) {
      const first = await page.locator('tbody tr[data-record-id]').first().getAttribute('data-record-id');
      await page.click('[data-testid=records-next]');
      await page.waitForFunction(
        (id) => document.querySelector('tbody tr[data-record-id]')?.dataset.recordId !== id, first, { timeout: 30_000 });
      assert.match(await page.textContent('.cs-page'), /第 2 \//);
      await page.click('[data-testid=records-prev]');
      await page.waitForSelector(`tbody tr[data-record-id="${first}"]`);
    }
    await shot(page, 'case-figure-records');
    await link.click();
    await page.waitForSelector('[data-testid=case-number]', { timeout: 30_000 });
    assert.match(page.url(), /#\/cases\/\d+$/);
    assert.equal((await page.textContent('[data-testid=case-number]')).trim(), number);
    assert.ok((await page.textContent('[data-testid=case-type]')).trim().length > 0);
    // Persons are masked as the API masks them: no whole 18-character ID number.
    assert.doesNotMatch(await page.textContent('[data-testid=case-parties]'), /\d{17}[\dX]/);
    await shot(page, 'case-detail');
    await page.close();
  });

  test('without a figure the page lists cases, and a case opens from the list', async () => {
    const { page } = await openPage(command.context, server.base, `#/cases?from=${MONTH.from}&to=${MONTH.to}`);
    await page.waitForSelector('#page[data-page=cases][data-ready="1"]', { timeout: 60_000 });
    const rows = page.locator('[data-testid=case-list] tbody tr[data-id]');
    assert.ok((await rows.count()) > 0, 'the demo district has cases opened in September');
    // The menu has the page for a role with cases.read.
    assert.equal(await page.locator('.topbar nav a[data-path="#/cases"]').textContent(), '案件');
    const number = (await rows.first().locator('a').textContent()).trim();
    await rows.first().locator('a').click();
    await page.waitForSelector('[data-testid=case-number]', { timeout: 30_000 });
    assert.equal((await page.textContent('[data-testid=case-number]')).trim(), number);
    await page.close();
    assert.deepEqual(pageErrors, [], 'no console errors or CSP violations');
  });
});
