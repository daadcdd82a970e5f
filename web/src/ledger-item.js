// One 台账 item (#/ledgers/<id>, issue 21): what it records, its responsible
// unit and officer, its deadlines as the server counts them now (dues), the
// history of its life with who, when and what changed, and a button for
// each step its state allows. A step opens a short form: the fields the
// step must carry, a unit and an officer for a step that assigns, a note.
// A refusal (409: the item moved on meanwhile, naming the steps allowed
// now) is shown in Chinese and the item is reloaded, so the buttons match
// its state again.
import { api, query } from './api.js';
import { esc } from './format.js';
import { reference } from './taxonomy.js';
import { minuteTime, unitOptions } from './workbench-common.js';
import { DUE_STATE_ZH, explainLedger, fieldLabel, fieldOf, ledgerTypes, mayTake, stateLabel, valueText } from './ledgers.js';
import { fieldRows, readFields, showApiFieldError, validateAsTyped } from './ledger-form.js';

export async function renderItem(container, ctx, id) {
  const user = ctx.session.user;
  let item;
  let types;
  try {
    [item, types] = await Promise.all([api.get(`/api/ledger-items/${id}`), ledgerTypes()]);
  } catch (err) {
    container.innerHTML = `
      <div class="ld"><div class="ld-head"><a href="#/ledgers">← 台账</a></div>
      <div class="card"><p class="error" data-testid="not-found">${
        err.status === 404 ? '未找到该台账或无权查看' : esc(explainLedger(err))
      }</p></div></div>`;
    container.dataset.ready = '1';
    return null;
  }
  const type = types.find((t) => t.code === item.type) || { code: item.type, label: item.type_zh, fields: [], states: [], steps: [] };
  const ref = await reference();
  let gone = false;

  container.innerHTML = `
    <div class="ld ld-item">
      <div class="ld-head">
        <a href="#/ledgers${query({ type: type.code })}">← ${esc(type.label)}台账</a>
        <h2 class="ld-title"></h2>
        <span data-testid="ledger-item-state"></span>
        <span class="wb-spacer"></span>
      </div>
      <div class="wb-columns">
        <div class="wb-main">
          <section class="card"><dl class="wb-facts ld-facts"></dl></section>
          <section class="card">
            <h3>办理</h3>
            <div class="ld-steps" data-testid="ledger-steps"></div>
            <form class="ld-step-form" data-testid="step-form" hidden novalidate></form>
            <p class="form-error ld-step-error" role="alert" data-testid="step-error"></p>
            <p class="notice ld-opened"></p>
          </section>
        </div>
        <div class="wb-side">
          <section class="card"><h3>办理期限</h3><div class="ld-dues" data-testid="ledger-dues"></div></section>
          <section class="card"><h3>办理记录</h3><ol class="timeline" data-testid="ledger-history"></ol></section>
        </div>
      </div>
    </div>`;
  const q = (sel) => container.querySelector(sel);
  const stepForm = q('.ld-step-form');
  const stepError = q('.ld-step-error');

  function showFacts() {
    q('.ld-title').textContent = `${type.label} #${item.id}`;
    const st = q('[data-testid=ledger-item-state]');
    st.dataset.state = item.state;
    st.className = `badge ld-state ld-state-${item.state}`;
    st.textContent = item.state_zh || stateLabel(type, item.state);
    const known = (type.fields || []).filter((f) => item.fields && item.fields[f.code] !== undefined && item.fields[f.code] !== null);
    q('.ld-facts').innerHTML = `
      <dt>责任单位</dt><dd>${esc(item.unit_zh || item.unit_code)}</dd>
      <dt>责任民警</dt><dd>${esc(item.officer_id) || '<span class="muted">未指派</span>'}</dd>
      <dt>登记时间</dt><dd>${esc(minuteTime(item.created_at))}</dd>
      <dt>最近更新</dt><dd>${esc(minuteTime(item.updated_at))}</dd>
      ${known.map((f) => `<dt>${esc(fieldLabel(f))}</dt><dd data-field="${esc(f.code)}">${esc(valueText(f, item.fields[f.code]))}</dd>`).join('')}`;
  }

  function showDues() {
    const dues = item.dues || [];
    q('.ld-dues').innerHTML = dues.length
      ? `<ul class="ld-due-list">${dues
          .map(
            (d) => `
          <li class="ld-due-${esc(d.state)}" data-deadline="${esc(d.deadline)}">
            <strong>${esc(d.label)}</strong>
            <span class="ld-due ld-${esc(d.state)}">${esc(DUE_STATE_ZH[d.state] || d.state)}</span>
            ${d.escalation_zh ? `<span class="ld-due ld-overdue">${esc(d.escalation_zh)}</span>` : ''}
            <div class="muted">期限 ${esc(minuteTime(d.due_at))}${d.stopped_at ? ` · 完成于 ${esc(minuteTime(d.stopped_at))}` : ''}</div>
          </li>`,
          )
          .join('')}</ul>`
      : '<p class="muted">无期限要求</p>';
  }

  function showHistory() {
    q('[data-testid=ledger-history]').innerHTML = (item.history || [])
      .map((e) => {
        const changes = (e.changes || [])
          .map((c) => {
            const f = fieldOf(type, c.field);
            const before = c.before === null || c.before === undefined ? '' : valueText(f, c.before);
            return `<li>${esc(f ? fieldLabel(f) : c.label || c.field)}：${before ? `${esc(before)} → ` : ''}${esc(valueText(f, c.after))}</li>`;
          })
          .join('');
        const assigned = e.unit_code || e.officer_id ? `<div class="muted">责任：${esc((ref.unitByCode.get(e.unit_code) || {}).name || e.unit_code || '')} ${esc(e.officer_id || '')}</div>` : '';
        return `
        <li data-step="${esc(e.step)}">
          <div><strong>${esc(e.step_zh || e.step)}</strong> → ${esc(e.to_zh || stateLabel(type, e.to))}
            <span class="muted">${esc(minuteTime(e.at))} · ${esc(e.actor)}</span></div>
          ${assigned}
          ${e.note ? `<div class="ld-note">${esc(e.note)}</div>` : ''}
          ${changes ? `<ul class="ld-changes">${changes}</ul>` : ''}
        </li>`;
      })
      .join('');
  }

  function stepsNow() {
    const allowed = item.steps_allowed || (type.steps || []).filter((s) => (s.from || []).includes(item.state));
    return allowed.map((a) => (type.steps || []).find((s) => s.code === a.code) || a);
  }

  function showSteps() {
    const box = q('.ld-steps');
    const steps = stepsNow();
    if (!ctx.can('ledgers.write')) {
      box.innerHTML = '<p class="muted">当前账号只读，不能办理台账。</p>';
      return;
    }
    if (!steps.length) {
      box.innerHTML = `<p class="muted">${esc(item.state_zh || stateLabel(type, item.state))}，已办结。</p>`;
      return;
    }
    box.innerHTML = steps
      .map((s) => {
        const may = mayTake(user, s);
        const title = may ? `${stateLabel(type, item.state)} → ${stateLabel(type, s.to)}` : `需要：${(s.who || []).join('、')}`;
        return `<button type="button" class="${may ? 'primary' : ''}" data-step="${esc(s.code)}" title="${esc(title)}"${may ? '' : ' disabled'}>${esc(s.label)}</button>`;
      })
      .join('');
  }

  function showAll() {
    showFacts();
    showDues();
    showHistory();
    showSteps();
  }

  async function reload() {
    const fresh = await api.get(`/api/ledger-items/${id}`);
    if (gone) return;
    item = fresh;
    showAll();
  }

  // ---- a step's form -----------------------------------------------------
  let current = null;
  function openStep(step) {
    current = step;
    stepError.textContent = '';
    const fields = (step.fields || []).map((c) => fieldOf(type, c)).filter(Boolean);
    stepForm.innerHTML = `
      <h4>${esc(step.label)}：${esc(stateLabel(type, item.state))} → ${esc(stateLabel(type, step.to))}</h4>
      <div class="ld-grid">
        ${
          step.assigns
            ? `<label class="ld-field"><span class="ld-label">责任单位<em class="ld-req">*</em></span>
                 <select name="unit_code">${unitOptions(ref.units, item.unit_code, ref.unitByCode.has(user.unit) ? user.unit : undefined)}</select>
                 <span class="field-error" data-error-for="unit_code"></span></label>
               <label class="ld-field"><span class="ld-label">责任民警<em class="ld-req">*</em></span>
                 <input name="officer_id" type="text" maxlength="64" value="${esc(item.officer_id || user.username)}" />
                 <span class="field-error" data-error-for="officer_id"></span></label>`
            : ''
        }
        ${fieldRows(fields, { required: true })}
        <label class="ld-field ld-wide"><span class="ld-label">办理说明</span><textarea name="note" rows="2" maxlength="2000"></textarea></label>
      </div>
      <div class="row"><button type="submit" class="primary" data-testid="step-submit">确认${esc(step.label)}</button><button type="button" class="ld-cancel">取消</button></div>`;
    stepForm.hidden = false;
    validateAsTyped(stepForm, fields, { required: true });
    const first = stepForm.querySelector('input, select, textarea');
    if (first) first.focus();
  }

  q('.ld-steps').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-step]');
    if (!b) return;
    const step = stepsNow().find((s) => s.code === b.dataset.step);
    if (step) openStep(step);
  });
  stepForm.addEventListener('click', (e) => {
    if (!e.target.closest('.ld-cancel')) return;
    stepForm.hidden = true;
    current = null;
  });

  let busy = false;
  stepForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!current || busy) return;
    stepError.textContent = '';
    const fields = (current.fields || []).map((c) => fieldOf(type, c)).filter(Boolean);
    const read = readFields(stepForm, fields, { required: true });
    if (read.errors) return;
    const body = { step: current.code };
    if (Object.keys(read.values).length) body.fields = read.values;
    const note = stepForm.elements.note.value.trim();
    if (note) body.note = note;
    if (current.assigns) {
      body.unit_code = stepForm.elements.unit_code.value;
      body.officer_id = stepForm.elements.officer_id.value.trim();
      if (!body.officer_id) {
        stepForm.querySelector('[data-error-for=officer_id]').textContent = '必须指定责任民警';
        return;
      }
    }
    busy = true;
    try {
      const answer = await api.post(`/api/ledger-items/${id}/steps`, body);
      if (gone) return;
      stepForm.hidden = true;
      current = null;
      const opened = answer.opened;
      q('.ld-opened').innerHTML = opened
        ? `已同时生成 <a href="#/ledgers/${esc(opened.id)}" data-testid="opened-item">${esc(opened.type_zh || opened.type)} #${esc(opened.id)}</a>`
        : '';
      await reload();
    } catch (err) {
      if (gone) return;
      if (!showApiFieldError(stepForm, err)) stepError.textContent = explainLedger(err, type);
      // The item moved on meanwhile: show it as it is now, the message stays.
      if (err.status === 409 || err.status === 404) {
        stepForm.hidden = true;
        current = null;
        await reload().catch(() => {});
      }
    } finally {
      busy = false;
    }
  });

  showAll();
  container.dataset.ready = '1';
  return () => {
    gone = true;
  };
}
