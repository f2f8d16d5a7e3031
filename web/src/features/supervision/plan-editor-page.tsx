import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireRole } from '../applications/require-role';
import type { PlanInput, RiskLevel } from './api';
import { createPlan } from './api';
import type { Directory } from './directory';
import { useDirectory } from './directory';
import { ProblemAlert } from './draw-view';
import { INDUSTRY_SECTIONS, RISK_LABELS } from './labels';
import { PLANNER_ROLES, plansText } from './plans-page';
import './supervision.css';

const TIERS = ['A', 'B', 'C', 'D'] as const;

const text = {
  intro: {
    zh: '选择本部门的检查事项和抽查范围，按信用等级设定抽查比例（信用越差，比例越高）。保存后在计划页锁定参数、公布种子哈希，再进行抽取。',
    en: "Choose your department's items and the scope, with a ratio per credit grade (the worse the credit, the higher). After saving, freeze the inputs and publish the seed hash on the plan's page, then draw.",
  },
  title: { zh: '计划名称', en: 'Title' },
  titlePlaceholder: {
    zh: '如：2026 年经开区食品经营者双随机抽查',
    en: 'e.g. Food businesses 2026',
  },
  items: { zh: '检查事项', en: 'Inspection items' },
  itemsHint: {
    zh: '重点事项可全覆盖，一般事项抽查比例有上限。',
    en: 'Key items may cover everyone; general items have a sampling limit.',
  },
  keyItem: { zh: '重点', en: 'key' },
  generalItem: { zh: '一般 · 上限 {limit}%', en: 'general · at most {limit}%' },
  region: { zh: '抽查区域', en: 'Region' },
  filterRegions: { zh: '限定区县/功能区', en: 'Only these districts or zones' },
  filterIndustries: { zh: '限定行业', en: 'Only these industries' },
  filterRisks: { zh: '限定风险等级', en: 'Only these risk levels' },
  any: { zh: '不限', en: 'Any' },
  ratios: { zh: '各信用等级抽查比例', en: 'Ratio per credit grade' },
  ratiosHint: {
    zh: '每级抽取 ⌈比例 × 对象数⌉ 户；100% 即全部抽取。',
    en: 'Each grade draws ⌈ratio × population⌉; 100% draws everyone.',
  },
  perTarget: { zh: '每户检查人员（≥ 2）', en: 'Inspectors per target (≥ 2)' },
  maxTasks: { zh: '每人任务上限（可选）', en: 'Most tasks per inspector (optional)' },
  period: { zh: '检查期', en: 'Inspection period' },
  save: { zh: '保存计划', en: 'Save the plan' },
  cancel: { zh: '取消', en: 'Cancel' },
  required: { zh: '请填写{field}', en: '{field} is required' },
} satisfies Record<string, Text>;

interface Values {
  title: string;
  itemCodes: string[];
  regionCode: string;
  regions: string[];
  industries: string[];
  riskLevels: RiskLevel[];
  A: number;
  B: number;
  C: number;
  D: number;
  inspectorsPerTarget: number;
  maxTasksPerInspector?: number | null;
  period: [Dayjs, Dayjs];
}

/** Regions at or under `root` (all for null), in directory order. */
function regionsUnder(directory: Directory, root: string | null) {
  if (root === null) return directory.regions;
  const inside = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of directory.regions)
      if (r.parentCode && inside.has(r.parentCode) && !inside.has(r.code)) {
        inside.add(r.code);
        grew = true;
      }
  }
  return directory.regions.filter((r) => inside.has(r.code));
}

/** `/workbench/supervision/plans/new`: 新建抽查计划. */
export function PlanEditorPage() {
  return (
    <RequireRole roles={PLANNER_ROLES}>
      <PlanEditor />
    </RequireRole>
  );
}

