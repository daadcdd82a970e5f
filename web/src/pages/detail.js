// 警情详情: one incident of the user's units. What was reported and where,
// the caller (masked; 查看完整信息 unmasks for a stated reason, audited),
// the status and the timeline of its life (接警 → 派警 → 到场 → 处置 →
// 派单回访 → 反馈 → 核查 → 办结) with who and when, the next steps the
// taxonomy allows, the follow-up loop 评估-派单-反馈-核查 with its deadline,
// the recommended units to dispatch and the open incidents it may
// duplicate. Every action reloads the incident, its events and the
// recommendation; a refusal is explained in Chinese beside the action.
import './workbench.css';
import { api } from '../api.js';
import { explain } from '../zh.js';
import { esc } from '../format.js';
import { reference } from '../taxonomy.js';
import { openStream } from '../stream.js';
import {
  duration,
  inputToIso,
  KIND_ZH,
  learnOffset,
  localInputValue,
  metres,
  minuteTime,
  statusBadge,
  takeDuplicates,
} from '../workbench-common.js';
import { cameraPanel } from '../camera-panel.js';

// The label of the button that moves to a status.
const STEP_LABEL = {
  dispatched: '派警',
  arrived: '到场',
  handled: '处置完毕',
  followup: '派单回访',
  fed_back: '反馈',
  verified: '核查通过',
  closed: '办结',
};

// Units are sent (and reinforced) until the incident is handled.
const DISPATCHABLE = ['received', 'dispatched', 'arrived'];

const TIME_FIELDS = [
  ['received_at', '接警'],
  ['dispatched_at', '派警'],
  ['arrived_at', '到场'],
  ['handled_at', '处置'],
  ['followup_at', '派单回访'],
  ['fed_back_at', '反馈'],
  ['verified_at', '核查'],
  ['closed_at', '办结'],
];

