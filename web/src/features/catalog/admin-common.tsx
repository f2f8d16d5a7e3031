import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { ErrorDetail } from '../platform/api';
import { fieldOfPath } from '../platform/api';
import { roleLabels } from '../platform/roles';
import './catalog.css';

const text = {
  forbiddenTitle: {
    zh: '事项目录仅供系统管理员维护',
    en: 'The service catalogue is kept by administrators',
  },
  forbiddenBody: {
    zh: '您当前以「{role}」身份登录。公众版办事指南可在办事大厅查看。',
    en: 'You are signed in as {role}. The public guides are in the service hall.',
  },
  toHall: { zh: '前往事项办理', en: 'Go to the service items' },
} satisfies Record<string, Text>;

/** Lets administrators in; tells anyone else where the public side is. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  if (user?.role === 'admin') return <>{children}</>;
  return (
    <Result
      status="403"
      title={t(text.forbiddenTitle)}
      subTitle={t(text.forbiddenBody, { role: user ? t(roleLabels[user.role]) : '—' })}
      extra={
        <Button type="primary" onClick={() => navigate('/services')}>
          {t(text.toHall)}
        </Button>
      }
    />
  );
}

/** Every problem the server named, with its path; a click can lead to the field. */
export function ProblemList({
  details,
  onSelect,
  label,
}: {
  details: ErrorDetail[];
  onSelect?: (detail: ErrorDetail) => void;
  label?: (detail: ErrorDetail) => string | null;
}) {
  return (
    <ul className="ot-problem-list" data-testid="problem-list">
      {details.map((detail, index) => {
        const where = label?.(detail) ?? null;
        const body = (
          <>
            <code>{fieldOfPath(detail.path) || detail.path}</code>
            {where ? ` ${where}` : ''}：{detail.message}
          </>
        );
        return (
          <li key={`${detail.path}-${index}`}>
            {onSelect ? (
              <button type="button" onClick={() => onSelect(detail)}>
                {body}
              </button>
            ) : (
              body
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A date and time as people read it. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(locale, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
}

const whoText = {
  you: { zh: '{name}（本人）', en: '{name} (you)' },
  system: { zh: '系统', en: 'the system' },
} satisfies Record<string, Text>;

/** Who saved or published a version: the server names the user; no user means the seed or an import. */
export function useWho(): (
  id: string | null | undefined,
  name: string | null | undefined,
) => string {
  const { user } = useAuth();
  const { t } = useI18n();
  return (id, name) => {
    if (!id) return t(whoText.system);
    if (user && id === user.id) return t(whoText.you, { name: user.displayName });
    return name ?? id.slice(0, 8);
  };
}
