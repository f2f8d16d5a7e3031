import type { Role } from '../features/platform/api';
import type { Text } from './i18n';

/** One function of the workbench and the roles whose work it is. */
export interface WorkbenchItem {
  key: string;
  label: Text;
  roles: readonly Role[];
  /** Where the function lives once it is built; functions without a path are not open yet. */
  path?: string;
}

/** A capability of DESIGN.md as the workbench menu groups it. */
export interface WorkbenchGroup {
  capability: string;
  label: Text;
  items: readonly WorkbenchItem[];
}

/**
 * The workbench menu, one group per capability in DESIGN.md. Functions with a `path` are open;
 * the shell shows the others too, so staff can see where their work will live.
 */
export const workbenchMenu: readonly WorkbenchGroup[] = [
  {
    capability: 'cases',
    label: { zh: '受理审批', en: 'Intake and review' },
    items: [
      {
        key: 'intake',
        label: { zh: '窗口受理', en: 'Counter intake' },
        roles: ['clerk'],
        path: '/workbench/intake',
      },
      {
        key: 'assisted',
        label: { zh: '帮办代办', en: 'Assisted applications' },
        roles: ['clerk'],
        path: '/workbench/intake/new',
      },
      {
        key: 'review-queue',
        label: { zh: '部门审批', en: 'Department review queue' },
        roles: ['reviewer'],
        path: '/workbench/cases',
      },
      {
        key: 'corrections',
        label: { zh: '补正与容缺', en: 'Corrections and deficiencies' },
        roles: ['clerk', 'reviewer'],
      },
      {
        key: 'deadlines',
        label: { zh: '时限预警', en: 'Deadline warnings' },
        roles: ['supervisor', 'admin'],
        path: '/workbench/supervision',
      },
    ],
  },
  {
    capability: 'licences',
    label: { zh: '电子证照', en: 'E-licences' },
    items: [
      { key: 'issue', label: { zh: '出证', en: 'Issue licences' }, roles: ['reviewer'] },
      {
        key: 'dossiers',
        label: { zh: '一人一档 / 一企一档', en: 'Subject dossiers' },
        roles: ['clerk', 'reviewer', 'supervisor', 'inspector', 'admin'],
        path: '/workbench/dossiers',
      },
      {
        key: 'certificate-free',
        label: { zh: '无证明场景', en: 'Certificate-free scenarios' },
        roles: ['supervisor', 'admin'],
        path: '/workbench/certificate-free',
      },
    ],
  },
  {
    capability: 'policies',
    label: { zh: '惠企政策', en: 'Policies' },
    items: [
      {
        key: 'policy-list',
        label: { zh: '政策管理', en: 'Policies' },
        roles: ['admin'],
        path: '/workbench/policies',
      },
      {
        key: 'grants',
        label: { zh: '政策兑现', en: 'Policy grants' },
        roles: ['clerk', 'reviewer', 'supervisor', 'admin'],
        path: '/workbench/policy-grants',
      },
    ],
  },
  {
    capability: 'hotline',
    label: { zh: '12345 接诉即办', en: '12345 hotline' },
    items: [
      {
        key: 'register',
        label: { zh: '工单登记', en: 'Register tickets' },
        roles: ['operator'],
        path: '/workbench/hotline/new',
      },
      {
        key: 'dispatch',
        label: { zh: '派单与审核', en: 'Dispatch and review' },
        roles: ['operator'],
        path: '/workbench/hotline',
      },
      {
        key: 'handle',
        label: { zh: '签收办理', en: 'Sign for and handle' },
        roles: ['handler'],
        path: '/workbench/hotline',
      },
      {
        key: 'callbacks',
        label: { zh: '回访', en: 'Callbacks' },
        roles: ['operator'],
        path: '/workbench/hotline?tab=callback',
      },
      {
        key: 'ledger',
        label: { zh: '工单台账', en: 'Ticket ledger' },
        roles: ['supervisor', 'admin'],
        path: '/workbench/hotline?tab=ledger',
      },
      {
        key: 'analysis',
        label: { zh: '诉求分析', en: 'Analysis' },
        roles: ['operator', 'supervisor', 'admin'],
        path: '/workbench/hotline/analysis',
      },
      {
        key: 'open311-keys',
        label: { zh: 'Open311 密钥', en: 'Open311 keys' },
        roles: ['admin'],
        path: '/workbench/hotline/keys',
      },
    ],
  },
  {
    capability: 'evaluations',
    label: { zh: '好差评', en: 'Evaluations' },
    items: [
      {
        key: 'rectification',
        label: { zh: '差评整改', en: 'Rectification of bad ratings' },
        roles: ['clerk', 'reviewer', 'operator', 'handler', 'supervisor', 'admin'],
        path: '/workbench/rectifications',
      },
      {
        key: 'window-rating',
        label: { zh: '窗口评价器', en: 'Counter rating' },
        roles: ['clerk'],
        path: '/workbench/window-rating',
      },
      {
        key: 'evaluation-stats',
        label: { zh: '好差评统计', en: 'Rating statistics' },
        roles: ['clerk', 'reviewer', 'operator', 'handler', 'supervisor', 'admin'],
        path: '/workbench/evaluations/stats',
      },
    ],
  },
  {
    capability: 'supervision',
    label: { zh: '双随机 · 信用', en: 'Inspections and credit' },
    items: [
      {
        key: 'plans',
        label: { zh: '抽查计划', en: 'Inspection plans' },
        roles: ['inspector', 'admin'],
        path: '/workbench/supervision/plans',
      },
      {
        key: 'inspections',
        label: { zh: '检查任务', en: 'Inspection tasks' },
        roles: ['inspector', 'supervisor', 'admin'],
        path: '/workbench/inspections',
      },
      {
        key: 'credit-repairs',
        label: { zh: '信用修复', en: 'Credit repair' },
        roles: ['inspector', 'reviewer', 'supervisor', 'admin'],
        path: '/workbench/credit-repairs',
      },
    ],
  },
  {
    capability: 'insight',
    label: { zh: '效能督办', en: 'Supervision' },
    items: [
      {
        key: 'escalations',
        label: { zh: '督办催办', en: 'Escalations' },
        roles: ['supervisor'],
        path: '/workbench/hotline?tab=overdue',
      },
      {
        key: 'reform-tasks',
        label: { zh: '改革任务台账', en: 'Reform-task ledger' },
        roles: ['clerk', 'reviewer', 'operator', 'handler', 'inspector', 'supervisor', 'admin'],
        path: '/workbench/ledger',
      },
    ],
  },
  {
    capability: 'platform',
    label: { zh: '系统管理', en: 'Administration' },
    items: [
      {
        key: 'catalog',
        label: { zh: '事项目录', en: 'Service catalogue' },
        roles: ['admin'],
        path: '/workbench/catalog',
      },
      {
        key: 'bundles',
        label: { zh: '一件事配置', en: 'Bundles' },
        roles: ['admin'],
        path: '/workbench/bundles',
      },
      {
        key: 'organisation',
        label: { zh: '区划与部门', en: 'Regions and departments' },
        roles: ['admin'],
        path: '/workbench/organisation',
      },
      {
        key: 'users',
        label: { zh: '用户与角色', en: 'Users and roles' },
        roles: ['admin'],
        path: '/workbench/users',
      },
      {
        key: 'calendar',
        label: { zh: '工作日历', en: 'Working-day calendar' },
        roles: ['admin'],
        path: '/workbench/calendar',
      },
      {
        key: 'audit',
        label: { zh: '审计日志', en: 'Audit log' },
        roles: ['admin', 'supervisor'],
        path: '/workbench/audit',
      },
    ],
  },
  {
    capability: 'account',
    label: { zh: '我的账号', en: 'My account' },
    items: [
      {
        key: 'second-factor',
        label: { zh: '双因素认证', en: 'Two-factor authentication' },
        roles: ['clerk', 'reviewer', 'operator', 'handler', 'inspector', 'supervisor', 'admin'],
        path: '/workbench/security',
      },
      {
        key: 'password',
        label: { zh: '修改密码', en: 'Change password' },
        roles: ['clerk', 'reviewer', 'operator', 'handler', 'inspector', 'supervisor', 'admin'],
        path: '/workbench/password',
      },
    ],
  },
];
