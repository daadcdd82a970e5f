// 登录: username, password and, when the role asks for it, the TOTP code;
// a one-time password is changed here before anything else. Errors are
// shown next to the field the API names; what was typed stays.
import { api, setCsrfToken } from '../api.js';
import { explain } from '../zh.js';
import { esc } from '../format.js';

export function renderLogin(app, { notice, onSignedIn }) {
  document.body.classList.remove('wall-mode');
  app.innerHTML = `
    <div class="login">
      <form id="login-form" class="card" autocomplete="on" novalidate>
        <h1>平安 · 指挥与统计平台</h1>
        ${notice ? `<p class="notice">${esc(notice)}</p>` : ''}
        <label>用户名<input name="username" autocomplete="username" required /></label>
        <p class="field-error" data-for="username"></p>
        <label>密码<input name="password" type="password" autocomplete="current-password" required /></label>
        <p class="field-error" data-for="password"></p>
        <label class="totp" hidden>动态验证码<input name="totp" inputmode="numeric" autocomplete="one-time-code" /></label>
        <p class="field-error" data-for="totp"></p>
        <p class="form-error" role="alert"></p>
        <button type="submit" class="primary">登录</button>
      </form>
    </div>`;
  const form = app.querySelector('#login-form');
  const show = (field, text) => {
    for (const p of form.querySelectorAll('.field-error, .form-error')) p.textContent = '';
    const at = field && form.querySelector(`.field-error[data-for="${field}"]`);
    (at || form.querySelector('.form-error')).textContent = text;
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const body = { username: data.username.trim(), password: data.password };
    if (data.totp) body.totp = data.totp.trim();
    try {
      const info = await api.post('/api/auth/login', body, { quiet401: true });
      setCsrfToken(info.csrf_token);
      if (info.must_change_password) return renderPasswordChange(app, info, data.password, onSignedIn);
      onSignedIn(info);
    } catch (err) {
      if (err.field === 'totp') form.querySelector('.totp').hidden = false;
      show(err.field, explain(err));
    }
  });
  form.querySelector('input[name=username]').focus();
}

function renderPasswordChange(app, info, oldPassword, onSignedIn) {
  app.innerHTML = `
    <div class="login">
      <form id="password-form" class="card" novalidate>
        <h1>首次登录，请修改密码</h1>
        <p class="notice">新密码至少 12 位，不能是常见密码，不能包含用户名。</p>
        <label>新密码<input name="new_password" type="password" autocomplete="new-password" /></label>
        <p class="field-error" data-for="new_password"></p>
        <p class="form-error" role="alert"></p>
        <button type="submit" class="primary">修改并进入</button>
      </form>
    </div>`;
  const form = app.querySelector('#password-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const next = new FormData(form).get('new_password');
    try {
      await api.post('/api/auth/password', { old_password: oldPassword, new_password: next });
      const me = await api.get('/api/auth/me');
      onSignedIn(me);
    } catch (err) {
      for (const p of form.querySelectorAll('.field-error, .form-error')) p.textContent = '';
      const at = form.querySelector(`.field-error[data-for="${err.field}"]`) || form.querySelector('.form-error');
      at.textContent = explain(err);
    }
  });
}