function PlanEditor() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const directory = useDirectory();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(plansText.create);

  const department = directory?.departments.find((d) => d.id === user?.departmentId)?.code;
  const admin = user?.role === 'admin';
  const items = useMemo(
    () =>
      (directory?.items ?? []).filter(
        (i) => admin || !department || i.departmentCode === department,
      ),
    [directory, admin, department],
  );
  const regions = useMemo(
    () => (directory ? regionsUnder(directory, admin ? null : (user?.regionCode ?? null)) : []),
    [directory, admin, user?.regionCode],
  );
  const regionOptions = regions.map((r) => ({ value: r.code, label: `${t(r.name)} ${r.code}` }));

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    const input: PlanInput = {
      title: values.title.trim(),
      itemCodes: values.itemCodes,
      regionCode: values.regionCode,
      filters: {
        ...(values.regions.length ? { regions: values.regions } : {}),
        ...(values.industries.length ? { industries: values.industries } : {}),
        ...(values.riskLevels.length ? { riskLevels: values.riskLevels } : {}),
      },
      tierRatios: {
        A: values.A / 100,
        B: values.B / 100,
        C: values.C / 100,
        D: values.D / 100,
      },
      inspectorsPerTarget: values.inspectorsPerTarget,
      ...(values.maxTasksPerInspector ? { maxTasksPerInspector: values.maxTasksPerInspector } : {}),
      startsOn: values.period[0].format('YYYY-MM-DD'),
      endsOn: values.period[1].format('YYYY-MM-DD'),
    };
    try {
      const plan = await createPlan(input, lang);
      navigate(`/workbench/supervision/plans/${plan.id}`);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const required = (field: Text) => [
    { required: true, message: t(text.required, { field: t(field) }) },
  ];
  return (
    <div data-testid="plan-editor">
      <Breadcrumb
        className="ot-block"
        items={[
          { title: <Link to="/workbench/supervision/plans">{t(plansText.title)}</Link> },
          { title: t(plansText.create) },
        ]}
      />
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(plansText.create)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <Card className="ot-sv-form-card">
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            regionCode: user?.regionCode,
            regions: [],
            industries: [],
            riskLevels: [],
            itemCodes: [],
            A: 3,
            B: 5,
            C: 10,
            D: 20,
            inspectorsPerTarget: 2,
            period: [dayjs(), dayjs().add(30, 'day')],
          }}
        >
          <Form.Item name="title" label={t(text.title)} rules={required(text.title)}>
            <Input
              maxLength={200}
              placeholder={t(text.titlePlaceholder)}
              data-testid="plan-title"
            />
          </Form.Item>
          <Form.Item
            name="itemCodes"
            label={t(text.items)}
            extra={t(text.itemsHint)}
            rules={required(text.items)}
          >
            <Checkbox.Group className="ot-sv-checks">
              {items.map((item) => {
                const limit = Math.round(Number(item.maxRatio) * 1000) / 10;
                return (
                  <Checkbox
                    key={item.code}
                    value={item.code}
                    data-testid={`plan-item-${item.code}`}
                  >
                    {t(item.name)}{' '}
                    <span className="ot-muted">
                      {item.kind === 'key' ? t(text.keyItem) : t(text.generalItem, { limit })}
                    </span>
                  </Checkbox>
                );
              })}
            </Checkbox.Group>
          </Form.Item>
          <div className="ot-sv-form-row">
            <Form.Item name="regionCode" label={t(text.region)} rules={required(text.region)}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={regionOptions}
                data-testid="plan-region"
              />
            </Form.Item>
            <Form.Item name="regions" label={t(text.filterRegions)}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t(text.any)}
                showSearch={{ optionFilterProp: 'label' }}
                options={regionOptions}
                data-testid="plan-filter-regions"
              />
            </Form.Item>
          </div>
          <div className="ot-sv-form-row">
            <Form.Item name="industries" label={t(text.filterIndustries)}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t(text.any)}
                showSearch={{ optionFilterProp: 'label' }}
                options={Object.entries(INDUSTRY_SECTIONS).map(([code, name]) => ({
                  value: code,
                  label: `${code} ${t(name)}`,
                }))}
              />
            </Form.Item>
            <Form.Item name="riskLevels" label={t(text.filterRisks)}>
              <Checkbox.Group
                options={(Object.keys(RISK_LABELS) as RiskLevel[]).map((r) => ({
                  value: r,
                  label: t(RISK_LABELS[r]),
                }))}
              />
            </Form.Item>
          </div>
          <Form.Item label={t(text.ratios)} extra={t(text.ratiosHint)} required>
            <Space wrap>
              {TIERS.map((tier) => (
                <Form.Item key={tier} name={tier} noStyle rules={[{ required: true }]}>
                  <InputNumber
                    min={0}
                    max={100}
                    step={5}
                    prefix={`${tier}`}
                    suffix="%"
                    className="ot-sv-ratio"
                    data-testid={`plan-ratio-${tier}`}
                  />
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
          <div className="ot-sv-form-row">
            <Form.Item name="inspectorsPerTarget" label={t(text.perTarget)}>
              <InputNumber min={2} max={5} data-testid="plan-per-target" />
            </Form.Item>
            <Form.Item name="maxTasksPerInspector" label={t(text.maxTasks)}>
              <InputNumber min={1} max={10000} />
            </Form.Item>
            <Form.Item name="period" label={t(text.period)} rules={required(text.period)}>
              <DatePicker.RangePicker allowClear={false} data-testid="plan-period" />
            </Form.Item>
          </div>
          <ProblemAlert error={error} testId="plan-problems" />
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="plan-save">
              {t(text.save)}
            </Button>
            <Button onClick={() => navigate('/workbench/supervision/plans')}>
              {t(text.cancel)}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
