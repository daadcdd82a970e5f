// The app: sign-in, then the layout (who is signed in, the pages) and a
// hash router (#/wall, #/dashboard, #/incidents, #/incidents/new,
// #/incidents/:id, #/desk, #/analysis, #/ledgers, #/ledgers/new,
// #/ledgers/:id, #/cases, #/cases/:id). Each page is a module exporting
// render(container, ctx) that returns an optional cleanup function.
import './styles.css';
import { api, setCsrfToken, whenSignedOut } from './api.js';
import { forgetReference } from './taxonomy.js';
import { esc } from './format.js';
import { renderLogin } from './pages/login.js';

const PAGES = [
  { path: '#/wall', title: '指挥大屏', load: () => import('./pages/wall.js'), permission: 'stats.read' },
  { path: '#/dashboard', title: '战果统计', load: () => import('./pages/dashboard.js'), permission: 'stats.read' },
  { path: '#/incidents', title: '警情工作台', load: () => import('./pages/workbench.js'), permission: 'incidents.read' },
  { path: '#/desk', title: '调度台', load: () => import('./pages/desk.js'), permission: 'patrol.read' },
  { path: '#/analysis', title: '研判分析', load: () => import('./pages/analysis.js'), permission: 'stats.read' },
  { path: '#/ledgers', title: '台账', load: () => import('./pages/ledgers.js'), permission: 'ledgers.read' },
  { path: '#/cases', title: '案件', load: () => import('./pages/cases.js'), permission: 'cases.read' },
];
// Pages reached from others, not in the menu.
const SUBPAGES = [
  { match: /^#\/incidents\/new$/, load: () => import('./pages/intake.js') },
  { match: /^#\/incidents\/(\d+)$/, load: () => import('./pages/detail.js') },
  { match: /^#\/ledgers\/(new|\d+)(?:\?.*)?$/, load: () => import('./pages/ledgers.js'), parent: '#/ledgers' },
  { match: /^#\/cases\/(\d+)$/, load: () => import('./pages/cases.js'), parent: '#/cases' },
];

const app = document.getElementById('app');
let session = null;
let cleanup = null;
let renderToken = 0;

whenSignedOut(() => {
  if (!session) return;
  session = null;
  forgetReference();
  showLogin('登录已过期，请重新登录');
});

function can(permission) {
  return !!session && session.user.permissions.includes(permission);
}

function showLogin(notice) {
  if (cleanup) cleanup();
  cleanup = null;
  renderLogin(app, { notice, onSignedIn: (info) => signedIn(info) });
}

function signedIn(info) {
  session = info;
  setCsrfToken(info.csrf_token);
  if (!location.hash || location.hash === '#/' || location.hash === '#/login') location.hash = firstPage();
  route();
}

function firstPage() {
  const page = PAGES.find((p) => can(p.permission));
  return page ? page.path : '#/incidents';
}

function layout() {
  const u = session.user;
  app.innerHTML = `
    <header class="topbar">
      <span class="brand">平安 · 指挥与统计平台</span>
      <nav>${PAGES.filter((p) => can(p.permission))
        .map((p) => `<a href="${p.path}" data-path="${p.path}">${p.title}</a>`)
        .join('')}</nav>
      <span class="who" data-testid="who">${esc(u.name || u.username)} · ${esc(u.unit_name || u.unit)} · ${esc(u.role_zh || u.role)}</span>
      <button class="link" id="logout">退出</button>
    </header>
    <main id="page"></main>`;
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await api.post('/api/auth/logout', {});
    } catch {
      /* signed out either way */
    }
    session = null;
    forgetReference();
    location.hash = '#/login';
    showLogin('已退出');
  });
}

async function route() {
  if (!session) return;
  const hash = location.hash || firstPage();
  const token = ++renderToken;
  if (cleanup) cleanup();
  cleanup = null;
  let page = PAGES.find((p) => hash === p.path || hash.startsWith(p.path + '?'));
  let params = [];
  let loader = page && page.load;
  if (!page) {
    for (const sub of SUBPAGES) {
      const m = hash.match(sub.match);
      if (m) {
        loader = sub.load;
        params = m.slice(1);
        page = PAGES.find((p) => p.path === (sub.parent || '#/incidents'));
        break;
      }
    }
  }
  if (!loader) {
    location.hash = firstPage();
    return;
  }
  // The wall is full screen, dark, without the top bar.
  const wall = page && page.path === '#/wall';
  document.body.classList.toggle('wall-mode', wall);
  if (!document.getElementById('page')) layout();
  for (const a of document.querySelectorAll('.topbar nav a'))
    a.classList.toggle('active', page && a.dataset.path === page.path);
  const container = document.getElementById('page');
  // A page sets data-ready="1" once its figures are on screen (the
  // browser tests wait for it and time it).
  container.removeAttribute('data-ready');
  container.dataset.page = hash.slice(2).split(/[/?]/)[0] || '';
  container.innerHTML = '<p class="loading">正在加载…</p>';
  const mod = await loader();
  if (token !== renderToken) return;
  container.innerHTML = '';
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  try {
    const done = (await mod.render(container, { session, can, params, query })) || null;
    // The user went on while this page was starting: it stops at once.
    if (token !== renderToken) {
      if (done) done();
      return;
    }
    cleanup = done;
  } catch (e) {
    container.innerHTML = `<p class="error">页面加载失败：${esc(e.message)}</p>`;
  }
}

window.addEventListener('hashchange', route);

(async function boot() {
  try {
    const info = await api.get('/api/auth/me', { quiet401: true });
    signedIn(info);
  } catch {
    showLogin('');
  }
})();
