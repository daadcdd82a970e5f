// What the browser tests share: a real pingan (the demo district on a fresh
// SQLite file, `pingan serve` on a free port) and Debian's chromium driven
// by playwright-core. Nothing is mocked.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = process.env.PINGAN_BIN || join(repo, 'build/pingan');
export const screenshots = process.env.PINGAN_SCREENSHOTS || join(repo, 'var/screenshots');

// Writes the demo district and its users; returns {dir, db, passwords}.
export function demoDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-web-'));
  const db = join(dir, 'demo.db');
  const out = execFileSync(binary, ['demo', '--db', db], { encoding: 'utf8' });
  const passwords = {};
  for (const line of out.split('\n')) {
    const m = line.match(/^\s+(demo-[a-z]+)\s+\S+.*\s(\S+)$/);
    if (m) passwords[m[1]] = m[2];
  }
  return { dir, db, passwords };
}

// Starts `pingan serve` on a free port with the built UI; resolves to
// {base, stop}.
export function serve(db) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, ['serve', '--db', db, '--port', '0', '--static', join(repo, 'web/dist')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error('pingan serve did not start: ' + out + err)), 120_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (https?:\/\/[^/\s]+)\//);
      if (m) {
        clearTimeout(timer);
        resolvePromise({
          base: m[1],
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`pingan serve exited (${code}): ${out}${err}`)));
  });
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.PINGAN_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A browser context signed in through the sign-in form; returns {context, page}.
export async function signIn(b, base, username, password, viewport = { width: 1440, height: 900 }) {
  const context = await b.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  watchErrors(page);
  await page.goto(base + '/');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  // Attached, not visible: the wall, where a command user lands, hides the top bar.
  await page.waitForSelector('[data-testid=who]', { state: 'attached' });
  return { context, page };
}

// Console errors and uncaught exceptions (CSP violations included) fail the run.
export const pageErrors = [];
export function watchErrors(page) {
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs every 4xx answer, and the tests provoke some (a
    // wrong password, a refused form, another unit's id, the sign-in check
    // before signing in); what the page makes of them is asserted instead.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      pageErrors.push(`${page.url()}: ${m.text()}`);
  });
}

// Opens `hash` in a fresh page of `context` and waits until the page says
// it is ready; returns {page, fcp, ready} in ms since navigation start.
export async function openPage(context, base, hash) {
  const page = await context.newPage();
  watchErrors(page);
  await page.goto(base + '/' + hash);
  await page.waitForSelector('#page[data-ready="1"]', { timeout: 60_000 });
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    ready: performance.now(),
  }));
  return { page, ...timing };
}

export async function shot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  // ECharts draws its lines in over a second: the picture waits for them.
  await page.waitForTimeout(1200);
  await page.screenshot({ path: join(screenshots, name + '.png') });
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}