export async function render(container, ctx) {
  const id = ctx.params[0];
  const ref = await reference();
  const handed = takeDuplicates(id);
  let incident = null;
  let revealed = null;
  let closed = false;

  container.innerHTML = '<p class="loading">正在加载警情…</p>';
  try {
    incident = await api.get(`/api/incidents/${id}`);
  } catch (err) {
    container.innerHTML = `
      <div class="wb">
        <div class="wb-head"><a href="#/incidents">← 警情工作台</a></div>
        <div class="card"><p class="error" data-testid="not-found">${
          err.status === 404 ? '未找到该警情或无权查看' : esc(explain(err))
        }</p></div>
      </div>`;
    container.dataset.ready = '1';
    return;
  }
  learnOffset(incident.reported_at);

  container.innerHTML = `
    <div class="wb wb-detail">
      <div class="wb-head">
        <a href="#/incidents">← 警情工作台</a>
        <h2 class="wb-title"></h2>
        <span data-testid="incident-status"></span>
        <span class="wb-spacer"></span>
        <span class="muted wb-live"></span>
      </div>
      <div class="wb-columns">
        <div class="wb-main">
          <section class="card">
            <div class="wb-info"></div>
            <form class="wb-reveal-form row" hidden novalidate>
              <label>查看理由（记入审计日志）<input name="reason" maxlength="200" placeholder="如：回访报警人核实案情" /></label>
              <button type="submit" class="primary">确认查看</button>
              <button type="button" class="wb-reveal-cancel">取消</button>
            </form>
            <p class="form-error wb-reveal-error" role="alert"></p>
          </section>
          <section class="card wb-actions-card">
            <h3>处置流转</h3>
            <div class="wb-followup-info"></div>
            <div class="wb-actions"></div>
          </section>
          <section class="card wb-dispatch-card" hidden>
            <h3>推荐警力</h3>
            <div data-testid="recommendation"></div>
            <p class="form-error wb-dispatch-error" role="alert"></p>
          </section>
          <section class="card wb-dup-card">
            <h3>可能重复的警情</h3>
            <div class="wb-dup-handed"></div>
            <div class="wb-dups"></div>
            <p class="form-error wb-merge-error" role="alert"></p>
          </section>
        </div>
        <div class="wb-side">
          <section class="card">
            <h3>处置时间线</h3>
            <ol class="timeline" data-testid="timeline"></ol>
          </section>
          <section class="card wb-times"></section>
        </div>
      </div>
    </div>`;

  const q = (sel) => container.querySelector(sel);

  // 查看完整信息: the reason is asked here and recorded by the server.
  const revealForm = q('.wb-reveal-form');
  q('.wb-reveal-cancel').addEventListener('click', () => {
    revealForm.hidden = true;
    q('.wb-reveal-error').textContent = '';
  });
  revealForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const reason = revealForm.elements.reason.value.trim();
    const errLine = q('.wb-reveal-error');
    errLine.textContent = '';
    revealForm.elements.reason.classList.remove('invalid');
    if (!reason) {
      errLine.textContent = '请填写查看理由';
      revealForm.elements.reason.classList.add('invalid');
      revealForm.elements.reason.focus();
      return;
    }
    try {
      revealed = await api.post(`/api/incidents/${id}/reveal`, { reason });
      showIncident();
    } catch (err) {
      errLine.textContent = explain(err);
    }
  });
  const typeName = (code) => (ref.types.get(code) || {}).name_zh || code;
  const statusName = (code) => (ref.statuses.get(code) || {}).name_zh || code;

  // ---- the incident ------------------------------------------------------
  const showIncident = () => {
    const i = incident;
    q('.wb-title').textContent = `#${i.id} ${i.type ? i.type.name_zh : ''}`;
    const st = q('[data-testid=incident-status]');
    st.dataset.status = i.status;
    st.className = `badge status-${i.status} wb-status`;
    st.textContent = i.status_zh + (i.voided ? '（已作废）' : '') + (i.merged_into ? `（已并入 #${i.merged_into}）` : '');
    const person = revealed || i;
    const canReveal = ctx.can('personal.reveal') && !revealed && (i.reporter_phone || i.reporter_name || i.reporter_id_number);
    q('.wb-info').innerHTML = `
      <dl class="wb-facts">
        <dt>警情类型</dt><dd>${esc(i.type ? i.type.name_zh : '')}</dd>
        <dt>警情类别</dt><dd>${esc(i.class ? i.class.name_zh : '')}</dd>
        <dt>报警时间</dt><dd>${esc(minuteTime(i.reported_at))}</dd>
        <dt>管辖单位</dt><dd>${esc(i.unit_name || i.unit || '未确定')}</dd>
        <dt>发生地址</dt><dd>${esc(i.address) || '<span class="muted">—</span>'}</dd>
        <dt>坐标</dt><dd>${i.location ? `${esc(i.location.lat)}, ${esc(i.location.lon)}` : '<span class="muted">—</span>'}</dd>
        <dt>简要警情</dt><dd class="wb-desc">${esc(i.description) || '<span class="muted">—</span>'}</dd>
        <dt>报警人</dt><dd class="wb-person">
          <span data-testid="reporter-phone">${esc(person.reporter_phone) || '<span class="muted">无电话</span>'}</span>
          ${person.reporter_name ? `<span>${esc(person.reporter_name)}</span>` : ''}
          ${person.reporter_id_number ? `<span>${esc(person.reporter_id_number)}</span>` : ''}
          ${revealed ? '<span class="notice">（完整信息，已记录查看）</span>' : ''}
          ${canReveal ? '<button type="button" class="wb-reveal">查看完整信息</button>' : ''}
        </dd>
        ${i.case_number ? `<dt>警情编号</dt><dd>${esc(i.case_number)}</dd>` : ''}
        <dt>来源</dt><dd>${esc(i.source)}${i.source_id ? ` · ${esc(i.source_id)}` : ''}</dd>
        ${i.voided ? `<dt>作废</dt><dd class="error">${esc(i.void_reason || '已作废')}</dd>` : ''}
        ${
          i.merged_into
            ? `<dt>合并</dt><dd>本警情为重复报警，已并入 <a href="#/incidents/${esc(i.merged_into)}">#${esc(i.merged_into)}</a></dd>`
            : ''
        }
        ${
          i.merged_calls && i.merged_calls.length
            ? `<dt>重复报警</dt><dd>${i.merged_calls
                .map(
                  (m) =>
                    `<a href="#/incidents/${esc(m.id)}">#${esc(m.id)}</a> ${esc(typeName(m.type))} <span class="muted">${esc(
                      minuteTime(m.reported_at),
                    )}</span>`,
                )
                .join('；')}</dd>`
            : ''
        }
      </dl>`;
    const revealButton = q('.wb-reveal');
    if (revealButton)
      revealButton.addEventListener('click', () => {
        revealForm.hidden = false;
        revealForm.elements.reason.focus();
      });
    if (revealed) revealForm.hidden = true;

    // Lifecycle times, in order.
    q('.wb-times').innerHTML = `<h3>各环节时间</h3><dl class="wb-facts">${TIME_FIELDS.filter(([k]) => i.times && i.times[k])
      .map(([k, label]) => `<dt>${label}</dt><dd>${esc(minuteTime(i.times[k]))}</dd>`)
      .join('')}</dl>`;
    showFollowup();
    showActions();
  };

  // ---- follow-up task and its deadline ----------------------------------
  const showFollowup = () => {
    const i = incident;
    const f = i.followup;
    const box = q('.wb-followup-info');
    if (!f) {
      box.innerHTML = '';
      return;
    }
    const deadline = Date.parse(f.deadline);
    const open = i.status === 'followup';
    const late = (open && deadline < Date.now()) || (i.times.fed_back_at && Date.parse(i.times.fed_back_at) > deadline);
    box.innerHTML = `
      <dl class="wb-facts wb-followup">
        <dt>回访民警</dt><dd>${esc(f.assignee)}</dd>
        <dt>回访期限</dt><dd data-testid="followup-deadline" class="${late ? 'overdue' : ''}">${esc(minuteTime(f.deadline))}${
          late ? (open ? '（已逾期）' : '（逾期反馈）') : ''
        }</dd>
        ${f.assessment ? `<dt>评估意见</dt><dd>${esc(f.assessment)}</dd>` : ''}
      </dl>`;
  };

  // ---- next steps ---------------------------------------------------------
  let actionsKey = '';
  const showActions = () => {
    const i = incident;
    const box = q('.wb-actions');
    // Re-drawn only when the step changes, so a note being typed survives
    // a reload caused by someone else's change.
    const key = `${i.status}|${i.voided}|${i.merged_into}`;
    if (key === actionsKey) return;
    actionsKey = key;
    const next = (ref.statuses.get(i.status) || {}).next || [];
    if (!ctx.can('incidents.write')) {
      box.innerHTML = '<p class="muted">当前账号只读，不能流转警情。</p>';
      return;
    }
    if (i.voided || i.merged_into) {
      box.innerHTML = `<p class="muted">${i.voided ? '已作废的警情' : '已合并的重复报警'}不再流转。</p>`;
      return;
    }
    if (!next.length) {
      box.innerHTML = '<p class="muted">警情已办结。</p>';
      return;
    }
    const plain = next.filter((s) => s !== 'followup');
    const followupLabel = i.status === 'fed_back' ? '核查未通过，重新派单回访' : '派单回访';
    box.innerHTML = `
      ${
        plain.length
          ? `<div class="wb-step">
        <label>说明（可选）<textarea name="note" rows="2" maxlength="2000" placeholder="${
          i.status === 'followup' ? '回访反馈情况' : i.status === 'fed_back' ? '核查情况' : '处置情况'
        }"></textarea></label>
        <div class="row">${plain
          .map(
            (s) =>
              `<button type="button" data-to="${esc(s)}" class="${s === plain[0] ? 'primary' : ''}">${esc(
                i.status === 'fed_back' && s === 'verified' ? '核查通过' : STEP_LABEL[s] || statusName(s),
              )}</button>`,
          )
          .join('')}</div>
        <p class="form-error wb-step-error" role="alert"></p>
      </div>`
          : ''
      }
      ${
        next.includes('followup')
          ? `<form class="wb-step" data-testid="followup-form" novalidate>
        <h3>${esc(followupLabel)}<span class="muted">（评估遗留风险，派单给社区民警二次回访）</span></h3>
        <div class="row">
          <label>回访民警 *<input name="assignee" maxlength="100" /></label>
          <label>回访期限 *<input name="deadline" type="datetime-local" /></label>
        </div>
        <p class="field-error" data-for="assignee"></p>
        <p class="field-error" data-for="deadline"></p>
        <label>评估意见<textarea name="note" rows="2" maxlength="2000" placeholder="遗留风险、回访要求"></textarea></label>
        <div class="row"><button type="submit" data-to="followup">${esc(followupLabel)}</button></div>
        <p class="form-error wb-followup-error" role="alert"></p>
      </form>`
          : ''
      }`;

    for (const b of box.querySelectorAll('div.wb-step > .row > button[data-to]'))
      b.addEventListener('click', async () => {
        const note = box.querySelector('div.wb-step textarea[name=note]');
        const body = { to: b.dataset.to };
        if (note && note.value.trim()) body.note = note.value.trim();
        await act(b, box.querySelector('.wb-step-error'), () => api.post(`/api/incidents/${id}/transition`, body));
      });

    const ff = box.querySelector('form[data-testid=followup-form]');
    if (ff) {
      ff.elements.deadline.value = localInputValue(Date.now() + 3 * 86400000);
      ff.addEventListener('submit', async (e) => {
        e.preventDefault();
        const errLine = ff.querySelector('.wb-followup-error');
        for (const p of ff.querySelectorAll('.field-error')) p.textContent = '';
        for (const el of ff.querySelectorAll('.invalid')) el.classList.remove('invalid');
        errLine.textContent = '';
        const assignee = ff.elements.assignee.value.trim();
        const deadline = ff.elements.deadline.value;
        const missing = (name, text) => {
          ff.querySelector(`.field-error[data-for="${name}"]`).textContent = text;
          ff.elements[name].classList.add('invalid');
        };
        if (!assignee) missing('assignee', '请填写回访民警');
        if (!deadline) missing('deadline', '请填写回访期限');
        else if (Date.parse(inputToIso(deadline)) <= Date.now()) missing('deadline', '回访期限应晚于现在');
        const bad = ff.querySelector('.invalid');
        if (bad) {
          bad.focus();
          return;
        }
        const body = { to: 'followup', assignee, deadline: inputToIso(deadline) };
        const note = ff.elements.note.value.trim();
        if (note) body.note = note;
        await act(ff.querySelector('button[type=submit]'), errLine, () => api.post(`/api/incidents/${id}/transition`, body), ff);
      });
    }
  };

  // Runs an action: the button waits, a refusal is explained beside it
  // (next to the field the API names when the form has it), success reloads.
  const act = async (button, errLine, call, form) => {
    button.disabled = true;
    errLine.textContent = '';
    try {
      await call();
      await reload();
    } catch (err) {
      const fieldLine = form && err.field && form.querySelector(`.field-error[data-for="${err.field}"]`);
      if (fieldLine) {
        fieldLine.textContent = explain(err);
        if (form.elements[err.field]) form.elements[err.field].classList.add('invalid');
      } else errLine.textContent = conflictText(err);
      button.disabled = false;
    }
  };

  // A 409 names the allowed next steps in English codes; say them in Chinese too.
  const conflictText = (err) => {
    let text = explain(err);
    if (err.code === 'conflict' && err.message) {
      const codes = [...ref.statuses.keys()].filter((c) => new RegExp(`\\b${c}\\b`).test(err.message));
      if (codes.length) text += `（涉及状态：${codes.map(statusName).join('、')}）`;
    }
    return text;
  };

  // ---- timeline ---------------------------------------------------------
  const showTimeline = (events) => {
    const list = q('[data-testid=timeline]');
    const items = events && events.length ? events : null;
    if (items) {
      list.innerHTML = items
        .map(
          (e) => `<li data-to="${esc(e.to)}">
            <div><strong>${esc(e.to_zh || statusName(e.to))}</strong> <span class="muted">${esc(minuteTime(e.at))}</span></div>
            <div class="muted">${e.from ? `${esc(e.from_zh || statusName(e.from))} → ${esc(e.to_zh || statusName(e.to))} · ` : ''}${esc(
              e.actor,
            )}</div>
            ${e.note ? `<div class="wb-note">${esc(e.note)}</div>` : ''}
          </li>`,
        )
        .join('');
      return;
    }
    // Records loaded in bulk carry their times but no recorded events.
    const i = incident;
    list.innerHTML =
      TIME_FIELDS.filter(([k]) => i.times && i.times[k])
        .map(
          ([k, label]) => `<li data-to="${esc(k.replace(/_at$/, ''))}">
            <div><strong>${label}</strong> <span class="muted">${esc(minuteTime(i.times[k]))}</span></div>
            <div class="muted">据导入记录的环节时间</div>
          </li>`,
        )
        .join('') || '<li class="muted">暂无记录</li>';
  };

  // ---- recommendation and dispatch ----------------------------------------
  const canDispatch = () => ctx.can('dispatch.write') && !incident.voided && !incident.merged_into && DISPATCHABLE.includes(incident.status);
  const showRecommendation = (rec, err) => {
    const card = q('.wb-dispatch-card');
    const box = q('[data-testid=recommendation]');
    card.hidden = false;
    if (err) {
      box.innerHTML = `<p class="error">${esc(explain(err))}</p>`;
      return;
    }
    const needs = (rec.run_card && rec.run_card.needs) || [];
    const units = rec.units || [];
    box.innerHTML = `
      <p class="muted">出警方案：${
        needs.map((n) => `${esc(KIND_ZH[n.kind] || n.kind)}${n.role ? `（${esc(n.role)}）` : ''} × ${esc(n.count)}`).join('，') || '—'
      }${rec.unmet && rec.unmet.length ? ` · <span class="error">无可派警力：${esc(rec.unmet.join('，'))}</span>` : ''}</p>
      ${
        units.length
          ? `<table class="wb-rec">
        <thead><tr><th>呼号</th><th>类型</th><th>所属派出所</th><th class="num">距离</th><th class="num">预计到达</th><th></th></tr></thead>
        <tbody>${units
          .map(
            (u) => `<tr>
            <td>${esc(u.call_sign)}</td>
            <td>${esc(KIND_ZH[u.kind] || u.kind)}</td>
            <td>${esc((ref.unitByCode.get(u.station) || {}).name || u.station)}</td>
            <td class="num">${esc(metres(u.distance_m))}</td>
            <td class="num">${esc(duration(u.eta_s))}</td>
            <td>${
              canDispatch() ? `<button type="button" class="primary" data-call-sign="${esc(u.call_sign)}">派警</button>` : ''
            }</td>
          </tr>`,
          )
          .join('')}</tbody>
      </table>
      ${
        canDispatch() && units.length > 1
          ? '<div class="row wb-dispatch-all"><button type="button" class="wb-all">全部派出</button></div>'
          : ''
      }`
          : '<p class="muted">暂无空闲警力可推荐</p>'
      }`;
    const errLine = q('.wb-dispatch-error');
    for (const b of box.querySelectorAll('button[data-call-sign]'))
      b.addEventListener('click', () =>
        act(b, errLine, () => api.post(`/api/incidents/${id}/dispatch`, { units: [b.dataset.callSign] })),
      );
    const all = box.querySelector('.wb-all');
    if (all)
      all.addEventListener('click', () =>
        act(all, errLine, () => api.post(`/api/incidents/${id}/dispatch`, { units: units.map((u) => u.call_sign) })),
      );
  };

  // ---- duplicates and merge ---------------------------------------------
  const showDuplicates = (list, err) => {
    const box = q('.wb-dups');
    if (handed.length)
      q('.wb-dup-handed').innerHTML = `<p class="notice">接警保存时提示可能重复：${handed
        .map(
          (d) =>
            `<a href="#/incidents/${esc(d.id)}">#${esc(d.id)}</a> ${esc(typeName(d.type))}（相距 ${esc(metres(d.distance_m))}，相差 ${esc(
              Math.round(d.minutes_apart),
            )} 分钟）`,
        )
        .join('；')}</p>`;
    if (err) {
      box.innerHTML = `<p class="error">${esc(explain(err))}</p>`;
      return;
    }
    const items = list.items || [];
    const canMerge = ctx.can('incidents.write') && !incident.merged_into && !incident.voided;
    box.innerHTML = items.length
      ? `<p class="muted">${esc(list.radius_m)} 米内、前后 ${esc(list.window_minutes)} 分钟内的未办结警情（合并后本警情作为重复报警并入所选警情，统计只计所选警情）：</p>
        <ul class="wb-duplist">${items
          .map(
            (d) => `<li data-dup="${esc(d.id)}">
            <a href="#/incidents/${esc(d.id)}">#${esc(d.id)}</a>
            ${esc(typeName(d.type))} ${statusBadge(d.status, statusName(d.status))}
            <span class="muted">相距 ${esc(metres(d.distance_m))}，相差 ${esc(Math.round(d.minutes_apart))} 分钟</span>
            ${canMerge ? `<button type="button" class="wb-merge" data-into="${esc(d.id)}">合并</button>` : ''}
          </li>`,
          )
          .join('')}</ul>`
      : `<p class="muted">${esc(list.radius_m)} 米内、前后 ${esc(list.window_minutes)} 分钟内没有可能重复的未办结警情</p>`;
    const errLine = q('.wb-merge-error');
    for (const b of box.querySelectorAll('button.wb-merge'))
      b.addEventListener('click', () => {
        // Two steps: merging cannot be undone from here.
        if (!b.dataset.armed) {
          b.dataset.armed = '1';
          b.classList.add('danger');
          b.textContent = `确认并入 #${b.dataset.into}`;
          return;
        }
        act(b, errLine, () => api.post(`/api/incidents/${id}/merge`, { into: Number(b.dataset.into) }));
      });
  };

  // ---- loading ------------------------------------------------------------
  const loadEvents = () => api.get(`/api/incidents/${id}/events`).then((r) => r.items || []);
  const loadRecommendation = () =>
    ctx.can('patrol.read') && !incident.voided && !incident.merged_into && DISPATCHABLE.includes(incident.status)
      ? api.get(`/api/incidents/${id}/recommendation`).then(
          (r) => ({ r }),
          (e) => ({ e }),
        )
      : Promise.resolve(null);
  const loadDuplicates = () =>
    api.get(`/api/incidents/${id}/duplicates`).then(
      (r) => ({ r }),
      (e) => ({ e }),
    );

  let loading = 0;
  const reload = async (fresh = true) => {
    const mine = ++loading;
    if (fresh) incident = await api.get(`/api/incidents/${id}`);
    const [events, rec, dups] = await Promise.all([
      loadEvents().catch(() => null),
      loadRecommendation(),
      loadDuplicates(),
    ]);
    if (closed || mine !== loading) return;
    showIncident();
    showTimeline(events);
    if (rec) showRecommendation(rec.r, rec.e);
    else q('.wb-dispatch-card').hidden = true;
    showDuplicates(dups.r, dups.e);
  };

  await reload(false);
  // 一键调阅: the registry's cameras nearest the incident.
  const cameras = ctx.can('registry.read') ? cameraPanel(q('.wb-main'), incident, ref.units, q('.wb-dup-card')) : null;
  container.dataset.ready = '1';

  // Changes made elsewhere (a unit arriving, another desk) show up here.
  let closeStream = null;
  let timer = null;
  if (ctx.can('stream.read')) {
    closeStream = openStream({
      onState: (s) => (q('.wb-live').textContent = s === 'open' ? '实时 ●' : ''),
      onIncident: (e) => {
        if (String(e.id) !== String(id)) return;
        clearTimeout(timer);
        timer = setTimeout(() => reload().catch(() => {}), 300);
      },
    });
  }
  return () => {
    closed = true;
    clearTimeout(timer);
    if (cameras) cameras.destroy();
    if (closeStream) closeStream();
  };
}
