import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { Role } from '../platform/api';
import { roleLabels } from '../platform/roles';

const text = {
  title: { zh: '此功能仅供{roles}使用', en: 'This function is for {roles} only' },
  body: { zh: '您当前以「{role}」身份登录。', en: 'You are signed in as {role}.' },
  home: { zh: '返回工作台首页', en: 'Back to the workbench' },
} satisfies Record<string, Text>;

/** Lets the given roles in (inside the workbench); tells anyone else whose function it is. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useAuth();
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  if (user && roles.includes(user.role)) return <>{children}</>;
  return (
    <Result
      status="403"
      title={t(text.title, {
        roles: roles.map((role) => t(roleLabels[role])).join(locale === 'en' ? ', ' : '、'),
      })}
      subTitle={t(text.body, { role: user ? t(roleLabels[user.role]) : '—' })}
      extra={
        <Button type="primary" onClick={() => navigate('/workbench')}>
          {t(text.home)}
        </Button>
      }
    />
  );
}
