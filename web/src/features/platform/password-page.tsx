import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import { homeEntryOf } from '../../shell/entries';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { ApiError, fetchMe, type Role } from './api';
import { changeOwnPassword } from './users-api';

/** Where staff change their password (the workbench's account group). */
export const PASSWORD_PATH = '/workbench/password';

/** Where citizens and enterprises change theirs (the service hall has no workbench). */
export const ACCOUNT_PASSWORD_PATH = '/account/password';

/** The change-password page for a role. */
export function passwordPathFor(role: Role): string {
  return role === 'citizen' || role === 'enterprise' ? ACCOUNT_PASSWORD_PATH : PASSWORD_PATH;
}

const text = {
  title: { zh: '修改密码', en: 'Change password' },
  required: {
    zh: '您正在使用管理员设置的临时密码。请先设置一个只有您知道的新密码，然后才能继续使用平台。',
    en: 'You signed in with a temporary password set by an administrator. Choose a new password only you know before going on.',
  },
  rules: {
    zh: '新密码至少10个字符，须包含小写字母、大写字母、数字、特殊字符中的至少三类，不能包含用户名，不能是常见密码。修改后，您在其他设备上的登录将退出。',
    en: 'At least 10 characters mixing three of: lower case, upper case, digits, other characters; not containing your username; not a common password. Your sign-ins on other devices end.',
  },
  current: { zh: '当前密码', en: 'Current password' },
  currentTemporary: { zh: '临时密码', en: 'Temporary password' },
  next: { zh: '新密码', en: 'New password' },
  confirm: { zh: '确认新密码', en: 'Confirm new password' },
  requiredField: { zh: '请填写此项', en: 'This field is required' },
  mismatch: { zh: '两次输入的新密码不一致', en: 'The two new passwords differ' },
  tooShort: { zh: '新密码至少需要10个字符', en: 'The new password needs at least 10 characters' },
  submit: { zh: '修改密码', en: 'Change password' },
  done: { zh: '密码已修改', en: 'Your password has been changed' },
  continue: { zh: '继续', en: 'Continue' },
} satisfies Record<string, Text>;

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * Every signed-in user changes their own password here; an account holding a temporary password
 * (new, or reset by an administrator) is sent here first and may do nothing else until it has.
 */
export function ChangePasswordPage() {
  const { t, lang } = useI18n();
  const { state, user, setUser } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useDocumentTitle(text.title);

  if (state.status === 'anonymous') {
    return <Navigate to={`/signin?next=${encodeURIComponent(ACCOUNT_PASSWORD_PATH)}`} replace />;
  }
  if (!user) return null;
  const mustChange = Boolean(user.passwordChangeRequired);

  const submit = async (values: Values) => {
    setBusy(true);
    setFailure(null);
    try {
      await changeOwnPassword(
        { currentPassword: values.currentPassword, newPassword: values.newPassword },
        lang,
      );
      const fresh = await fetchMe(lang);
      form.resetFields();
      if (fresh && mustChange) {
        setUser(fresh);
        navigate(homeEntryOf(fresh.role).path, { replace: true });
        return;
      }
      if (fresh) setUser(fresh);
      setDone(true);
    } catch (error) {
      const fields = (['currentPassword', 'newPassword'] as const)
        .map((name) => ({
          name,
          message: error instanceof ApiError ? error.fieldMessage(name) : undefined,
        }))
        .filter((f) => f.message);
      if (fields.length > 0) {
        form.setFields(fields.map((f) => ({ name: f.name, errors: [f.message!] })));
      } else {
        setFailure(error instanceof Error ? error.message : String(error));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t(text.title)} className="ot-block" style={{ maxWidth: 560 }}>
      {mustChange && (
        <Alert
          type="warning"
          showIcon
          title={t(text.required)}
          className="ot-block"
          data-testid="password-change-required"
        />
      )}
      {done ? (
        <Result
          status="success"
          title={t(text.done)}
          extra={
            <Button type="primary" onClick={() => navigate(homeEntryOf(user.role).path)}>
              {t(text.continue)}
            </Button>
          }
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t(text.rules)}</Typography.Paragraph>
          {failure && (
            <Alert type="error" showIcon title={failure} role="alert" className="ot-block" />
          )}
          <Form form={form} layout="vertical" onFinish={submit} disabled={busy}>
            <Form.Item
              name="currentPassword"
              label={t(mustChange ? text.currentTemporary : text.current)}
              rules={[{ required: true, message: t(text.requiredField) }]}
            >
              <Input.Password autoComplete="current-password" prefix={<LockOutlined />} />
            </Form.Item>
            <Form.Item
              name="newPassword"
              label={t(text.next)}
              rules={[
                { required: true, message: t(text.requiredField) },
                { min: 10, message: t(text.tooShort) },
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="confirmPassword"
              label={t(text.confirm)}
              dependencies={['newPassword']}
              rules={[
                { required: true, message: t(text.requiredField) },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    !value || value === getFieldValue('newPassword')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t(text.mismatch))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t(text.submit)}
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
