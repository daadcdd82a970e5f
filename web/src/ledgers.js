// What the 台账 pages share (issue 21): the ledger types (GET
// /api/ledger-types, loaded once per page visit), values as officers read
// them (an enum's label, 元 for an amount in fen, a point as lat, lon),
// deadlines worked out from the type's definition for the list (the item
// page shows the server's own dues), who may take a step, and the API's
// ledger errors in Chinese with the field named by its label.
import { api } from './api.js';
import { esc } from './format.js';
import { explain } from './zh.js';
import { localInputValue, minuteTime } from './workbench-common.js';

export async function ledgerTypes() {
  const answer = await api.get('/api/ledger-types');
  return answer.types || [];
}

// A field's kind: the API names it both `kind` and `type`.
export function kindOf(field) {
  return field.kind || field.type || 'text';
}

export function fieldOf(type, code) {
  return (type.fields || []).find((f) => f.code === code) || null;
}

export function stateLabel(type, code) {
  const s = (type.states || []).find((x) => x.code === code);
  return s ? s.label : code;
}

// An amount field is stored in fen and typed in 元: its label says so.
export function fieldLabel(field) {
  if (kindOf(field) === 'money_fen') return field.label.replace(/[（(]分[)）]/, '') + '（元）';
  return field.label;
}

// A value as text for a table or the item page (not escaped).
export function valueText(field, value) {
  if (value === null || value === undefined || value === '') return '';
  const kind = field ? kindOf(field) : 'text';
  if (kind === 'enum') {
    const c = (field.values || []).find((v) => v.code === value);
    return c ? c.label : String(value);
  }
  if (kind === 'money_fen' && typeof value === 'number') return (value / 100).toFixed(2) + ' 元';
  if (kind === 'point' && typeof value === 'object') return `${value.lat}, ${value.lon}`;
  if (kind === 'datetime') return minuteTime(String(value));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// The words an item is listed under: its type's required fields that read
// well in a line (an enum, short text), in definition order.
export function summaryOf(type, item) {
  const parts = [];
  for (const f of type.fields || []) {
    if (!f.required) continue;
    const v = item.fields && item.fields[f.code];
    const text = valueText(f, v);
    if (text) parts.push(text.length > 40 ? text.slice(0, 40) + '…' : text);
  }
  return parts.join(' · ');
}

// Grants as the server checks a step's or a type's `who`: the role and
// every permission.
export function grantsOf(user) {
  return [user.role, ...(user.permissions || [])];
}

export function mayTake(user, step) {
  const who = step.who || [];
  if (!who.length) return true;
  const g = grantsOf(user);
  return who.some((w) => g.includes(w));
}

export function mayCreate(user, type) {
  const who = type.who_may_create || [];
  return !who.length || who.some((w) => grantsOf(user).includes(w));
}

// The state of each deadline of `type` for `item` at `now` (ms), from its
// history: a deadline starts when the item entered start_state (or took
// start_step), last time, and stops when it reaches an `until` state.
// [{label, due_at (ms), state: running | remind | overdue, escalation}],
// running ones only: the list marks what needs doing.
export function openDues(type, item, now = Date.now()) {
  const out = [];
  const history = item.history || [];
  if (!history.length) return out;
  for (const d of type.deadlines || []) {
    if ((d.until || []).includes(item.state)) continue;
    let start = null;
    for (const e of history) {
      if ((d.start_state && e.to === d.start_state) || (d.start_step && e.step === d.start_step)) start = e;
    }
    if (!start) continue;
    const startedAt = Date.parse(start.at);
    if (!Number.isFinite(startedAt)) continue;
    const due = startedAt + d.due_s * 1000;
    let state = 'running';
    if (now >= due) state = 'overdue';
    else if (d.remind_before_s && now >= due - d.remind_before_s * 1000) state = 'remind';
    let escalation = null;
    if (state === 'overdue')
      for (const e of d.escalations || []) if (now - due >= e.after_s * 1000) escalation = e.label;
    out.push({ code: d.code, label: d.label, due_at: due, state, escalation });
  }
  return out;
}

export const DUE_STATE_ZH = {
  running: '进行中',
  remind: '即将到期',
  overdue: '已逾期',
  met: '按时完成',
  met_late: '逾期完成',
};

// One mark for a list row: the worst open deadline.
export function dueMark(dues) {
  const overdue = dues.filter((d) => d.state === 'overdue');
  if (overdue.length) {
    const d = overdue[0];
    return `<span class="ld-due ld-overdue" data-testid="overdue">${esc(d.label)}已逾期${d.escalation ? ` · ${esc(d.escalation)}` : ''}</span>`;
  }
  const remind = dues.find((d) => d.state === 'remind');
  if (remind) return `<span class="ld-due ld-remind">${esc(remind.label)}即将到期</span>`;
  const running = dues[0];
  return running ? `<span class="muted">${esc(running.label)} ${esc(localInputValue(running.due_at).replace('T', ' '))}</span>` : '';
}

// Ledger errors in Chinese: "fields.kind" named by the field's label, the
// 409 of a step the state does not allow with its allowed steps.
export function explainLedger(err, type) {
  const m = String(err.field || '').match(/^fields\.(.+)$/);
  const f = m && type ? fieldOf(type, m[1]) : null;
  const named = f ? { ...err, field: '', message: err.message } : err;
  const text = explain(named);
  return f ? text.replace(/^([^：]+)：/, `$1 · ${fieldLabel(f)}：`) : text;
}
