import type { Text } from '../i18n';

// The names of what the audit log records, as reviewers read them. `appendAudit` takes only an
// action and an object type named here, so a new action does not type-check until it has a label;
// entries written by older versions may hold codes no longer here, and read by their module.

/** Every action the platform writes to the audit log, by code, with its label. */
export const AUDIT_ACTIONS = {
  // 账号与登录
  'auth.signed_in': { zh: '登录', en: 'Signed in' },
  'auth.sign_in_failed': { zh: '登录失败', en: 'Sign-in failed' },
  'auth.locked': { zh: '账号锁定（多次登录失败）', en: 'Account locked (failed sign-ins)' },
  'auth.signed_out': { zh: '退出登录', en: 'Signed out' },
  'auth.password_changed': { zh: '修改密码', en: 'Password changed' },
  'auth.password_reset': { zh: '重置密码', en: 'Password reset' },
  'auth.user_created': { zh: '创建账号', en: 'Account created' },
  'auth.user_updated': { zh: '修改账号', en: 'Account changed' },
  'auth.user_unlocked': { zh: '解锁账号', en: 'Account unlocked' },
  'auth.acting_subject_changed': { zh: '切换办事主体', en: 'Switched who they act as' },
  'auth.second_factor_enrolment_started': {
    zh: '开始绑定双因素认证',
    en: 'Two-factor enrolment started',
  },
  'auth.second_factor_enrolled': { zh: '绑定双因素认证', en: 'Two-factor authentication set up' },
  'auth.recovery_codes_renewed': { zh: '重新生成恢复码', en: 'Recovery codes renewed' },
  'auth.second_factor_reset': { zh: '重置双因素认证', en: 'Two-factor authentication reset' },
  // 审计
  'audit.verified': { zh: '验证审计链', en: 'Audit chain verified' },
  // 平台
  'platform.demo_seeded': { zh: '载入演示数据', en: 'Demo data loaded' },
  'platform.directory_seeded': {
    zh: '载入区划与部门目录',
    en: 'Region and department directory loaded',
  },
  // 区划与部门
  'region.created': { zh: '新增区划', en: 'Region added' },
  'department.created': { zh: '新增部门', en: 'Department added' },
  'department.renamed': { zh: '部门更名', en: 'Department renamed' },
  'department.changed': {
    zh: '部门信息变更（补录信用代码）',
    en: 'Department changed (credit code entered)',
  },
  // 工作日历
  'calendar.override_set': { zh: '调整工作日', en: 'Working day set' },
  'calendar.override_removed': { zh: '撤销工作日调整', en: 'Working-day override removed' },
  // 站内消息
  'message.read': { zh: '阅读消息', en: 'Message read' },
  'message.read_all': { zh: '全部消息标为已读', en: 'All messages marked read' },
  // 事项目录
  'catalog.item_created': { zh: '新建事项', en: 'Service item created' },
  'catalog.draft_saved': { zh: '保存事项草稿', en: 'Item draft saved' },
  'catalog.draft_discarded': { zh: '放弃事项草稿', en: 'Item draft discarded' },
  'catalog.published': { zh: '发布事项', en: 'Service item published' },
  'catalog.imported': { zh: '导入事项目录', en: 'Catalogue imported' },
  // 一件事配置
  'bundles.created': { zh: '新建一件事', en: 'Bundle created' },
  'bundles.draft_saved': { zh: '保存一件事草稿', en: 'Bundle draft saved' },
  'bundles.draft_discarded': { zh: '放弃一件事草稿', en: 'Bundle draft discarded' },
  'bundles.published': { zh: '发布一件事', en: 'Bundle published' },
  'bundles.seeded': { zh: '载入初始一件事', en: 'Seed bundles loaded' },
  // 受理审批：申请
  'cases.application_created': { zh: '创建申请', en: 'Application created' },
  'cases.application_saved': { zh: '保存申请', en: 'Application saved' },
  'cases.material_uploaded': { zh: '上传材料', en: 'Material uploaded' },
  'cases.material_removed': { zh: '删除材料', en: 'Material removed' },
  'cases.application_submitted': { zh: '提交申请', en: 'Application submitted' },
  'cases.application_withdrawn': { zh: '撤回申请', en: 'Application withdrawn' },
  'cases.accept': { zh: '受理申请', en: 'Application accepted' },
  'cases.accept_with_deficiency': { zh: '容缺受理', en: 'Accepted with materials to follow' },
  'cases.correction': { zh: '一次性告知补正', en: 'Correction requested' },
  'cases.refuse': { zh: '不予受理', en: 'Application refused' },
  // 受理审批：部门子件
  'cases.case_accept': { zh: '部门受理', en: 'Case accepted by the department' },
  'cases.case_start_review': { zh: '开始审查', en: 'Review started' },
  'cases.case_approve': { zh: '准予许可', en: 'Approved' },
  'cases.case_deny': { zh: '不予许可', en: 'Denied' },
  'cases.case_issue_result': { zh: '出具结果', en: 'Result issued' },
  'cases.case_return': { zh: '退回补正', en: 'Returned for correction' },
  'cases.case_resume': { zh: '恢复计时', en: 'Clock resumed' },
  'cases.case_suspend': { zh: '中止计时', en: 'Clock suspended' },
  'cases.case_extend': { zh: '申请延期', en: 'Extension requested' },
  'cases.case_approve_extension': { zh: '批准延期', en: 'Extension approved' },
  'cases.case_urge': { zh: '督办子件', en: 'Case urged' },
  'cases.case_withdraw': { zh: '撤回子件', en: 'Case withdrawn' },
  'cases.case_correct': { zh: '提交补正', en: 'Correction handed in' },
  'cases.case_deemed_approved': { zh: '超时默认通过', en: 'Deemed approved on timeout' },
  'cases.warnings_swept': { zh: '时限预警巡检', en: 'Deadline warnings swept' },
  // 电子证照
  'licences.issued': { zh: '签发证照', en: 'Licence issued' },
  'licences.replaced': { zh: '换发证照', en: 'Licence replaced' },
  'licences.suspended': { zh: '暂停证照', en: 'Licence suspended' },
  'licences.revoked': { zh: '注销证照', en: 'Licence revoked' },
  'licences.reinstated': { zh: '恢复证照', en: 'Licence reinstated' },
  'licences.viewed_for_case': { zh: '审查中调阅证照', en: 'Licence opened for a case' },
  'licences.share_created': { zh: '创建亮证分享', en: 'Licence share created' },
  'licences.share_revoked': { zh: '撤销亮证分享', en: 'Licence share revoked' },
  'licences.shared_data_updated': { zh: '更新共享数据源', en: 'Shared data source updated' },
  // 一人一档 / 一企一档
  'dossiers.read': { zh: '查阅档案', en: 'Dossier read' },
  'dossiers.tags_refreshed': { zh: '刷新档案标签', en: 'Dossier tags refreshed' },
  'dossiers.tags_refreshed_all': { zh: '刷新全部档案标签', en: 'All dossier tags refreshed' },
  // 惠企政策
  'policies.created': { zh: '新建政策', en: 'Policy created' },
  'policies.updated': { zh: '修改政策', en: 'Policy changed' },
  'policies.published': { zh: '发布政策', en: 'Policy published' },
  'policies.withdrawn': { zh: '撤回政策', en: 'Policy withdrawn' },
  'policies.rematched': { zh: '重新匹配政策', en: 'Policies rematched' },
  'policies.facts_recorded': { zh: '录入企业信息', en: 'Subject facts recorded' },
  'policies.grant_confirmed': { zh: '确认兑现', en: 'Grant confirmed' },
  'policies.grant_paid': { zh: '兑现拨付', en: 'Grant paid' },
  'policies.grant_rejected': { zh: '不予兑现', en: 'Grant rejected' },
  'policies.grant_suspended': { zh: '暂停兑现（复核不符）', en: 'Grant suspended on recheck' },
  'policies.grant_resumed': { zh: '恢复兑现', en: 'Grant resumed' },
  'policies.grant_recertified': { zh: '静默认证通过', en: 'Grant recertified' },
  // 12345 接诉即办
  'hotline.taxonomy_seeded': { zh: '载入诉求分类', en: 'Category taxonomy loaded' },
  'hotline.category_created': { zh: '新增诉求分类', en: 'Category added' },
  'hotline.category_updated': { zh: '修改诉求分类', en: 'Category changed' },
  'hotline.ticket_registered': { zh: '登记工单', en: 'Ticket registered' },
  'hotline.updated': { zh: '修改工单登记信息', en: 'Ticket registration edited' },
  'hotline.answered': { zh: '直接答复办结', en: 'Answered directly' },
  'hotline.dispatched': { zh: '派单', en: 'Ticket dispatched' },
  'hotline.merged': { zh: '合并为重复工单', en: 'Merged as a duplicate' },
  'hotline.signed': { zh: '签收工单', en: 'Ticket signed for' },
  'hotline.returned': { zh: '退单', en: 'Ticket returned' },
  'hotline.contacted': { zh: '联系诉求人', en: 'Requester contacted' },
  'hotline.opinion': { zh: '提交协办意见', en: 'Assisting opinion given' },
  'hotline.replied': { zh: '办结答复', en: 'Reply given' },
  'hotline.extension_requested': { zh: '申请延期', en: 'Extension requested' },
  'hotline.extension_approved': { zh: '同意延期', en: 'Extension approved' },
  'hotline.extension_rejected': { zh: '不同意延期', en: 'Extension refused' },
  'hotline.review_accepted': { zh: '答复审核通过', en: 'Reply accepted' },
  'hotline.review_rejected': { zh: '答复审核退回', en: 'Reply sent back' },
  'hotline.callback': { zh: '回访', en: 'Called back' },
  'hotline.closed': { zh: '结案', en: 'Ticket closed' },
  'hotline.reopened': { zh: '重办', en: 'Ticket reopened' },
  'hotline.escalated': { zh: '督办工单', en: 'Ticket escalated' },
  'hotline.attached': { zh: '上传附件', en: 'File attached' },
  'hotline.requester_update': { zh: '诉求人补充', en: 'Requester added information' },
  'hotline.api_key_issued': { zh: '签发 Open311 密钥', en: 'Open311 key issued' },
  'hotline.api_key_revoked': { zh: '吊销 Open311 密钥', en: 'Open311 key revoked' },
  'hotline.rollups_rebuilt': { zh: '重建诉求周统计', en: 'Weekly statistics rebuilt' },
  // 好差评
  'evaluations.rated': { zh: '评价', en: 'Service rated' },
  'evaluations.answer_rated': { zh: '评价整改答复', en: 'Rectification answer rated' },
  'evaluations.visit_opened': { zh: '开启窗口评价', en: 'Counter rating opened' },
  'evaluations.rectification_submitted': { zh: '提交差评整改', en: 'Rectification submitted' },
  'evaluations.rectification_approved': { zh: '整改审核通过', en: 'Rectification approved' },
  'evaluations.rectification_returned': { zh: '整改退回', en: 'Rectification returned' },
  'evaluations.rectification_appealed': { zh: '差评申诉', en: 'Rating appealed' },
  'evaluations.rectification_appeal_upheld': { zh: '申诉成立', en: 'Appeal upheld' },
  'evaluations.rectification_appeal_rejected': { zh: '申诉驳回', en: 'Appeal rejected' },
  'evaluations.rectification_answer_rated': {
    zh: '评价人评价整改答复',
    en: 'Rater rated the answer',
  },
  // 双随机 · 信用
  'supervision.plan_created': { zh: '新建抽查计划', en: 'Inspection plan created' },
  'supervision.plan_committed': {
    zh: '提交抽查计划（公布种子哈希）',
    en: 'Plan committed (seed hash published)',
  },
  'supervision.plan_drawn': { zh: '随机抽取', en: 'Random draw made' },
  'supervision.inspection_file': { zh: '检查备案', en: 'Inspection filed' },
  'supervision.inspection_check_in': { zh: '入企核验', en: 'Checked in at the enterprise' },
  'supervision.inspection_finish': { zh: '录入检查结果', en: 'Inspection finished' },
  'supervision.inspection_publish': { zh: '公示检查结果', en: 'Inspection result published' },
  'supervision.checkin_code': { zh: '生成入企核验码', en: 'Check-in code issued' },
  'supervision.risk_set': { zh: '设定风险等级', en: 'Risk level set' },
  'supervision.conflict_declared': { zh: '申报回避', en: 'Conflict of interest declared' },
  'supervision.credit_recorded': { zh: '记录信用信息', en: 'Credit record added' },
  'supervision.credit_repair_submitted': { zh: '申请信用修复', en: 'Credit repair requested' },
  'supervision.credit_repair_approved': { zh: '同意信用修复', en: 'Credit repair approved' },
  'supervision.credit_repair_rejected': { zh: '驳回信用修复', en: 'Credit repair rejected' },
  // 数字驾驶舱 · 改革任务台账
  'insight.rollups_rebuilt': { zh: '重建指标日统计', en: 'Daily indicators rebuilt' },
  'insight.progress_reported': { zh: '报送任务进展', en: 'Task progress reported' },
  'insight.progress_replaced': { zh: '更正任务进展', en: 'Task progress corrected' },
  'insight.task_ticked_off': { zh: '任务销号', en: 'Task ticked off' },
  'insight.task_reopened': { zh: '任务恢复', en: 'Task reopened' },
} as const satisfies Record<string, Text>;

