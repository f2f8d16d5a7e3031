import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Segmented,
  Select,
  Skeleton,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireAdmin, ProblemList } from '../catalog/admin-common';
import { useLoad } from '../cases/use-load';
import { fetchDepartments, fetchRegions } from '../hotline/api';
import type { ErrorDetail } from '../platform/api';
import { ApiError, fieldOfPath } from '../platform/api';
import type { Benefit, MatchedSubject, Mode, PolicyInput, PolicyView, Preview, Rule } from './api';
import { fetchPolicy, listMatches, previewRule, savePolicy, setPolicyState } from './api';
import { ExplanationLines } from './explanation';
import {
  FORMULA_ATTRS,
  MODE_LABELS,
  MODES,
  POLICY_STATE_COLORS,
  attrSpec,
  checkRule,
  policyText,
} from './labels';
import { RuleEditor } from './rule-editor';
import './policies.css';

const text = {
  newTitle: { zh: '新建政策', en: 'New policy' },
  back: { zh: '返回政策管理', en: 'Back to policies' },
  edit: { zh: '编辑', en: 'Edit' },
  matchesTab: { zh: '匹配主体', en: 'Matched subjects' },
  basics: { zh: '基本信息', en: 'Basics' },
  code: { zh: '政策编码', en: 'Code' },
  codeHint: {
    zh: '小写字母、数字和连字符，保存后不可修改',
    en: 'lower-case letters, digits and hyphens; fixed once saved',
  },
  nameZh: { zh: '名称（中文）', en: 'Name (Chinese)' },
  nameEn: { zh: '名称（英文）', en: 'Name (English)' },
  summaryZh: { zh: '摘要（中文）', en: 'Summary (Chinese)' },
  summaryEn: { zh: '摘要（英文）', en: 'Summary (English)' },
  departmentCode: { zh: '发布部门', en: 'Issuing department' },
  regionCode: { zh: '适用区划', en: 'Region' },
  sourceDocument: { zh: '政策依据（文件）', en: 'Source document' },
  validFrom: { zh: '生效日期', en: 'Valid from' },
  validUntil: { zh: '截止日期', en: 'Valid until' },
  tags: { zh: '标签', en: 'Tags' },
  mode: { zh: '兑现方式', en: 'Mode' },
  benefit: { zh: '兑现标准', en: 'Benefit' },
  none: { zh: '无', en: 'None' },
  fixed: { zh: '定额', en: 'Fixed amount' },
  formula: { zh: '按公式', en: 'Formula' },
  amount: { zh: '金额（元）', en: 'Amount (yuan)' },
  perMonth: { zh: '按月发放', en: 'per month' },
  formulaAttr: { zh: '依据', en: 'Based on' },
  rate: { zh: '单价（元）', en: 'Rate (yuan)' },
  min: { zh: '下限（元）', en: 'Minimum (yuan)' },
  max: { zh: '上限（元）', en: 'Maximum (yuan)' },
  payWorkingDays: { zh: '兑现时限（工作日）', en: 'Pay within (working days)' },
  recheckDays: { zh: '静默认证周期（天）', en: 'Re-check every (days)' },
  applyLink: { zh: '办理入口', en: 'Link to apply' },
  rule: { zh: '适用条件', en: 'Eligibility rule' },
  preview: { zh: '实时预览', en: 'Live preview' },
  previewCount: {
    zh: '匹配 {matched} 个主体 / 共 {subjects} · 差一项 {near}',
    en: '{matched} of {subjects} subjects match · {near} miss by one',
  },
  previewTook: { zh: '用时 {ms} 毫秒', en: 'took {ms} ms' },
  sample: { zh: '符合的主体（示例）', en: 'Matching subjects (sample)' },
  nearSample: { zh: '差一项的主体（示例）', en: 'Missing by one (sample)' },
  noneSample: { zh: '无', en: 'None' },
  ruleProblems: { zh: '规则有误，预览暂停', en: 'The rule has problems; preview paused' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存', en: 'Saved' },
  publish: { zh: '发布', en: 'Publish' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  publishTitle: { zh: '发布「{name}」？', en: 'Publish "{name}"?' },
  publishBody: {
    zh: '发布后立即与全部主体档案比对；免申即享政策将为符合条件的主体生成兑现，推送给相关部门。',
    en: 'Publishing matches every dossier at once; a policy granted without applying creates grants for everyone eligible and sends them to the department.',
  },
  withdrawTitle: { zh: '撤回「{name}」？', en: 'Withdraw "{name}"?' },
  withdrawBody: {
    zh: '撤回后不再向主体推荐，匹配结果清除；已生成的兑现不受影响。',
    en: 'It is no longer recommended and its matches go; grants already made stand.',
  },
  cancel: { zh: '取消', en: 'Cancel' },
  published: {
    zh: '已发布：匹配 {matched} 个主体，差一项 {near} 个',
    en: 'Published: {matched} subjects match, {near} miss by one',
  },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  problems: { zh: '请修改以下内容', en: 'Please fix the following' },
  required: { zh: '请填写{field}', en: 'Enter {field}' },
  notFound: { zh: '没有找到该政策', en: 'No such policy' },
  matchedSwitch: { zh: '符合', en: 'Matched' },
  nearSwitch: { zh: '差一项', en: 'Missing by one' },
  matchTotal: { zh: '共 {total} 个', en: '{total} in all' },
  name: { zh: '名称', en: 'Name' },
  identifier: { zh: '证件号码', en: 'Identifier' },
  region: { zh: '区划', en: 'Region' },
  why: { zh: '原因', en: 'Why' },
  noMatches: { zh: '暂无', en: 'None' },
} satisfies Record<string, Text>;

/** The form's fields (texts split by language, benefit by kind). */
interface PolicyForm {
  code: string;
  nameZh: string;
  nameEn: string;
  summaryZh: string;
  summaryEn: string;
  departmentCode: string;
  regionCode: string;
  sourceDocument: string;
  validFrom: string;
  validUntil?: string;
  tags: string[];
  mode: Mode;
  benefitKind: 'none' | 'fixed' | 'formula';
  amount?: number;
  perMonth?: boolean;
  formulaAttr?: (typeof FORMULA_ATTRS)[number];
  rate?: number;
  min?: number | null;
  max?: number | null;
  payWorkingDays?: number;
  recheckDays?: number | null;
  applyLink?: string;
}

const START_RULE: Rule = {
  all: [{ attr: 'kind', op: 'eq', value: 'enterprise' }],
};

function toForm(policy: PolicyView | null): PolicyForm {
  if (!policy)
    return {
      code: '',
      nameZh: '',
      nameEn: '',
      summaryZh: '',
      summaryEn: '',
      departmentCode: '',
      regionCode: '371000',
      sourceDocument: '',
      validFrom: new Date().toISOString().slice(0, 10),
      tags: [],
      mode: 'automatic',
      benefitKind: 'fixed',
      payWorkingDays: 10,
    };
  const b = policy.benefit;
  return {
    code: policy.code,
    nameZh: policy.name.zh,
    nameEn: policy.name.en,
    summaryZh: policy.summary.zh,
    summaryEn: policy.summary.en,
    departmentCode: policy.departmentCode,
    regionCode: policy.regionCode,
    sourceDocument: policy.sourceDocument,
    validFrom: policy.validFrom,
    validUntil: policy.validUntil ?? undefined,
    tags: policy.tags,
    mode: policy.mode,
    benefitKind: b ? b.kind : 'none',
    amount: b?.kind === 'fixed' ? b.amount : undefined,
    perMonth: b?.kind === 'fixed' && b.per === 'month',
    formulaAttr: b?.kind === 'formula' ? b.attr : undefined,
    rate: b?.kind === 'formula' ? b.rate : undefined,
    min: b?.kind === 'formula' ? b.min : undefined,
    max: b?.kind === 'formula' ? b.max : undefined,
    payWorkingDays: policy.payWorkingDays,
    recheckDays: policy.recheckDays,
    applyLink: policy.applyLink ?? undefined,
  };
}

function benefitOf(v: PolicyForm): Benefit | null {
  if (v.benefitKind === 'fixed')
    return {
      kind: 'fixed',
      amount: v.amount ?? 0,
      ...(v.perMonth ? { per: 'month' as const } : {}),
    };
  if (v.benefitKind === 'formula')
    return {
      kind: 'formula',
      attr: v.formulaAttr ?? 'employees',
      rate: v.rate ?? 0,
      ...(v.min !== undefined && v.min !== null ? { min: v.min } : {}),
      ...(v.max !== undefined && v.max !== null ? { max: v.max } : {}),
    };
  return null;
}

function toInput(v: PolicyForm, rule: Rule): PolicyInput {
  return {
    code: v.code.trim(),
    name: { zh: v.nameZh.trim(), en: (v.nameEn ?? '').trim() },
    summary: { zh: v.summaryZh.trim(), en: (v.summaryEn ?? '').trim() },
    departmentCode: v.departmentCode,
    regionCode: v.regionCode,
    sourceDocument: v.sourceDocument.trim(),
    validFrom: v.validFrom,
    validUntil: v.validUntil || null,
    tags: v.tags ?? [],
    mode: v.mode,
    benefit: benefitOf(v),
    payWorkingDays: v.payWorkingDays ?? 10,
    recheckDays: v.mode === 'silent' ? (v.recheckDays ?? null) : null,
    applyLink: v.applyLink?.trim() || null,
    // the schema's static type of a cyclic rule is looser than Rule; they are the same language
    rule: rule as PolicyInput['rule'],
  };
}

/** The form field a server path names (`body.name.zh` → nameZh), if the form has it. */
function formFieldOf(path: string): keyof PolicyForm | null {
  const field = fieldOfPath(path);
  const map: Record<string, keyof PolicyForm> = {
    'name.zh': 'nameZh',
    'name.en': 'nameEn',
    'summary.zh': 'summaryZh',
    'summary.en': 'summaryEn',
    'benefit.amount': 'amount',
    'benefit.rate': 'rate',
    'benefit.max': 'max',
    'benefit.min': 'min',
    benefit: 'benefitKind',
  };
  if (map[field]) return map[field]!;
  const known = [
    'code',
    'departmentCode',
    'regionCode',
    'sourceDocument',
    'validFrom',
    'validUntil',
    'tags',
    'mode',
    'payWorkingDays',
    'recheckDays',
    'applyLink',
  ];
  return known.includes(field) ? (field as keyof PolicyForm) : null;
}

/** `/workbench/policies/new` and `/workbench/policies/:code`: the policy editor. */
export function PolicyEditorPage() {
  return (
    <RequireAdmin>
      <PolicyEditor />
    </RequireAdmin>
  );
}

function PolicyEditor() {
  const { code } = useParams();
  const { state } = useLoad(code ?? 'new', (lang, signal) =>
    code ? fetchPolicy(code, lang, signal) : Promise.resolve(null),
  );
  const { t } = useI18n();
  if (state.status === 'error' && state.value === undefined)
    return (
      <Result
        status={state.httpStatus === 404 ? '404' : 'error'}
        title={state.httpStatus === 404 ? t(text.notFound) : state.message}
        extra={<Link to="/workbench/policies">{t(text.back)}</Link>}
      />
    );
  // wait for the policy the address names (after saving a new one, the address changes first)
  if (state.value === undefined || (code && state.value?.code !== code)) return <Skeleton active />;
  // a fresh editor per policy, so its form starts from what was loaded
  return <EditorBody key={code ?? 'new'} loaded={state.value} />;
}

function EditorBody({ loaded }: { loaded: PolicyView | null }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<PolicyForm>();
  const [policy, setPolicy] = useState<PolicyView | null>(loaded);
  const [rule, setRule] = useState<Rule>(loaded?.rule ?? START_RULE);
  const [problems, setProblems] = useState<ErrorDetail[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState('edit');
  useDocumentTitle(policy ? policy.name : text.newTitle);
  const departments = useLoad('departments', (l, s) => fetchDepartments(l, s)).state.value;
  const regions = useLoad('regions', (l, s) => fetchRegions(l, s)).state.value;
  const mode = Form.useWatch('mode', form);
  const benefitKind = Form.useWatch('benefitKind', form);
  const initial = useMemo(() => toForm(loaded), [loaded]);

  /** Saves the form; resolves with the saved policy, or null when it was refused. */
  async function save(): Promise<PolicyView | null> {
    let values: PolicyForm;
    try {
      values = await form.validateFields();
    } catch {
      return null;
    }
    setBusy('save');
    setProblems([]);
    try {
      const saved = await savePolicy(toInput(values, rule), policy ? policy.version : null, lang);
      setPolicy(saved);
      void message.success(t(text.saved));
      if (!policy) navigate(`/workbench/policies/${saved.code}`, { replace: true });
      return saved;
    } catch (failure) {
      showFailure(failure);
      return null;
    } finally {
      setBusy(null);
    }
  }

  function showFailure(failure: unknown) {
    if (failure instanceof ApiError) {
      const details = failure.details.length
        ? failure.details
        : [{ path: '', rule: failure.code, message: failure.message }];
      setProblems(details);
      form.setFields(
        failure.details.flatMap((d) => {
          const name = formFieldOf(d.path);
          return name ? [{ name, errors: [d.message] }] : [];
        }),
      );
    } else setProblems([{ path: '', rule: 'client', message: String(failure) }]);
  }

  function confirmState(action: 'publish' | 'withdraw') {
    const name = policy ? t(policy.name) : '';
    modal.confirm({
      title: t(action === 'publish' ? text.publishTitle : text.withdrawTitle, { name }),
      content: t(action === 'publish' ? text.publishBody : text.withdrawBody),
      okText: t(action === 'publish' ? text.publish : text.withdraw),
      okButtonProps: { danger: action === 'withdraw' },
      cancelText: t(text.cancel),
      onOk: async () => {
        const current = form.isFieldsTouched() ? await save() : policy;
        if (!current) return;
        setBusy(action);
        try {
          const next = await setPolicyState(current.code, action, lang);
          setPolicy(next);
          setNotice(
            action === 'publish'
              ? t(text.published, { matched: next.matched, near: next.nearMisses })
              : t(text.withdrawn),
          );
        } catch (failure) {
          showFailure(failure);
        } finally {
          setBusy(null);
        }
      },
    });
  }

  const required = (label: Text) => [
    { required: true, whitespace: true, message: t(text.required, { field: t(label) }) },
  ];
  const ruleProblems = problems.filter((p) => fieldOfPath(p.path).startsWith('rule'));
  const otherProblems = problems.filter((p) => !fieldOfPath(p.path).startsWith('rule'));

  const editor = (
    <div className="ot-pol-editor">
      <Form<PolicyForm>
        form={form}
        layout="vertical"
        initialValues={initial}
        className="ot-pol-form"
        data-testid="policy-form"
      >
        <Card title={t(text.basics)} className="ot-block" size="small">
          <div className="ot-pol-form-grid">
            <Form.Item
              name="code"
              label={t(text.code)}
              extra={!policy ? t(text.codeHint) : undefined}
              rules={[
                ...required(text.code),
                { pattern: /^[a-z0-9][a-z0-9-]{1,62}$/, message: t(text.codeHint) },
              ]}
            >
              <Input disabled={!!policy} data-testid="policy-code" />
            </Form.Item>
            <Form.Item name="mode" label={t(text.mode)} rules={required(text.mode)}>
              <Radio.Group
                optionType="button"
                options={MODES.map((m) => ({ value: m, label: t(MODE_LABELS[m]) }))}
              />
            </Form.Item>
            <Form.Item name="nameZh" label={t(text.nameZh)} rules={required(text.nameZh)}>
              <Input maxLength={200} data-testid="policy-name-zh" />
            </Form.Item>
            <Form.Item name="nameEn" label={t(text.nameEn)}>
              <Input maxLength={200} data-testid="policy-name-en" />
            </Form.Item>
            <Form.Item
              name="summaryZh"
              label={t(text.summaryZh)}
              rules={required(text.summaryZh)}
              className="ot-pol-span"
            >
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 5 }}
                maxLength={2000}
                data-testid="policy-summary-zh"
              />
            </Form.Item>
            <Form.Item name="summaryEn" label={t(text.summaryEn)} className="ot-pol-span">
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 5 }} maxLength={2000} />
            </Form.Item>
            <Form.Item
              name="departmentCode"
              label={t(text.departmentCode)}
              rules={required(text.departmentCode)}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={(departments ?? []).map((d) => ({
                  value: d.code,
                  label: t({ zh: d.nameZh, en: d.nameEn }),
                }))}
                data-testid="policy-department"
              />
            </Form.Item>
            <Form.Item
              name="regionCode"
              label={t(text.regionCode)}
              rules={required(text.regionCode)}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={(regions ?? []).map((r) => ({
                  value: r.code,
                  label: `${t({ zh: r.nameZh, en: r.nameEn })} ${r.code}`,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="sourceDocument"
              label={t(text.sourceDocument)}
              rules={required(text.sourceDocument)}
              className="ot-pol-span"
            >
              <Input maxLength={300} data-testid="policy-source" />
            </Form.Item>
            <Form.Item name="validFrom" label={t(text.validFrom)} rules={required(text.validFrom)}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="validUntil" label={t(text.validUntil)}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="tags" label={t(text.tags)} className="ot-pol-span">
              <Select mode="tags" open={false} suffixIcon={null} />
            </Form.Item>
          </div>
        </Card>
        <Card title={t(text.benefit)} className="ot-block" size="small">
          <div className="ot-pol-form-grid">
            <Form.Item name="benefitKind" label={t(text.benefit)} className="ot-pol-span">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'none', label: t(text.none) },
                  { value: 'fixed', label: t(text.fixed) },
                  { value: 'formula', label: t(text.formula) },
                ]}
              />
            </Form.Item>
            {benefitKind === 'fixed' && (
              <>
                <Form.Item
                  name="amount"
                  label={t(text.amount)}
                  rules={[{ required: true, message: t(text.required, { field: t(text.amount) }) }]}
                >
                  <InputNumber
                    min={0}
                    max={100_000_000}
                    className="ot-pol-number"
                    data-testid="policy-amount"
                  />
                </Form.Item>
                <Form.Item name="perMonth" valuePropName="checked" label=" ">
                  <Checkbox>{t(text.perMonth)}</Checkbox>
                </Form.Item>
              </>
            )}
            {benefitKind === 'formula' && (
              <>
                <Form.Item name="formulaAttr" label={t(text.formulaAttr)} initialValue="employees">
                  <Select
                    options={FORMULA_ATTRS.map((a) => ({ value: a, label: t(attrSpec(a).label) }))}
                  />
                </Form.Item>
                <Form.Item
                  name="rate"
                  label={t(text.rate)}
                  rules={[{ required: true, message: t(text.required, { field: t(text.rate) }) }]}
                >
                  <InputNumber min={0} className="ot-pol-number" />
                </Form.Item>
                <Form.Item name="min" label={t(text.min)}>
                  <InputNumber min={0} className="ot-pol-number" />
                </Form.Item>
                <Form.Item name="max" label={t(text.max)}>
                  <InputNumber min={0} className="ot-pol-number" />
                </Form.Item>
              </>
            )}
            <Form.Item name="payWorkingDays" label={t(text.payWorkingDays)}>
              <InputNumber min={1} max={60} precision={0} className="ot-pol-number" />
            </Form.Item>
            {mode === 'silent' && (
              <Form.Item
                name="recheckDays"
                label={t(text.recheckDays)}
                rules={[
                  { required: true, message: t(text.required, { field: t(text.recheckDays) }) },
                ]}
              >
                <InputNumber min={1} max={366} precision={0} className="ot-pol-number" />
              </Form.Item>
            )}
            {mode === 'apply' && (
              <Form.Item
                name="applyLink"
                label={t(text.applyLink)}
                rules={required(text.applyLink)}
              >
                <Input placeholder="/services/…" />
              </Form.Item>
            )}
          </div>
        </Card>
      </Form>
      <div className="ot-pol-rule-grid">
        <Card title={t(text.rule)} size="small" className="ot-block" data-testid="rule-editor">
          {ruleProblems.length > 0 && (
            <Alert
              type="error"
              showIcon
              className="ot-block"
              title={t(text.problems)}
              description={<ProblemList details={ruleProblems} />}
            />
          )}
          <RuleEditor
            rule={rule}
            onChange={setRule}
            badPaths={ruleProblems.map((p) => fieldOfPath(p.path))}
          />
        </Card>
        <LivePreview rule={rule} />
      </div>
    </div>
  );

  return (
    <div data-testid="policy-editor" data-state={policy?.state ?? 'new'}>
      <Link to="/workbench/policies" className="ot-pol-back">
        <ArrowLeftOutlined /> {t(text.back)}
      </Link>
      <div className="ot-workbench-title ot-pol-editor-title">
        <Typography.Title level={2}>{policy ? t(policy.name) : t(text.newTitle)}</Typography.Title>
        {policy && (
          <Tag
            color={POLICY_STATE_COLORS[policy.state]}
            data-testid="policy-state"
            data-state={policy.state}
          >
            {t(policy.stateName)}
          </Tag>
        )}
        <span className="ot-catalog-toolbar-spacer" />
        <Space wrap>
          <Button
            type="primary"
            onClick={() => void save()}
            loading={busy === 'save'}
            data-testid="policy-save"
          >
            {t(text.save)}
          </Button>
          {/* Not on the editor of a new policy: saving it moves to the policy's address, where a
              fresh editor loads it; publishing from the one being left (a click in between on a
              slow machine) would act on a form that is gone and leave the new editor at draft. */}
          {loaded && policy && policy.state !== 'published' && (
            <Button
              onClick={() => confirmState('publish')}
              loading={busy === 'publish'}
              data-testid="policy-publish"
            >
              {t(text.publish)}
            </Button>
          )}
          {policy?.state === 'published' && (
            <Button
              danger
              onClick={() => confirmState('withdraw')}
              loading={busy === 'withdraw'}
              data-testid="policy-withdraw"
            >
              {t(text.withdraw)}
            </Button>
          )}
        </Space>
      </div>
      {notice && (
        <Alert
          type="success"
          showIcon
          closable
          className="ot-block"
          title={notice}
          data-testid="policy-notice"
          onClose={() => setNotice(null)}
        />
      )}
      {otherProblems.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(text.problems)}
          description={<ProblemList details={otherProblems} />}
          data-testid="policy-problems"
        />
      )}
      {policy?.state === 'published' ? (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'edit', label: t(text.edit), children: editor, forceRender: true },
            {
              key: 'matches',
              label: <span data-testid="policy-matches-tab">{t(text.matchesTab)}</span>,
              children: <Matches policy={policy} />,
            },
          ]}
        />
      ) : (
        editor
      )}
    </div>
  );
}

