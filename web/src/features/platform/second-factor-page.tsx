import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import QRCode from 'qrcode';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Result,
  Spin,
  Steps,
  Typography,
} from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import { homeEntryOf } from '../../shell/entries';
import type { Text } from '../../shell/i18n';
import { localeOf, useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { SecondFactorStatus } from './api';
import {
  ApiError,
  confirmSecondFactorEnrolment,
  fetchSecondFactor,
  renewRecoveryCodes,
  startSecondFactorEnrolment,
  TOTP_CODE_TYPED,
} from './api';

/** Where staff enrol their authenticator (the workbench's account security page). */
export const SECOND_FACTOR_PATH = '/workbench/security';

const text = {
  title: { zh: '双因素认证', en: 'Two-factor authentication' },
  intro: {
    zh: '登录时除密码外，还需输入手机身份验证器（如微信小程序“腾讯身份验证器”、Microsoft Authenticator、Google Authenticator）生成的6位动态验证码，防止密码泄露后账号被盗用。',
    en: 'Besides the password, signing in takes the 6-digit code of an authenticator app on your phone (e.g. Microsoft Authenticator, Google Authenticator), so a leaked password alone cannot open the account.',
  },
  required: {
    zh: '本平台要求工作人员账号启用双因素认证。完成绑定后方可使用其他功能。',
    en: 'This platform requires two-factor authentication for staff accounts. Enrol to use the other functions.',
  },
  enrolled: { zh: '已启用双因素认证', en: 'Two-factor authentication is on' },
  enrolledSince: { zh: '启用时间', en: 'Enrolled' },
  codesLeft: { zh: '剩余恢复码', en: 'Recovery codes left' },
  lostPhone: {
    zh: '手机丢失或更换时，可用恢复码登录；手机和恢复码都不在手边时，请联系系统管理员重置双因素认证。',
    en: 'If your phone is lost or replaced, sign in with a recovery code; with neither at hand, ask an administrator to reset your two-factor authentication.',
  },
  renewTitle: { zh: '重新生成恢复码', en: 'New recovery codes' },
  renewIntro: {
    zh: '恢复码快用完、遗失或可能被他人看到时，输入身份验证器当前的验证码，生成8个新的恢复码；原有的恢复码全部作废。',
    en: 'When your recovery codes run low, are lost or may have been seen, enter the code your authenticator shows now to get 8 new ones; all earlier codes stop working.',
  },
  renew: { zh: '生成新的恢复码', en: 'Get new recovery codes' },
  stepScan: { zh: '扫描二维码', en: 'Scan the QR code' },
  stepConfirm: { zh: '输入验证码', en: 'Enter the code' },
  stepSave: { zh: '保存恢复码', en: 'Save recovery codes' },
  start: { zh: '开始绑定身份验证器', en: 'Enrol an authenticator app' },
  scan: {
    zh: '用身份验证器扫描下方二维码；无法扫码时，可手动输入密钥。密钥只显示这一次，请勿截图外传。',
    en: 'Scan the QR code below with your authenticator app, or type in the key by hand. The key is shown this once; do not share it.',
  },
  secret: { zh: '密钥', en: 'Key' },
  uri: { zh: '链接', en: 'Link' },
  code: { zh: '验证码', en: 'Code' },
  codeRule: {
    zh: '请输入身份验证器显示的6位数字',
    en: 'Enter the 6 digits your authenticator shows',
  },
  confirm: { zh: '确认绑定', en: 'Confirm' },
  saveCodes: {
    zh: '以下8个恢复码只显示这一次。请抄写或打印后妥善保存：手机不在身边时，每个恢复码可代替验证码登录一次。',
    en: 'These 8 recovery codes are shown this once. Write them down or print them and keep them safe: each signs you in once without your phone.',
  },
  done: { zh: '我已保存，继续', en: 'I have saved them, continue' },
  qrAlt: { zh: '身份验证器二维码', en: 'Authenticator QR code' },
} satisfies Record<string, Text>;

type Stage =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'status'; status: SecondFactorStatus }
  | { kind: 'scan'; secret: string; uri: string; qr: string | null }
  /** Recovery codes shown once: at the end of enrolment, or renewed later. */
  | { kind: 'codes'; recoveryCodes: string[]; renewed: boolean };

/**
 * Staff enrol an authenticator app (TOTP) here: scan the QR code, confirm with a code, save the
 * recovery codes. Under a required policy, staff without one are sent here after signing in.
 */