/** An action the platform writes: the only actions `appendAudit` takes. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The module part of an action code, with its dot (`auth.` of `auth.signed_in`). */
export type AuditModule<A extends string = AuditAction> = A extends `${infer M}.${string}`
  ? `${M}.`
  : never;

/** The modules the actions belong to, by prefix, with their labels (the filter's groups). */
export const AUDIT_MODULES: Record<AuditModule, Text> = {
  'auth.': { zh: '账号与登录', en: 'Accounts and sign-in' },
  'audit.': { zh: '审计', en: 'Audit' },
  'platform.': { zh: '平台', en: 'Platform' },
  'region.': { zh: '区划', en: 'Regions' },
  'department.': { zh: '部门', en: 'Departments' },
  'calendar.': { zh: '工作日历', en: 'Working-day calendar' },
  'message.': { zh: '站内消息', en: 'Messages' },
  'catalog.': { zh: '事项目录', en: 'Service catalogue' },
  'bundles.': { zh: '一件事配置', en: 'Bundles' },
  'cases.': { zh: '受理审批', en: 'Intake and review' },
  'licences.': { zh: '电子证照', en: 'E-licences' },
  'dossiers.': { zh: '一人一档 / 一企一档', en: 'Subject dossiers' },
  'policies.': { zh: '惠企政策', en: 'Policies' },
  'hotline.': { zh: '12345 接诉即办', en: '12345 hotline' },
  'evaluations.': { zh: '好差评', en: 'Evaluations' },
  'supervision.': { zh: '双随机 · 信用', en: 'Inspections and credit' },
  'insight.': { zh: '数字驾驶舱', en: 'Insight' },
};