/** The live preview beside the rule: checked here first, then asked of the server, debounced. */
function LivePreview({ rule }: { rule: Rule }) {
  const { t, lang } = useI18n();
  // the preview and the rule it was worked out for
  const [preview, setPreview] = useState<(Preview & { key: string }) | null>(null);
  const [problems, setProblems] = useState<ErrorDetail[]>([]);
  const [loading, setLoading] = useState(false);
  const key = JSON.stringify(rule);
  const last = useRef<AbortController | null>(null);
  useEffect(() => {
    const local = checkRule(rule);
    if (local.length > 0) {
      setProblems(local.map((p) => ({ path: p.path, rule: p.rule, message: t(p.message) })));
      return;
    }
    const timer = window.setTimeout(() => {
      last.current?.abort();
      const controller = new AbortController();
      last.current = controller;
      setLoading(true);
      previewRule(rule, lang, controller.signal).then(
        (value) => {
          setPreview({ ...value, key });
          setProblems([]);
          setLoading(false);
        },
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          setLoading(false);
          setProblems(
            failure instanceof ApiError && failure.details.length
              ? failure.details
              : [
                  {
                    path: '',
                    rule: 'error',
                    message: failure instanceof Error ? failure.message : String(failure),
                  },
                ],
          );
        },
      );
    }, 400);
    return () => window.clearTimeout(timer);
  }, [key, lang]);

  return (
    <Card
      title={
        <span>
          {t(text.preview)} {loading && <Spin size="small" />}
        </span>
      }
      size="small"
      className="ot-block ot-pol-preview"
      data-testid="policy-preview"
    >
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="ot-block"
          title={t(text.ruleProblems)}
          description={<ProblemList details={problems} />}
          data-testid="preview-problems"
        />
      )}
      {preview && (
        <>
          <div
            className="ot-pol-preview-count"
            data-testid="preview-count"
            data-matched={preview.matched}
            data-near={preview.nearMisses}
            data-current={preview.key === key && problems.length === 0}
          >
            {t(text.previewCount, {
              matched: preview.matched,
              subjects: preview.subjects,
              near: preview.nearMisses,
            })}
          </div>
          <div className="ot-muted">{t(text.previewTook, { ms: preview.tookMs })}</div>
          <SampleList title={text.sample} subjects={preview.sample} testId="preview-sample" />
          <SampleList
            title={text.nearSample}
            subjects={preview.nearMissSample}
            testId="preview-near"
          />
        </>
      )}
      {!preview && problems.length === 0 && <Skeleton active />}
    </Card>
  );
}