export function SecondFactorPage() {
  const { t, lang } = useI18n();
  const { user, setUser } = useAuth();
  const navigate = useNavigate();
  const [stage, setStage] = useState<Stage>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [form] = Form.useForm<{ code: string }>();
  useDocumentTitle(text.title);

  const load = useCallback(
    (signal?: AbortSignal) =>
      fetchSecondFactor(lang, signal).then(
        (status) => setStage({ kind: 'status', status }),
        (error: unknown) => {
          if (signal?.aborted) return;
          setStage({ kind: 'failed', message: error instanceof Error ? error.message : '' });
        },
      ),
    [lang],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
    // Loaded once; the page reloads the status itself after changes.
  }, []);

  const start = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { secret, uri } = await startSecondFactorEnrolment(lang);
      setStage({ kind: 'scan', secret, uri, qr: null });
      const qr = await QRCode.toDataURL(uri, { margin: 1, width: 220, errorCorrectionLevel: 'M' });
      setStage((current) => (current.kind === 'scan' ? { ...current, qr } : current));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  // A refused code shows under its field; anything else above the form.
  const showRefusal = (error: unknown) => {
    if (error instanceof ApiError && error.fieldMessage('code')) {
      form.setFields([{ name: 'code', errors: [error.fieldMessage('code')!] }]);
    } else {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };

  const confirm = async ({ code }: { code: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      const reply = await confirmSecondFactorEnrolment(code.replace(/\s/g, ''), lang);
      setUser(reply.user);
      setStage({ kind: 'codes', recoveryCodes: reply.recoveryCodes, renewed: false });
    } catch (error) {
      showRefusal(error);
    } finally {
      setBusy(false);
    }
  };

  const renew = async ({ code }: { code: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      const recoveryCodes = await renewRecoveryCodes(code.replace(/\s/g, ''), lang);
      form.resetFields();
      setStage({ kind: 'codes', recoveryCodes, renewed: true });
    } catch (error) {
      showRefusal(error);
    } finally {
      setBusy(false);
    }
  };

  const mustEnrol = Boolean(user?.secondFactorSetupRequired);
  const errorBanner = failure && (
    <Alert type="error" showIcon title={failure} role="alert" className="ot-block" />
  );

  const enrolmentSteps = (current: number) => (
    <Steps
      className="ot-block"
      current={current}
      items={[
        { title: t(text.stepScan) },
        { title: t(text.stepConfirm) },
        { title: t(text.stepSave) },
      ]}
    />
  );

  /** The one field of a current authenticator code, for confirming enrolment or renewing codes. */
  const codeForm = (
    onFinish: (values: { code: string }) => Promise<void>,
    submit: Text,
    autoFocus: boolean,
  ) => (
    <Form form={form} layout="inline" onFinish={onFinish} disabled={busy}>
      <Form.Item
        name="code"
        label={t(text.code)}
        rules={[
          { required: true, message: t(text.codeRule) },
          { pattern: TOTP_CODE_TYPED, message: t(text.codeRule) },
        ]}
      >
        <Input
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
          autoFocus={autoFocus}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t(submit)}
      </Button>
    </Form>
  );

  let body;
  if (stage.kind === 'loading') {
    body = <Spin />;
  } else if (stage.kind === 'failed') {
    body = <Alert type="error" showIcon title={stage.message} />;
  } else if (stage.kind === 'status' && stage.status.enrolled) {
    body = (
      <>
        <Result
          status="success"
          icon={<SafetyCertificateOutlined />}
          title={t(text.enrolled)}
          subTitle={t(text.lostPhone)}
          extra={
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'since',
                  label: t(text.enrolledSince),
                  children: formatTime(stage.status.confirmedAt, localeOf(lang)),
                },
                {
                  key: 'codes',
                  label: t(text.codesLeft),
                  children: stage.status.recoveryCodesLeft,
                },
              ]}
            />
          }
        />
        <section data-testid="renew-recovery-codes">
          <Typography.Title level={5}>{t(text.renewTitle)}</Typography.Title>
          <Typography.Paragraph type="secondary">{t(text.renewIntro)}</Typography.Paragraph>
          {errorBanner}
          {codeForm(renew, text.renew, false)}
        </section>
      </>
    );
  } else if (stage.kind === 'status') {
    body = (
      <>
        {enrolmentSteps(0)}
        {errorBanner}
        <Button type="primary" size="large" loading={busy} onClick={start}>
          {t(text.start)}
        </Button>
      </>
    );
  } else if (stage.kind === 'scan') {
    body = (
      <>
        {enrolmentSteps(1)}
        <Typography.Paragraph>{t(text.scan)}</Typography.Paragraph>
        <div className="ot-block">
          {stage.qr ? (
            <img src={stage.qr} width={220} height={220} alt={t(text.qrAlt)} />
          ) : (
            <Spin />
          )}
        </div>
        <Descriptions
          className="ot-block"
          size="small"
          column={1}
          items={[
            {
              key: 'secret',
              label: t(text.secret),
              children: (
                <Typography.Text code copyable data-testid="second-factor-secret">
                  {stage.secret.replace(/(.{4})/g, '$1 ').trim()}
                </Typography.Text>
              ),
            },
            {
              key: 'uri',
              label: t(text.uri),
              children: (
                <Typography.Text copyable={{ text: stage.uri }} ellipsis>
                  {stage.uri}
                </Typography.Text>
              ),
            },
          ]}
        />
        {errorBanner}
        {codeForm(confirm, text.confirm, true)}
      </>
    );
  } else {
    body = (
      <>
        {!stage.renewed && enrolmentSteps(2)}
        <Alert type="warning" showIcon title={t(text.saveCodes)} className="ot-block" />
        <Typography.Paragraph copyable={{ text: stage.recoveryCodes.join('\n') }}>
          <ol className="ot-recovery-codes" data-testid="recovery-codes">
            {stage.recoveryCodes.map((code) => (
              <li key={code}>
                <Typography.Text code>{code}</Typography.Text>
              </li>
            ))}
          </ol>
        </Typography.Paragraph>
        <Button
          type="primary"
          onClick={() =>
            user && !stage.renewed
              ? navigate(homeEntryOf(user.role).path, { replace: true })
              : void load()
          }
        >
          {t(text.done)}
        </Button>
      </>
    );
  }

  return (
    <Card title={t(text.title)} className="ot-block">
      {mustEnrol && stage.kind !== 'codes' && (
        <Alert type="info" showIcon title={t(text.required)} className="ot-block" />
      )}
      <Typography.Paragraph type="secondary">{t(text.intro)}</Typography.Paragraph>
      {body}
    </Card>
  );
}