/** What the entries are about, by `object_type`, with labels. */
export const AUDIT_OBJECT_TYPES = {
  user: { zh: '账号', en: 'Account' },
  subject: { zh: '办事主体', en: 'Subject' },
  audit_log: { zh: '审计日志', en: 'Audit log' },
  platform: { zh: '平台', en: 'Platform' },
  region: { zh: '区划', en: 'Region' },
  department: { zh: '部门', en: 'Department' },
  message: { zh: '消息', en: 'Message' },
  catalog_item: { zh: '事项', en: 'Service item' },
  bundle: { zh: '一件事', en: 'Bundle' },
  application: { zh: '申请', en: 'Application' },
  case: { zh: '子件', en: 'Case' },
  licence: { zh: '电子证照', en: 'E-licence' },
  licence_share: { zh: '亮证分享', en: 'Licence share' },
  shared_data_source: { zh: '共享数据源', en: 'Shared data source' },
  policy: { zh: '政策', en: 'Policy' },
  policy_grant: { zh: '政策兑现', en: 'Policy grant' },
  hotline_ticket: { zh: '工单', en: 'Ticket' },
  hotline_category: { zh: '诉求分类', en: 'Hotline category' },
  hotline_api_key: { zh: 'Open311 密钥', en: 'Open311 key' },
  hotline_weekly_stats: { zh: '诉求周统计', en: 'Weekly hotline statistics' },
  rating: { zh: '评价', en: 'Rating' },
  rectification: { zh: '差评整改', en: 'Rectification' },
  window_visit: { zh: '窗口评价', en: 'Counter visit' },
  inspection: { zh: '检查', en: 'Inspection' },
  inspection_plan: { zh: '抽查计划', en: 'Inspection plan' },
  credit_record: { zh: '信用记录', en: 'Credit record' },
  credit_repair: { zh: '信用修复', en: 'Credit repair' },
  reform_task: { zh: '改革任务', en: 'Reform task' },
  insight: { zh: '驾驶舱指标', en: 'Indicators' },
} as const satisfies Record<string, Text>;

