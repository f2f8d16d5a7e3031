import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Radio, Select, Typography } from 'antd';
import { ArrowLeftOutlined, FormOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { BundleSummary } from '../bundles/api';
import { listBundles } from '../bundles/api';
import { describeCommitment } from '../bundles/labels';
import { ApiError, fieldOfPath } from '../platform/api';
import type { Applicant, Application, Consent } from './api';
import { createApplication } from './api';
import { MissingList } from './application-editor';
import { applicantKindLabels, consentMethods } from './labels';
import { RequireRole } from './require-role';
import { useOnce } from './use-once';

const text = {
  title: { zh: '帮办代办', en: 'Apply on someone’s behalf' },
  intro: {
    zh: '窗口工作人员代群众或企业填报一件事申请：先确认申请人身份并取得其同意，再填写同一张申请表、上传同一套材料并提交。',
    en: 'A window clerk applies for a citizen or an enterprise: confirm who they are and get their consent, then fill in the same form, upload the same materials and submit.',
  },
  back: { zh: '返回受理队列', en: 'Back to the queue' },
  bundle: { zh: '要办的一件事', en: 'Bundle' },
  applicant: { zh: '申请人', en: 'Applicant' },
  kind: { zh: '申请人类型', en: 'Kind' },
  name: { zh: '姓名 / 名称', en: 'Name' },
  namePerson: { zh: '姓名', en: 'Name' },
  nameEnterprise: { zh: '企业名称', en: 'Enterprise name' },
  ric: { zh: '居民身份证号码', en: 'Resident ID number' },
  uscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  mobile: { zh: '联系电话', en: 'Mobile number' },
  consent: { zh: '申请人同意', en: 'The applicant’s consent' },
  consentNote: {
    zh: '代为申请须取得申请人同意，并记录同意方式和凭证（如授权书编号、短信验证码回执号）。',
    en: 'Applying for someone needs their consent; record how it was given and its reference (e.g. the form number or SMS receipt).',
  },
  method: { zh: '同意方式', en: 'How consent was given' },
  reference: { zh: '凭证编号', en: 'Reference' },
  start: { zh: '创建申请并填写', en: 'Create and fill in' },
  required: { zh: '请填写', en: 'Required' },
  requiredChoice: { zh: '请选择', en: 'Choose one' },
  failed: { zh: '未能创建申请：{message}', en: 'Could not create the application: {message}' },
} satisfies Record<string, Text>;

interface Values {
  bundleCode: string;
  kind: Applicant['kind'];
  name: string;
  identifier: string;
  mobile?: string;
  method: Consent['method'];
  reference: string;
}

/** `/workbench/intake/new`: a clerk starts an application for someone (帮办代办), then fills it in. */
export function AssistedPage() {
  return (
    <RequireRole roles={['clerk']}>
      <Assisted />
    </RequireRole>
  );
}

function Assisted() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [bundles, setBundles] = useState<BundleSummary[]>([]);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const create = useOnce<Application>();
  const kind = Form.useWatch('kind', form) ?? 'person';
  const bundleCode = Form.useWatch('bundleCode', form);
  useDocumentTitle(text.title);

  useEffect(() => {
    const controller = new AbortController();
    listBundles({}, lang, controller.signal).then(
      (reply) => setBundles(reply.bundles),
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  const chosen = bundles.find((b) => b.code === bundleCode);

  const onFinish = (values: Values) => {
    setFailure(null);
    const applicant: Applicant = {
      kind: values.kind,
      name: values.name.trim(),
      identifier: values.identifier.trim().toUpperCase(),
      ...(values.mobile?.trim() ? { mobile: values.mobile.trim() } : {}),
    };
    create
      .run((key) =>
        createApplication(
          {
            bundleCode: values.bundleCode,
            applicant,
            consent: { method: values.method, reference: values.reference.trim() },
            submit: false,
          },
          key,
          lang,
        ),
      )
      .then(
        (app) => navigate(`/workbench/intake/${app.id}`),
        (error: unknown) => {
          if (!(error instanceof ApiError)) {
            setFailure(new ApiError(0, 'client', String(error)));
            return;
          }
          setFailure(error);
          // Put each problem next to its input: applicant.name → name, consent.method → method.
          const names: Record<string, keyof Values> = {
            bundleCode: 'bundleCode',
            'applicant.kind': 'kind',
            'applicant.name': 'name',
            'applicant.identifier': 'identifier',
            'applicant.mobile': 'mobile',
            'consent.method': 'method',
            'consent.reference': 'reference',
            applicant: 'identifier',
          };
          form.setFields(
            error.details
              .map((d) => ({ name: names[fieldOfPath(d.path)], errors: [d.message] }))
              .filter((f): f is { name: keyof Values; errors: string[] } => !!f.name),
          );
        },
      );
  };

  return (
    <div className="ot-app-assisted" data-testid="assisted-page">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => navigate('/workbench/intake')}
        className="ot-app-back"
      >
        {t(text.back)}
      </Button>
      <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      {failure && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(text.failed, { message: failure.message })}
          description={
            failure.details.length > 0 ? <MissingList problems={failure.details} /> : undefined
          }
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          bundleCode: params.get('bundle') ?? undefined,
          kind: 'person',
          method: 'signature',
        }}
        className="ot-app-assisted-form"
      >
        <Card title={t(text.bundle)} className="ot-block">
          <Form.Item
            name="bundleCode"
            label={t(text.bundle)}
            rules={[{ required: true, message: t(text.requiredChoice) }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={bundles.map((b) => ({ value: b.code, label: t(b.name) }))}
              data-testid="assisted-bundle"
            />
          </Form.Item>
          {chosen && (
            <div className="ot-muted">
              {t(chosen.summary)} · {t(describeCommitment(chosen.commitment))}
            </div>
          )}
        </Card>
        <Card title={t(text.applicant)} className="ot-block">
          <Form.Item name="kind" label={t(text.kind)}>
            <Radio.Group
              options={(['person', 'enterprise'] as const).map((value) => ({
                value,
                label: t(applicantKindLabels[value]),
              }))}
            />
          </Form.Item>
          <div className="ot-editor-row">
            <Form.Item
              name="name"
              label={t(kind === 'enterprise' ? text.nameEnterprise : text.namePerson)}
              rules={[{ required: true, whitespace: true, message: t(text.required) }]}
            >
              <Input maxLength={200} data-testid="assisted-name" />
            </Form.Item>
            <Form.Item
              name="identifier"
              label={t(kind === 'enterprise' ? text.uscc : text.ric)}
              rules={[{ required: true, whitespace: true, message: t(text.required) }]}
              normalize={(value: string) => value?.toUpperCase()}
            >
              <Input maxLength={18} spellCheck={false} data-testid="assisted-identifier" />
            </Form.Item>
            <Form.Item name="mobile" label={t(text.mobile)}>
              <Input maxLength={11} inputMode="tel" data-testid="assisted-mobile" />
            </Form.Item>
          </div>
        </Card>
        <Card title={t(text.consent)} className="ot-block">
          <Typography.Paragraph type="secondary">{t(text.consentNote)}</Typography.Paragraph>
          <div className="ot-editor-row">
            <Form.Item
              name="method"
              label={t(text.method)}
              rules={[{ required: true, message: t(text.requiredChoice) }]}
            >
              <Select
                options={Object.entries(consentMethods).map(([value, label]) => ({
                  value,
                  label: t(label),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="reference"
              label={t(text.reference)}
              rules={[{ required: true, whitespace: true, message: t(text.required) }]}
            >
              <Input maxLength={200} data-testid="assisted-reference" />
            </Form.Item>
          </div>
        </Card>
        <Button
          type="primary"
          size="large"
          htmlType="submit"
          icon={<FormOutlined />}
          loading={create.busy}
          data-testid="assisted-start"
        >
          {t(text.start)}
        </Button>
      </Form>
    </div>
  );
}
