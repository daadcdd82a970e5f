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
  unit_code: '责任单位',
  officer_id: '责任民警',
  step: '办理环节',
  actor: '办理人',
  fields: '台账内容',
  limit: '每页条数',
  offset: '起始条目',
};

// "assign (指派), escalate (移交)" -> "指派、移交"; "none (已化解 is final)" -> "无".
function stepsZh(text) {
  if (/^none\b/.test(text)) return '无（已办结）';
  const labels = [...text.matchAll(/\S+ \(([^)]+)\)/g)].map((m) => m[1]);
  return labels.length ? labels.join('、') : text;
}

// "婚姻家庭 (marriage_family), 邻里 (neighbour)" -> "婚姻家庭、邻里".
function labelsZh(text) {
  const labels = [...text.matchAll(/(?:^|, )(.+?) \([^)]*\)/g)].map((m) => m[1]);
  return labels.length ? labels.join('、') : text;
}

// The API's messages are English; the ones a user meets at a form are
// said again in Chinese. Anything else is shown as the server wrote it
// after the Chinese code, so no detail is lost.
const MESSAGES = [
  [/^is empty$/, () => '不能为空'],
  [/^is required$/, () => '必须填写'],
  [/^is (\d+) characters; the limit is (\d+)$/, (m) => `共 ${m[1]} 字，超过上限 ${m[2]} 字`],
  [/^unknown type '(.*)'$/, (m) => `未知的警情类型「${m[1]}」`],
  [/^unknown class '(.*)'$/, (m) => `未知的警情类别「${m[1]}」`],
  [/^unknown unit '(.*)'$/, (m) => `未知的单位「${m[1]}」`],
  [/^unknown status '(.*?)'/, (m) => `未知的状态「${m[1]}」`],
  [/^latitude (.*) is outside -90\.\.90$/, (m) => `纬度 ${m[1]} 超出 -90 至 90`],
  [/^longitude (.*) is outside -180\.\.180$/, (m) => `经度 ${m[1]} 超出 -180 至 180`],
  [/^(.*) is outside (-?[\d.]+)\.\.(-?[\d.]+)$/, (m) => `${m[1]} 超出范围 ${m[2]} 至 ${m[3]}`],
  [/^must be a number/, () => '必须是数字'],
  [/^must be a whole number/, () => '必须是整数'],
  [/^must be a string/, () => '必须是文字'],
  [/^must be an object/, () => '格式不对，应为对象'],
  [/is in the future$/, () => '时间不能晚于现在'],
  [/^needs at least 3 digits$/, () => '至少需要 3 位数字'],
  [/check character does not match \(GB 11643\)/, () => '身份证号校验位不符（GB 11643）'],
  [/^the last character of the ID number must be a digit or X$/, () => '身份证号最后一位应为数字或 X'],
  [/^the deadline must be after the time the task is given$/, () => '期限必须晚于派单时间'],
  [/^must be after the start$/, () => '结束必须晚于开始'],
  [/^cannot move incident (\d+) from \S+ \((.*?)\) to \S+ \((.*?)\)/, (m) => `警情 ${m[1]} 不能从「${m[2]}」转为「${m[3]}」`],
  [/^wrong username, password or second-factor code$/, () => '用户名、密码或动态验证码错误'],
  [/^is not the current password$/, () => '与当前密码不符'],
  [/^is the same as the old one$/, () => '不能与原密码相同'],
  [/outside your unit's subtree/, () => '不在本单位辖区范围内'],
  // 台账 (issue 21): core/ledger_item.cpp's refusals.
  [/^(.+?) #(\d+) is (.+?) \(\w+\): step \S+ \((.+?)\) is not allowed; allowed steps: (.*)$/,
    (m) => `${m[1]} #${m[2]} 当前为「${m[3]}」，不能办理「${m[4]}」；当前可办理：${stepsZh(m[5])}`],
  [/^(.+?) #(\d+) is (.+?) \(\w+\): '(.*)' is no step of \S+ and is not allowed; allowed steps: (.*)$/,
    (m) => `${m[1]} #${m[2]} 当前为「${m[3]}」，没有「${m[4]}」这一环节；当前可办理：${stepsZh(m[5])}`],
  [/^.+ \(\w+\) is required for a new /, () => '必须填写'],
  [/^.+ \(\w+\) is required by step \S+ \((.+)\)$/, (m) => `办理「${m[1]}」必须填写`],
  [/^the responsible unit \(责任单位\) is required$/, () => '必须指定责任单位'],
  [/^the responsible officer \(责任民警\) is required$/, () => '必须指定责任民警'],
  [/^\S+ \((.+?)\) must be by someone other than who did \S+ \((.+?)\)/,
    (m) => `「${m[1]}」须由「${m[2]}」办理人以外的人员进行`],
  [/ may not take step \S+ \((.+?)\) of .*: it needs one of (.*)$/, (m) => `无权办理「${m[1]}」（需要：${m[2]}）`],
  // 台账导入 (ingest/ledger_import.cpp, ingest/table_source.cpp): why a row was not taken.
  [/^unknown value '(.*)' \(allowed: (.*)\)$/, (m) => `「${m[1]}」不是可选的值（可选：${labelsZh(m[2])}）`],
  [/^'(.*)' is a date, not a whole number$/, (m) => `「${m[1]}」是日期，应为整数`],
  [/^'?(.*?)'? is not a whole number$/, (m) => `「${m[1]}」不是整数`],
  [/^'(.*)' is not a number$/, (m) => `「${m[1]}」不是数字`],
  [/^(.*) has more than two decimals \(yuan to the fen\)$/, (m) => `${m[1]} 超过两位小数（金额精确到分）`],
  [/^'?(.*?)'? is not a date\b/, (m) => `「${m[1]}」不是日期（如 2026-03-01）`],
  [/^(.*) is a number, not a date$/, (m) => `${m[1]} 是数字，应为日期`],
  [/^missing required (.+) \(\w+\)$/, (m) => `缺少必填项「${m[1]}」`],
  [/^missing unit/, () => '缺少责任单位'],
  [/^unknown unit '(.*)' \(neither a unit code nor a unit name\)$/, (m) => `未知的单位「${m[1]}」（既不是单位代码也不是单位名称）`],
  [/^unit name '(.*)' is ambiguous \((.*)\): give the code$/, (m) => `单位名称「${m[1]}」不唯一（${m[2]}），请填写单位代码`],
  [/^unit (.+) \((.+)\) is another unit's: outside the importer's scope$/, (m) => `单位「${m[1]}」不在本单位辖区范围内`],
  [/^unknown state '(.*)' \(states: (.*)\)$/, (m) => `未知的状态「${m[1]}」（可选：${labelsZh(m[2])}）`],
  [/^is blank$/, () => '不能为空'],
  [/^(-?\d+) is negative$/, (m) => `${m[1]} 是负数`],
  [/^(-?\d+) is below the least allowed, (-?\d+)$/, (m) => `${m[1]} 小于最小值 ${m[2]}`],
  [/^(-?\d+) is above the most allowed, (-?\d+)$/, (m) => `${m[1]} 大于最大值 ${m[2]}`],
  // 通报 (issue 22): http/bulletin_routes.cpp, report/bulletin.cpp, the converters.
  [/^no route for (GET|POST|PUT|PATCH|DELETE) (\S+)$/, (m) => `服务器没有 ${m[1]} ${m[2]} 接口（服务器版本较旧？）`],
  [/^is required: the unit whose bulletin to write$/, () => '请选择要生成通报的单位'],
  [/^is required: a date such as /, () => '必须填写日期'],
  [/^(\d{4}-\d{2}-\d{2}) is before from (\d{4}-\d{2}-\d{2})$/, (m) => `${m[1]} 早于开始日期 ${m[2]}`],
  [/^no template '(.*)' in .* \(there are: (.*)\)$/, (m) => `没有名为「${m[1]}」的通报模板（现有：${m[2]}）`],
  [/^two bulletins are being printed; try again in a moment$/, () => '正在生成另外两份通报文件，请稍后再试'],
  [/^chromium did not print the bulletin/, () => 'PDF 生成失败（服务器上的 Chromium 未能打印），请联系管理员'],
  [/^LibreOffice (did not convert the bulletin|wrote no \.docx)/, () => 'Word 文档生成失败（服务器上的 LibreOffice 未能转换），请联系管理员'],
  [/^cannot start '(.*?)': (.*)$/, (m) => `服务器无法启动「${m[1]}」（${m[2]}），请联系管理员`],
  [/^(\S+\.md) line (\d+): (.*)$/, (m) => `通报模板 ${m[1]} 第 ${m[2]} 行有误：${m[3]}`],
  // 案件统计 (case/case_figures.cpp): a figure's records asked by an unknown name.
  [/^unknown case figure '(.*?)'/, (m) => `未知的统计项「${m[1]}」`],
  // core/ledger_values.cpp names the field first: "当事人数 (parties): 0 is below …".
  [/^([^\s:(]+) \(\w+\): (.+)$/, (m) => `${m[1]}：${translateMessage(m[2])}`],
];

export function translateMessage(message) {
  for (const [pattern, say] of MESSAGES) {
    const m = String(message).match(pattern);
    if (m) return say(m);
  }
  return message;
}

// "输入有误 · 警情类型：未知的警情类型「x」" for an ApiError.
export function explain(err) {
  const what = CODES[err.code] || `错误（${err.status}）`;
  const field = err.field ? FIELDS[err.field] || err.field : '';
  const message = translateMessage(err.message);
  return field ? `${what} · ${field}：${message}` : `${what}：${message}`;
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

// 案件 (issue 20/22): the rows behind a case figure (GET /api/case-figures/records
// `kind`), case classes and statuses for the 案件 page's filters.
export const CASE_EVENT_ZH = {
  case_opened: '立案',
  case_solved: '破案',
  case_money_involved: '涉案金额',
  'measure.caught': '抓获',
  'measure.criminal_detention': '刑事拘留',
  'measure.administrative_detention': '行政拘留',
  'measure.arrest': '逮捕',
  'measure.bail': '取保候审',
  'measure.residential_surveillance': '监视居住',
  'measure.transfer_for_prosecution': '移送起诉',
  'measure.prosecution': '起诉',
  'measure.sentence': '判决',
  'measure.dealt_with': '打击处理',
  fugitive_listed: '上网追逃',
  fugitive_caught_old: '抓获历年逃犯',
  fugitive_caught_new: '抓获新增逃犯',
  money_stopped: '止付',
  money_frozen: '冻结',
  money_returned: '返还',
  dissuasion_issued: '预警下发',
  dissuaded: '预警劝阻',
};

export const CASE_CLASS_ZH = { criminal: '刑事', administrative: '行政' };

export const CASE_STATUS_ZH = {
  opened: '立案',
  investigating: '侦查中',
  solved: '破案',
  closed_unsolved: '终止侦查',
  withdrawn: '撤销案件',
};
