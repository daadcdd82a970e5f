// Chinese for what the API says in English: error codes, field names, roles,
// and the short words every page uses. Names of classes, types and statuses
// come from GET /api/taxonomy (taxonomy.js), not from here.

const CODES = {
  invalid_argument: '输入有误',
  not_found: '未找到',
  conflict: '状态冲突',
  already_exists: '已存在',
  payload_too_large: '内容过大',
  unavailable: '服务暂不可用',
  internal: '服务器内部错误',
  unauthenticated: '未登录或登录已过期',
  permission_denied: '无权操作',
  locked: '账号已锁定，请联系管理员解锁',
  too_many_requests: '尝试过于频繁，请稍后再试',
  network: '网络中断',
};

export const FIELDS = {
  type: '警情类型',
  class: '警情类别',
  location: '发生地点',
  'location.lat': '纬度',
  'location.lon': '经度',
  address: '地址',
  description: '简要警情',
  reporter_phone: '报警人电话',
  reporter_name: '报警人姓名',
  reporter_id_number: '报警人身份证号',
  reported_at: '报警时间',
  unit: '管辖单位',
  username: '用户名',
  password: '密码',
  totp: '动态验证码',
  new_password: '新密码',
  old_password: '原密码',
  note: '说明',
  reason: '理由',
  to: '目标状态',
  from: '开始日期',
  units: '警力',
  status: '状态',
  priority: '等级',
};

// "输入有误 · 警情类型：is not a known type" for an ApiError.
export function explain(err) {
  const what = CODES[err.code] || `错误（${err.status}）`;
  const field = err.field ? FIELDS[err.field] || err.field : '';
  return field ? `${what} · ${field}：${err.message}` : `${what}：${err.message}`;
}

export const ROLE_ZH = {
  admin: '系统管理员',
  command: '指挥中心',
  station: '派出所民警',
  community: '社区民警',
  leader: '领导',
  machine: '系统对接',
};

export const UNIT_STATUS_ZH = {
  off_duty: '下班',
  available: '空闲',
  dispatched: '已派警',
  en_route: '途中',
  on_scene: '到场',
  busy: '忙碌',
};