/** An object type the platform writes: the only ones `appendAudit` takes. */
export type AuditObjectType = keyof typeof AUDIT_OBJECT_TYPES;

/** Whether a stored code is an action of this version. */
export function isAuditAction(code: string): code is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, code);
}

/** The module prefix of an action code (`auth.`), or null when it has no dot. */
export function auditModuleOf(code: string): string | null {
  const dot = code.indexOf('.');
  return dot > 0 ? code.slice(0, dot + 1) : null;
}

/** The label of a module prefix, or null for a module this version does not know. */
export function auditModuleLabel(prefix: string): Text | null {
  return Object.hasOwn(AUDIT_MODULES, prefix) ? AUDIT_MODULES[prefix as AuditModule] : null;
}

/**
 * The label of any stored action code. A code this version does not write (an entry of an older
 * version) reads as its module's label with the code, or as the code alone.
 */
export function auditActionLabel(code: string): Text {
  if (isAuditAction(code)) return AUDIT_ACTIONS[code];
  const prefix = auditModuleOf(code);
  const module = prefix ? auditModuleLabel(prefix) : null;
  if (!module) return { zh: code, en: code };
  return { zh: `${module.zh}：${code}`, en: `${module.en}: ${code}` };
}

/** The label of any stored object type; a type this version does not write reads as itself. */
export function auditObjectTypeLabel(objectType: string): Text {
  return Object.hasOwn(AUDIT_OBJECT_TYPES, objectType)
    ? AUDIT_OBJECT_TYPES[objectType as AuditObjectType]
    : { zh: objectType, en: objectType };
}
