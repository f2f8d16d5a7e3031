import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Result, Tag, Tooltip } from 'antd';
import { ClockCircleOutlined, ExclamationCircleOutlined, FlagOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { Role } from '../platform/api';
import { roleLabels } from '../platform/roles';
import type { TicketStatus, TicketSummary } from './api';
import {
  KIND_LABELS,
  STATUS_COLORS,
  STATUS_LABELS,
  TYPE_LABELS,
  URGENCY_COLORS,
  URGENCY_LABELS,
} from './labels';
import { formatShort, formatTime } from '../../shell/time';

export const commonText = {
  enterprise: { zh: '企业诉求', en: 'Enterprise' },
  escalated: { zh: '督办', en: 'Escalated' },
  overdue: { zh: '超期', en: 'Overdue' },
  provisional: {
    zh: '该期限所在年份的放假安排尚未公布，按法定节假日暂算',
    en: 'The holiday schedule of this year is not published yet; counted by the statutory holidays',
  },
  reopened: { zh: '重办 {n} 次', en: 'Reopened ×{n}' },
  forRoles: { zh: '此功能仅供{roles}使用', en: 'This function is for {roles} only' },
  signedInAs: { zh: '您当前以「{role}」身份登录。', en: 'You are signed in as {role}.' },
  back: { zh: '返回工作台首页', en: 'Back to the workbench' },
  anonymous: { zh: '匿名', en: 'Anonymous' },
  confidential: { zh: '保密', en: 'Confidential' },
} satisfies Record<string, Text>;

/** A ticket's status as a coloured tag. */
export function StatusTag({ status }: { status: TicketStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="ticket-status">
      {t(STATUS_LABELS[status])}
    </Tag>
  );
}

/** Type, urgency, enterprise, escalation, overdue and repeat tags of a ticket. */
export function TicketTags({ ticket }: { ticket: TicketSummary }) {
  const { t } = useI18n();
  return (
    <span className="ot-hl-tags">
      <Tag>{t(TYPE_LABELS[ticket.type])}</Tag>
      {ticket.urgency !== 'normal' && (
        <Tag color={URGENCY_COLORS[ticket.urgency]}>{t(URGENCY_LABELS[ticket.urgency])}</Tag>
      )}
      {ticket.enterprise && <Tag color="purple">{t(commonText.enterprise)}</Tag>}
      {ticket.escalationLevel > 0 && (
        <Tag color="red" icon={<FlagOutlined />}>
          {t(commonText.escalated)}
          {ticket.escalationLevel > 1 ? ` ×${ticket.escalationLevel}` : ''}
        </Tag>
      )}
      {ticket.overdue.any && (
        <Tag color="error" icon={<ExclamationCircleOutlined />}>
          {t(commonText.overdue)}
        </Tag>
      )}
      {ticket.reopenCount > 0 && (
        <Tag color="volcano">{t(commonText.reopened, { n: ticket.reopenCount })}</Tag>
      )}
      {ticket.relation === 'repeat' && <Tag color="magenta">{t(KIND_LABELS.repeat!)}</Tag>}
    </span>
  );
}

/** A deadline: red when it passed without the step done, a note when provisional. */
export function Due({
  due,
  overdue,
  provisional,
  short,
}: {
  due: string | null;
  overdue?: boolean;
  provisional?: boolean;
  short?: boolean;
}) {
  const { t, locale } = useI18n();
  if (!due) return <span className="ot-muted">—</span>;
  const text = short ? formatShort(due, locale) : formatTime(due, locale);
  return (
    <span className={overdue ? 'ot-hl-due ot-hl-overdue' : 'ot-hl-due'}>
      <ClockCircleOutlined aria-hidden="true" /> {text}
      {provisional && (
        <Tooltip title={t(commonText.provisional)}>
          <Tag className="ot-hl-provisional">*</Tag>
        </Tooltip>
      )}
    </span>
  );
}

/** Lets the given roles in (inside the workbench); tells anyone else whose function it is. */
export function RequireHotlineRole({
  roles,
  children,
}: {
  roles: readonly Role[];
  children: ReactNode;
}) {
  const { user } = useAuth();
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  if (user && roles.includes(user.role)) return <>{children}</>;
  return (
    <Result
      status="403"
      title={t(commonText.forRoles, {
        roles: roles.map((role) => t(roleLabels[role])).join(locale === 'en' ? ', ' : '、'),
      })}
      subTitle={t(commonText.signedInAs, { role: user ? t(roleLabels[user.role]) : '—' })}
      extra={
        <Button type="primary" onClick={() => navigate('/workbench')}>
          {t(commonText.back)}
        </Button>
      }
    />
  );
}

/** The error of a failed call, for messages. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
