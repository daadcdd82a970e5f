// The Chinese the UI shows for the API's errors (src/zh.js): the messages a
// user meets at a form are translated, the field is named, and a message
// without a translation is kept whole rather than lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, translateMessage } from '../src/zh.js';
import { change } from '../src/format.js';

test('form messages read in Chinese with the field named', () => {
  assert.equal(explain({ code: 'invalid_argument', field: 'address', message: 'is 600 characters; the limit is 500' }),
    '输入有误 · 地址：共 600 字，超过上限 500 字');
  assert.equal(explain({ code: 'invalid_argument', field: 'location.lat', message: 'latitude 91 is outside -90..90' }),
    '输入有误 · 纬度：纬度 91 超出 -90 至 90');
  assert.equal(translateMessage("unknown type 'ufo'"), '未知的警情类型「ufo」');
  assert.equal(
    translateMessage('cannot move incident 5 from received (接警) to closed (结案); allowed: dispatched, handled'),
    '警情 5 不能从「接警」转为「结案」');
  assert.equal(explain({ code: 'locked', message: 'user li is locked' }), '账号已锁定，请联系管理员解锁：user li is locked');
});

test('an untranslated message is kept whole after the Chinese code', () => {
  assert.equal(explain({ code: 'unavailable', status: 503, message: 'the index is being rebuilt' }),
    '服务暂不可用：the index is being rebuilt');
  assert.equal(explain({ code: 'teapot', status: 418, message: 'x' }), '错误（418）：x');
});

test('changes read as a bulletin writes them', () => {
  assert.equal(change(-14.934), '下降 14.93%');
  assert.equal(change(3.5), '上升 3.50%');
  assert.equal(change(0), '持平');
  assert.equal(change(null), '—');
});

test("a ledger step the item's state does not allow reads in Chinese with the steps allowed now", () => {
  assert.equal(
    explain({ code: 'conflict', field: 'step', message: '矛盾纠纷 #7 is 调解中 (mediating): step mediate (开始调解) is not allowed; allowed steps: assign (指派), resolve (化解), escalate (移交)' }),
    '状态冲突 · 办理环节：矛盾纠纷 #7 当前为「调解中」，不能办理「开始调解」；当前可办理：指派、化解、移交');
  assert.equal(
    translateMessage('矛盾纠纷 #7 is 已化解 (resolved): step escalate (移交) is not allowed; allowed steps: none (已化解 is final)'),
    '矛盾纠纷 #7 当前为「已化解」，不能办理「移交」；当前可办理：无（已办结）');
  assert.equal(translateMessage('化解方式 (resolution) is required by step resolve (化解)'), '办理「化解」必须填写');
});

test("a ledger list marks the deadlines an item's history has running, due soon or overdue", async () => {
  const { openDues, valueText } = await import('../src/ledgers.js');
  const hour = 3600;
  const dispute = {
    deadlines: [
      { code: 'assign', label: '指派期限', start_state: 'found', start_step: null, until: ['assigned', 'resolved'],
        due_s: 24 * hour, remind_before_s: 4 * hour, escalations: [{ code: 'supervise', label: '督办', after_s: 0 }] },
      { code: 'resolve', label: '化解期限', start_state: 'found', start_step: null, until: ['resolved'],
        due_s: 15 * 24 * hour, remind_before_s: 3 * 24 * hour,
        escalations: [{ code: 'supervise', label: '督办', after_s: 0 }, { code: 'listed', label: '挂牌督办', after_s: 15 * 24 * hour }] },
    ],
  };
  const created = Date.parse('2026-06-01T08:00:00+08:00');
  const item = { state: 'found', history: [{ step: 'create', from: null, to: 'found', at: '2026-06-01T08:00:00+08:00' }] };
  const at = (h) => created + h * hour * 1000;
  assert.deepEqual(openDues(dispute, item, at(1)).map((d) => d.state), ['running', 'running']);
  assert.deepEqual(openDues(dispute, item, at(21)).map((d) => d.state), ['remind', 'running']);
  const late = openDues(dispute, item, at(25));
  assert.deepEqual(late.map((d) => [d.state, d.escalation]), [['overdue', '督办'], ['running', null]]);
  // Assigned: the first clock stopped; 31 days on the second is overdue past its 挂牌督办.
  const assigned = { ...item, state: 'assigned', history: [...item.history, { step: 'assign', to: 'assigned', at: '2026-06-01T09:00:00+08:00' }] };
  const month = openDues(dispute, assigned, at(31 * 24));
  assert.deepEqual(month.map((d) => [d.code, d.state, d.escalation]), [['resolve', 'overdue', '挂牌督办']]);
  assert.deepEqual(openDues(dispute, { ...assigned, state: 'resolved' }, at(31 * 24)), []);
  assert.equal(valueText({ kind: 'money_fen' }, 123450), '1234.50 元');
  assert.equal(valueText({ kind: 'enum', values: [{ code: 'neighbour', label: '邻里' }] }, 'neighbour'), '邻里');
});

test('why an imported row was refused reads in Chinese (ingest/ledger_import.cpp, table_source.cpp)', () => {
  assert.equal(
    translateMessage("unknown value '打架' (allowed: 婚姻家庭 (marriage_family), 邻里 (neighbour), 债务 (debt))"),
    '「打架」不是可选的值（可选：婚姻家庭、邻里、债务）');
  assert.equal(translateMessage("'x' is not a whole number"), '「x」不是整数');
  assert.equal(translateMessage("'2026-13-01' is not a date (2026-03-01)"), '「2026-13-01」不是日期（如 2026-03-01）');
  assert.equal(translateMessage('missing required 纠纷类别 (kind)'), '缺少必填项「纠纷类别」');
  assert.equal(translateMessage('missing unit (责任单位)'), '缺少责任单位');
  assert.equal(translateMessage("unknown unit '东关' (neither a unit code nor a unit name)"),
    '未知的单位「东关」（既不是单位代码也不是单位名称）');
  assert.equal(translateMessage("unit 北园派出所 (PA-S02) is another unit's: outside the importer's scope"),
    '单位「北园派出所」不在本单位辖区范围内');
  assert.equal(translateMessage("unknown state '完了' (states: 已发现 (found), 已指派 (assigned))"),
    '未知的状态「完了」（可选：已发现、已指派）');
  assert.equal(translateMessage('当事人数 (parties): 0 is below the least allowed, 1'), '当事人数：0 小于最小值 1');
  // One the UI does not know stays as the server wrote it.
  assert.equal(translateMessage('sheet 2 is hidden'), 'sheet 2 is hidden');
});
