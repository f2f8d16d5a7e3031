import type { Text } from '../../shell/i18n';
import { ROLE_LABELS } from '../../../../src/platform/auth/model';
import type { Role } from './api';

/** Each role's name as people at the counter say it (shared with the server). */
export const roleLabels: Record<Role, Text> = ROLE_LABELS;

/** What each role does in OneThing (DESIGN.md, "Who uses it"). */
export const roleDuties: Record<Role, Text> = {
  citizen: {
    zh: '查找事项，回答情形问题，一次申请，跟踪进度，评价服务，持有电子证照，享受免申即享。',
    en: 'Find a matter, answer the situation questions, apply once, track progress, rate the service, hold e-licences and receive benefits without applying.',
  },
  enterprise: {
    zh: '为企业办理事项，查看匹配的惠企政策，接受检查，提出企业诉求。',
    en: 'Get matters done for the enterprise, see matched policies, receive inspections and file demands.',
  },
  clerk: {
    zh: '在综合窗口受理申请或帮办代办，核验材料，作出受理、补正或不予受理决定。',
    en: "Take applications at the counter or on someone's behalf, check materials, and accept, request correction or refuse.",
  },
  reviewer: {
    zh: '处理本部门的办件队列，作出审批决定，出具结果和电子证照。',
    en: "Work the department's queue of cases, decide, and issue results and e-licences.",
  },
  operator: {
    zh: '登记 12345 工单，直接答复或派单，审核答复并回访。',
    en: 'Register hotline tickets, answer directly or dispatch, review replies and call back.',
  },
  handler: {
    zh: '签收工单并办理答复，必要时申请延期或退回错派工单。',
    en: 'Sign for tickets, handle and reply, ask for an extension or return a wrong dispatch.',
  },
  inspector: {
    zh: '接收随机抽取的检查任务，到企业签到检查并记录结果。',
    en: 'Receive drawn inspection tasks, check in at the enterprise and record the results.',
  },
  supervisor: {
    zh: '关注时限，督办催办，查看驾驶舱，跟踪改革任务。',
    en: 'Watch deadlines, escalate, read the cockpit and track reform tasks.',
  },
  admin: {
    zh: '维护区划、部门、服务事项、一件事、惠企政策和用户。',
    en: 'Maintain regions, departments, service items, bundles, policies and users.',
  },
};
