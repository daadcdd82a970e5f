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