function SampleList({
  title,
  subjects,
  testId,
}: {
  title: Text;
  subjects: MatchedSubject[];
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <div className="ot-pol-sample" data-testid={testId}>
      <Typography.Title level={5}>{t(title)}</Typography.Title>
      {subjects.length === 0 ? (
        <div className="ot-muted">{t(text.noneSample)}</div>
      ) : (
        subjects.map((s) => (
          <div key={s.subjectId} className="ot-pol-sample-item">
            <div>
              <strong>{s.name}</strong> <span className="ot-muted ot-pol-id">{s.identifier}</span>
            </div>
            <ExplanationLines explanation={s.explanation} />
          </div>
        ))
      )}
    </div>
  );
}

/** Who meets a published policy (or misses by one), with the stored reasons. */
function Matches({ policy }: { policy: PolicyView }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<'matched' | 'near_miss'>('matched');
  const [page, setPage] = useState(1);
  const size = 20;
  const query = { status, limit: size, offset: (page - 1) * size };
  const { state } = useLoad(
    `${policy.code}:${policy.version}:${JSON.stringify(query)}`,
    (lang, signal) => listMatches(policy.code, query, lang, signal),
  );
  return (
    <div data-testid="policy-matches">
      <Segmented
        value={status}
        onChange={(value) => {
          setStatus(value as 'matched' | 'near_miss');
          setPage(1);
        }}
        options={[
          { value: 'matched', label: `${t(text.matchedSwitch)} ${policy.matched}` },
          { value: 'near_miss', label: `${t(text.nearSwitch)} ${policy.nearMisses}` },
        ]}
        className="ot-block"
      />
      {state.status === 'error' && (
        <Alert type="error" showIcon title={t(policyText.loadFailed, { message: state.message })} />
      )}
      <Table
        rowKey="subjectId"
        size="small"
        loading={state.status === 'loading'}
        dataSource={state.value?.items ?? []}
        locale={{
          emptyText: <Empty description={t(text.noMatches)} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        columns={[
          { key: 'name', title: t(text.name), render: (_, m) => <strong>{m.name}</strong> },
          {
            key: 'identifier',
            title: t(text.identifier),
            dataIndex: 'identifier',
            responsive: ['lg'],
          },
          { key: 'region', title: t(text.region), dataIndex: 'regionCode', responsive: ['md'] },
          {
            key: 'why',
            title: t(text.why),
            render: (_, m) => <span className="ot-pol-summary">{t(m.summary)}</span>,
          },
        ]}
        pagination={{
          current: page,
          pageSize: size,
          total: state.value?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t(text.matchTotal, { total }),
          onChange: setPage,
        }}
      />
    </div>
  );
}
