// Inputs generated from a ledger type's fields (issue 21): the new-item
// form shows every field, a step's form the fields the step carries. Each
// kind gets the input that fits (an enum a select of its values, a date a
// date picker, an amount in 元, a point two numbers); required fields are
// marked and checked as the officer types, and the API's refusals land
// beside the field they name ("fields.<code>").
import { esc } from './format.js';
import { fieldLabel, kindOf } from './ledgers.js';
import { translateMessage } from './zh.js';

function inputHtml(f, name) {
  const kind = kindOf(f);
  const req = f.required ? ' required' : '';
  if (kind === 'enum')
    return `<select name="${name}"${req}><option value="">请选择</option>${(f.values || [])
      .map((v) => `<option value="${esc(v.code)}">${esc(v.label)}</option>`)
      .join('')}</select>`;
  if (kind === 'integer' || kind === 'count') {
    const min = f.min !== undefined ? f.min : kind === 'count' ? 0 : '';
    const max = f.max !== undefined ? ` max="${esc(f.max)}"` : '';
    return `<input name="${name}" type="number" step="1" inputmode="numeric"${min !== '' ? ` min="${esc(min)}"` : ''}${max}${req} />`;
  }
  if (kind === 'money_fen') return `<input name="${name}" type="number" step="0.01" min="0" inputmode="decimal" placeholder="元"${req} />`;
  if (kind === 'date') return `<input name="${name}" type="date"${req} />`;
  if (kind === 'datetime') return `<input name="${name}" type="datetime-local"${req} />`;
  if (kind === 'point')
    return `<span class="ld-point"><input name="${name}.lat" type="number" step="any" placeholder="纬度"${req} /><input name="${name}.lon" type="number" step="any" placeholder="经度"${req} /></span>`;
  const max = f.max_chars ? ` maxlength="${esc(f.max_chars)}"` : '';
  if (kind === 'text' && f.max_chars > 200) return `<textarea name="${name}" rows="3"${max}${req}></textarea>`;
  const hint = kind === 'registry_ref' ? ' placeholder="登记编号"' : '';
  return `<input name="${name}" type="text"${max}${hint}${req} />`;
}

// The form rows of `fields` ({code, label, kind, required, values...});
// `required` overrides the fields' own flags (a step's fields are all
// required by the step).
export function fieldRows(fields, { required } = {}) {
  return fields
    .map((f0) => {
      const f = required === undefined ? f0 : { ...f0, required };
      const name = `f.${f.code}`;
      return `
      <label class="ld-field ld-kind-${esc(kindOf(f))}" data-field="${esc(f.code)}">
        <span class="ld-label">${esc(fieldLabel(f))}${f.required ? '<em class="ld-req" title="必填">*</em>' : ''}${
          f.personal ? '<small class="muted">（个人信息，加密保存）</small>' : ''
        }</span>
        ${inputHtml(f, name)}
        <span class="field-error" data-error-for="${esc(f.code)}"></span>
      </label>`;
    })
    .join('');
}

function elementsOf(form, code) {
  return [...form.querySelectorAll(`[name="f.${CSS.escape(code)}"], [name^="f.${CSS.escape(code)}."]`)];
}

// One field's value from the form: undefined when empty, or {error}.
function readField(form, f) {
  const kind = kindOf(f);
  if (kind === 'point') {
    const lat = form.querySelector(`[name="f.${CSS.escape(f.code)}.lat"]`).value.trim();
    const lon = form.querySelector(`[name="f.${CSS.escape(f.code)}.lon"]`).value.trim();
    if (!lat && !lon) return undefined;
    const p = { lat: Number(lat), lon: Number(lon) };
    if (!lat || !lon || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) return { error: '请填写纬度和经度（数字）' };
    if (Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180) return { error: '坐标超出范围' };
    return { value: p };
  }
  const raw = form.querySelector(`[name="f.${CSS.escape(f.code)}"]`).value.trim();
  if (!raw) return undefined;
  if (kind === 'integer' || kind === 'count') {
    const n = Number(raw);
    if (!Number.isInteger(n)) return { error: '必须是整数' };
    if (f.min !== undefined && n < f.min) return { error: `不能小于 ${f.min}` };
    if (f.max !== undefined && n > f.max) return { error: `不能大于 ${f.max}` };
    if (kind === 'count' && n < 0) return { error: '不能为负数' };
    return { value: n };
  }
  if (kind === 'money_fen') {
    const yuan = Number(raw);
    if (!Number.isFinite(yuan) || yuan < 0) return { error: '金额必须是非负数' };
    return { value: Math.round(yuan * 100) };
  }
  if (kind === 'datetime') return { value: raw.length === 16 ? raw + ':00' : raw };
  if (f.max_chars && [...raw].length > f.max_chars) return { error: `共 ${[...raw].length} 字，超过上限 ${f.max_chars} 字` };
  return { value: raw };
}

function setError(form, code, text) {
  const line = form.querySelector(`[data-error-for="${CSS.escape(code)}"]`);
  if (line) line.textContent = text;
  for (const el of elementsOf(form, code)) el.classList.toggle('invalid', !!text);
}

// Reads `fields` from `form`: {values} (code -> JSON value, empty ones
// left out) or {errors} (code -> Chinese), shown beside the inputs.
export function readFields(form, fields, { required } = {}) {
  const values = {};
  const errors = {};
  for (const f of fields) {
    const must = required === undefined ? f.required : required;
    const r = readField(form, f);
    if (r === undefined) {
      if (must) errors[f.code] = '必须填写';
    } else if (r.error) errors[f.code] = r.error;
    else values[f.code] = r.value;
    setError(form, f.code, errors[f.code] || '');
  }
  const first = Object.keys(errors)[0];
  if (first) {
    const el = elementsOf(form, first)[0];
    if (el) el.focus();
    return { errors };
  }
  return { values };
}

// Checks a field again as the officer types, once the form was refused.
export function validateAsTyped(form, fields, { required } = {}) {
  form.addEventListener('input', (e) => {
    const m = e.target.name && e.target.name.match(/^f\.([^.]+)/);
    if (!m) return;
    const f = fields.find((x) => x.code === m[1]);
    const line = f && form.querySelector(`[data-error-for="${CSS.escape(f.code)}"]`);
    if (!f || !line || !line.textContent) return;
    const must = required === undefined ? f.required : required;
    const r = readField(form, f);
    setError(form, f.code, r === undefined ? (must ? '必须填写' : '') : r.error || '');
  });
}

// An API refusal naming "fields.<code>" beside that field; true if shown.
export function showApiFieldError(form, err) {
  const m = String(err.field || '').match(/^fields\.(.+)$/);
  if (!m || !form.querySelector(`[data-error-for="${CSS.escape(m[1])}"]`)) return false;
  setError(form, m[1], translateMessage(err.message));
  const el = elementsOf(form, m[1])[0];
  if (el) el.focus();
  return true;
}
