// The one door to pingan's HTTP API: same-origin fetch with the session
// cookie, the CSRF token on writes, JSON in and out, and errors as ApiError
// carrying the API's {code, field, message} so pages can show them in
// Chinese next to the field that caused them (zh.js explains them).

let csrfToken = '';
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, code, field, message) {
    super(message);
    this.status = status;
    this.code = code || '';
    this.field = field || '';
  }
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Called when the server answers 401 (session ended, idle timeout): the
// app goes back to the sign-in page, keeping what the user typed.
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

async function request(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    init.body = JSON.stringify(body ?? {});
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', '', '无法连接服务器：' + e.message);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = data && data.error ? data.error : {};
    if (res.status === 401 && !quiet401) onSignedOut();
    throw new ApiError(res.status, err.code, err.field, err.message || `HTTP ${res.status}`);
  }
  return data;
}

// The error an answer that is not ok carries (JSON {error:{code, field,
// message}} when the server wrote one).
async function failure(res) {
  let err = {};
  try {
    const data = JSON.parse(await res.text());
    err = (data && data.error) || {};
  } catch {
    err = {};
  }
  if (res.status === 401) onSignedOut();
  return new ApiError(res.status, err.code, err.field, err.message || `HTTP ${res.status}`);
}

// A file as the request body (a spreadsheet to import), not JSON; the
// answer is JSON.
async function upload(path, file, contentType) {
  const headers = { Accept: 'application/json', 'Content-Type': contentType };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch (e) {
    throw new ApiError(0, 'network', '', '无法连接服务器：' + e.message);
  }
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

// A file the server makes (an .xlsx export): {blob, filename} with the
// name from Content-Disposition when it gives one. An answer of another
// content type than `expect` is an error (a proxy's HTML page is no workbook).
async function download(path, expect) {
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', '', '无法连接服务器：' + e.message);
  }
  if (!res.ok) throw await failure(res);
  const type = res.headers.get('Content-Type') || '';
  if (expect && !type.startsWith(expect)) throw new ApiError(res.status, 'internal', '', `unexpected content type ${type}`);
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = disposition.match(/filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i);
  let filename = m ? m[2] || '' : '';
  if (m && m[1]) {
    try {
      filename = decodeURIComponent(m[1]);
    } catch {
      filename = '';
    }
  }
  return { blob: await res.blob(), filename };
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body, opts),
  upload,
  download,
};

// "?a=1&b=2" from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
