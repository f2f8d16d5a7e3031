import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Collapse, Form, Input, Result, Typography } from 'antd';
import {
  KeyOutlined,
  LockOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import { homeEntryOf, safeNextPath } from '../../shell/entries';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { shellText } from '../../shell/messages';
import type { Me, Role, SecondFactorAnswer } from './api';
import { useDemoPlatform } from './platform-info';
import { ApiError, SECOND_FACTOR_REQUIRED, TOTP_CODE_TYPED, roles } from './api';
import { SECOND_FACTOR_PATH } from './second-factor-page';
import { passwordPathFor } from './password-page';
import { roleLabels } from './roles';

const text = {
  title: { zh: '登录', en: 'Sign in' },
  subtitle: {
    zh: '群众、企业和工作人员统一登录入口',
    en: 'One sign-in for citizens, enterprises and staff',
  },
  username: { zh: '用户名', en: 'Username' },
  usernameRequired: { zh: '请输入用户名', en: 'Enter your username' },
  password: { zh: '密码', en: 'Password' },
  passwordRequired: { zh: '请输入密码', en: 'Enter your password' },
  submit: { zh: '登录', en: 'Sign in' },
  demoTitle: { zh: '演示账号', en: 'Demo accounts' },
  demoIntro: {
    zh: '这是演示平台。每个岗位有一个演示账号，用户名即岗位代码，密码均为 {password}。点击账号可填入表单。',
    en: 'This is a demo platform. Each role has a demo account whose username is the role code; the password is {password} for all. Click an account to fill in the form.',
  },
  alreadyTitle: { zh: '您已登录', en: 'You are signed in' },
  alreadyBody: {
    zh: '当前用户：{name}（{role}）。',
    en: 'Signed in as {name} ({role}).',
  },
  continue: { zh: '继续', en: 'Continue' },
  codeTitle: { zh: '双因素认证', en: 'Two-factor authentication' },
  codeIntro: {
    zh: '密码正确。请打开手机上的身份验证器，输入当前显示的6位验证码。',
    en: 'Password accepted. Open the authenticator app on your phone and enter the 6-digit code it shows now.',
  },
  recoveryIntro: {
    zh: '请输入一个未使用过的恢复码（每个恢复码只能使用一次）。',
    en: 'Enter a recovery code you have not used yet (each works once).',
  },
  code: { zh: '验证码', en: 'Code' },
  codeRequired: { zh: '请输入6位数字验证码', en: 'Enter the 6-digit code' },
  recoveryCode: { zh: '恢复码', en: 'Recovery code' },
  recoveryRequired: { zh: '请输入恢复码', en: 'Enter a recovery code' },
  verify: { zh: '验证并登录', en: 'Verify and sign in' },
  useRecovery: { zh: '手机不在身边？使用恢复码', en: 'No phone at hand? Use a recovery code' },
  useCode: { zh: '使用身份验证器验证码', en: 'Use the authenticator code' },
  back: { zh: '返回重新输入密码', en: 'Back to the password' },
} satisfies Record<string, Text>;

/** Errors after which the code step cannot go on: the password must be given again. */
const RESTART_CODES = new Set(['auth.second_factor_challenge_expired', 'auth.locked']);

interface CodeForm {
  code?: string;
  recoveryCode?: string;
}

/** The demo accounts' shared password (data/demo/platform.yaml; only with ONETHING_DEMO=on). */
const demoPassword = 'OneThing@2026';

interface Credentials {
  username: string;
  password: string;
}

/** The sign-in page at `/signin`; goes on to `next` or to the role's natural entry. */
export function SignInPage() {
  const { t, lang } = useI18n();
  // The demo accounts exist only where the server runs the demo (ONETHING_DEMO=on).
  const demo = useDemoPlatform(lang);
  const { state, user, signIn, completeSignIn, signOut } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Credentials>();
  const [codeForm] = Form.useForm<CodeForm>();
  const [step, setStep] = useState<'password' | 'second-factor'>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // The server's word on the code given, shown under its field until the code is changed.
  const [codeError, setCodeError] = useState<string | null>(null);
  const codeHelp = codeError ? ({ validateStatus: 'error', help: codeError } as const) : {};
  // Set once this form signed someone in, so the "already signed in" view does not flash.
  const [leaving, setLeaving] = useState(false);
  useDocumentTitle(text.title);

  const next = safeNextPath(params.get('next'));

  // On a language switch: a server message is in the language it was asked in, so drop it
  // rather than show it mixed; field messages are checked again to come out in the new language.
  useEffect(() => {
    setFailure(null);
    const withErrors = form
      .getFieldsError()
      .filter((field) => field.errors.length > 0)
      .map((field) => field.name);
    if (withErrors.length > 0) form.validateFields(withErrors).catch(() => undefined);
  }, [lang, form]);

  const goOn = (role: Role) => navigate(next ?? homeEntryOf(role).path, { replace: true });
  // A staff account that must enrol a second factor goes to enrolment first.
  // An account holding a temporary password changes it first, before anything else.
  const arrive = (signedIn: Me) =>
    signedIn.passwordChangeRequired
      ? navigate(passwordPathFor(signedIn.role), { replace: true })
      : signedIn.secondFactorSetupRequired
        ? navigate(SECOND_FACTOR_PATH, { replace: true })
        : goOn(signedIn.role);

  const submit = async ({ username, password }: Credentials) => {
    setSubmitting(true);
    setFailure(null);
    try {
      setLeaving(true);
      const signedIn = await signIn(username.trim(), password);
      arrive(signedIn);
    } catch (error) {
      setLeaving(false);
      if (error instanceof ApiError && error.code === SECOND_FACTOR_REQUIRED) {
        codeForm.resetFields();
        setUseRecovery(false);
        setStep('second-factor');
      } else if (error instanceof ApiError) {
        const fields = (['username', 'password'] as const)
          .map((name) => ({ name, message: error.fieldMessage(name) }))
          .filter((field): field is { name: 'username' | 'password'; message: string } =>
            Boolean(field.message),
          );
        form.setFields(fields.map((field) => ({ name: field.name, errors: [field.message] })));
        // Field problems show under their fields; anything else goes in the banner.
        if (fields.length === 0) setFailure(error.message);
      } else {
        setFailure(error instanceof Error ? error.message : String(error));
      }
    } finally {
      setSubmitting(false);
    }
  };

  const submitCode = async ({ code, recoveryCode }: CodeForm) => {
    setSubmitting(true);
    setFailure(null);
    const answer: SecondFactorAnswer = useRecovery
      ? { recoveryCode: (recoveryCode ?? '').trim() }
      : { code: (code ?? '').replace(/\s/g, '') };
    try {
      setLeaving(true);
      arrive(await completeSignIn(answer));
    } catch (error) {
      setLeaving(false);
      if (error instanceof ApiError && RESTART_CODES.has(error.code)) {
        setStep('password');
        setFailure(error.message);
      } else if (error instanceof ApiError) {
        const field = useRecovery ? 'recoveryCode' : 'code';
        const fieldMessage = error.fieldMessage(field);
        if (fieldMessage) setCodeError(fieldMessage);
        else setFailure(error.message);
      } else {
        setFailure(error instanceof Error ? error.message : String(error));
      }
    } finally {
      setSubmitting(false);
    }
  };

  if (state.status === 'signed-in' && user && !leaving) {
    return (
      <div className="ot-signin">
        <Card className="ot-signin-card">
          <Result
            status="success"
            title={t(text.alreadyTitle)}
            subTitle={t(text.alreadyBody, {
              name: user.displayName,
              role: t(roleLabels[user.role]),
            })}
            extra={[
              <Button key="go" type="primary" onClick={() => goOn(user.role)}>
                {t(text.continue)}
              </Button>,
              <Button
                key="switch"
                onClick={() =>
                  signOut().catch((error: unknown) =>
                    message.error(error instanceof Error ? error.message : String(error)),
                  )
                }
              >
                {t(shellText.switchAccount)}
              </Button>,
            ]}
          />
        </Card>
      </div>
    );
  }

  const fill = (role: Role) => {
    form.setFieldsValue({ username: role, password: demoPassword });
    form.setFields([
      { name: 'username', errors: [] },
      { name: 'password', errors: [] },
    ]);
    setFailure(null);
  };

  // The one banner of a refusal that names no field, under whichever step's form is showing.
  const failureAlert = failure && (
    <Alert
      type="error"
      showIcon
      title={failure}
      className="ot-signin-alert"
      role="alert"
      data-testid="signin-error"
    />
  );

  return (
    <div className="ot-signin">
      <Card className="ot-signin-card">
        <div className="ot-signin-head">
          <SafetyCertificateOutlined className="ot-signin-icon" aria-hidden="true" />
          <Typography.Title level={2} className="ot-signin-title">
            {t(text.title)}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t(text.subtitle)}</Typography.Paragraph>
        </div>

        {step === 'second-factor' ? (
          <Form<CodeForm>
            form={codeForm}
            layout="vertical"
            requiredMark={false}
            onFinish={submitCode}
            onValuesChange={() => {
              setFailure(null);
              setCodeError(null);
            }}
            disabled={submitting}
            data-testid="signin-second-factor"
          >
            <Typography.Title level={4}>{t(text.codeTitle)}</Typography.Title>
            <Typography.Paragraph type="secondary">
              {t(useRecovery ? text.recoveryIntro : text.codeIntro)}
            </Typography.Paragraph>
            {useRecovery ? (
              <Form.Item
                name="recoveryCode"
                {...codeHelp}
                label={t(text.recoveryCode)}
                rules={[{ required: true, whitespace: true, message: t(text.recoveryRequired) }]}
              >
                <Input
                  size="large"
                  prefix={<KeyOutlined />}
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  placeholder="abcd-efgh-jkmn"
                  autoFocus
                />
              </Form.Item>
            ) : (
              <Form.Item
                name="code"
                {...codeHelp}
                label={t(text.code)}
                rules={[
                  { required: true, message: t(text.codeRequired) },
                  { pattern: TOTP_CODE_TYPED, message: t(text.codeRequired) },
                ]}
              >
                <Input
                  size="large"
                  prefix={<SafetyCertificateOutlined />}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  maxLength={7}
                  placeholder="123456"
                  autoFocus
                />
              </Form.Item>
            )}
            {failureAlert}
            <Button type="primary" htmlType="submit" size="large" block loading={submitting}>
              {t(text.verify)}
            </Button>
            <div className="ot-signin-second-factor-links">
              <Button
                type="link"
                onClick={() => {
                  setUseRecovery((value) => !value);
                  setCodeError(null);
                  setFailure(null);
                }}
              >
                {t(useRecovery ? text.useCode : text.useRecovery)}
              </Button>
              <Button
                type="link"
                onClick={() => {
                  setStep('password');
                  setFailure(null);
                }}
              >
                {t(text.back)}
              </Button>
            </div>
          </Form>
        ) : (
          <Form<Credentials>
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={submit}
            onValuesChange={() => setFailure(null)}
            disabled={submitting}
          >
            <Form.Item
              name="username"
              label={t(text.username)}
              rules={[{ required: true, whitespace: true, message: t(text.usernameRequired) }]}
            >
              <Input
                size="large"
                prefix={<UserOutlined />}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t(text.password)}
              rules={[{ required: true, message: t(text.passwordRequired) }]}
            >
              <Input.Password
                size="large"
                prefix={<LockOutlined />}
                autoComplete="current-password"
              />
            </Form.Item>
            {failureAlert}
            <Button type="primary" htmlType="submit" size="large" block loading={submitting}>
              {t(text.submit)}
            </Button>
          </Form>
        )}

        {demo && (
          <Collapse
            ghost
            className="ot-signin-demo"
            items={[
              {
                key: 'demo',
                label: t(text.demoTitle),
                children: (
                  <>
                    <Typography.Paragraph type="secondary" className="ot-signin-demo-intro">
                      {t(text.demoIntro, { password: demoPassword })}
                    </Typography.Paragraph>
                    <ul className="ot-demo-accounts">
                      {roles.map((role) => (
                        <li key={role}>
                          <Button type="link" size="small" onClick={() => fill(role)}>
                            <code>{role}</code>
                          </Button>
                          <span>{t(roleLabels[role])}</span>
                        </li>
                      ))}
                    </ul>
                  </>
                ),
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
