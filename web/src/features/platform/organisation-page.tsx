import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { TableColumnsType, TreeDataNode } from 'antd';
import type { Rule } from 'antd/es/form';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Lang, Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireRole } from '../applications/require-role';
import { ApiError } from './api';
import {
  createDepartment,
  createRegion,
  fetchDepartments,
  fetchRegions,
  renameDepartment,
  type Department,
  type NewDepartment,
  type NewRegion,
  type Region,
  type RegionLevel,
} from './organisation-api';
import './organisation.css';

// The workbench's directory of regions and departments (区划与部门): administrators see the region
// tree with its functional zones, each region's departments, and add regions, zones and departments.

const text = {
  title: { zh: '区划与部门', en: 'Regions and departments' },
  intro: {
    zh: '区划按 GB/T 2260 行政区划代码逐级排列（省 → 市 → 县区），经济技术开发区、高新区等功能区挂在其所属区划之下。办件、工单和工作日历都按区划归属；部门以统一社会信用代码登记在某一区划。',
    en: 'Regions follow the GB/T 2260 division codes level by level (province → city → district); functional zones such as development and high-tech zones sit under the region they belong to. Cases, tickets and the working-day calendar belong to a region; each department is registered in one region with its unified social credit code.',
  },
  search: { zh: '搜索区划名称或代码', en: 'Search regions by name or code' },
  noMatch: { zh: '没有匹配的区划', en: 'No region matches' },
  addRegion: { zh: '新增区划/功能区', en: 'Add region or zone' },
  addDepartment: { zh: '新增部门', en: 'Add department' },
  facts: { zh: '区划信息', en: 'Region' },
  code: { zh: '代码', en: 'Code' },
  nameZh: { zh: '名称（中文）', en: 'Name (Chinese)' },
  nameEn: { zh: '名称（英文）', en: 'Name (English)' },
  level: { zh: '层级', en: 'Level' },
  standard: { zh: '依据', en: 'Basis' },
  standardYes: { zh: 'GB/T 2260 行政区划', en: 'GB/T 2260 division' },
  standardNo: { zh: '功能区（不在 GB/T 2260 中）', en: 'Functional zone (not in GB/T 2260)' },
  parent: { zh: '上级区划', en: 'Parent region' },
  children: { zh: '下级区划', en: 'Regions below' },
  departments: { zh: '部门（{count}）', en: 'Departments ({count})' },
  noDepartments: { zh: '本区划尚未登记部门', en: 'No department registered in this region' },
  uscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  region: { zh: '所属区划', en: 'Region' },
  kind: { zh: '类型', en: 'Kind' },
  kindStandard: { zh: '行政区划（GB/T 2260）', en: 'Division (GB/T 2260)' },
  kindZone: { zh: '功能区（开发区、高新区等）', en: 'Functional zone (development zone …)' },
  codeHintStandard: {
    zh: '6 位 GB/T 2260 代码，名称须与标准一致',
    en: 'The 6-digit GB/T 2260 code; the name must be the standard one',
  },
  codeHintZone: {
    zh: '自定代码，大写字母、数字和连字符，如 371000-HZ；不能用标准区划代码',
    en: 'A code of its own: capitals, digits and hyphens, e.g. 371000-HZ; not a GB/T 2260 code',
  },
  departmentCodeHint: {
    zh: '小写字母、数字和连字符，如 huancui-lyj；全平台唯一',
    en: 'Lowercase letters, digits and hyphens, e.g. huancui-lyj; unique on the platform',
  },
  usccHint: {
    zh: '18 位，可分组输入；按 GB 32100 校验',
    en: '18 characters, may be typed in groups; checked by GB 32100',
  },
  required: { zh: '请填写{field}', en: 'Give the {field}' },
  codePattern: { zh: '代码格式不符', en: 'The code does not have the right form' },
  save: { zh: '保存', en: 'Save' },
  conflict: { zh: '已存在：{message}', en: 'Already exists: {message}' },
  regionAdded: { zh: '已新增区划 {name}', en: 'Region {name} added' },
  rename: { zh: '更名', en: 'Rename' },
  renameTitle: { zh: '部门更名：{code}', en: 'Rename department {code}' },
  usccTitle: { zh: '补录统一社会信用代码：{code}', en: 'Enter the credit code of {code}' },
  renameNote: {
    zh: '代码、统一社会信用代码和所属区划不变，引用该部门的事项、办件和用户随之显示新名称。',
    en: 'The code, credit code and region stay; items, cases and users that refer to the department show the new name.',
  },
  renamed: { zh: '已更名为 {name}', en: 'Renamed to {name}' },
  usccMissing: { zh: '未登记', en: 'Not entered' },
  enterUscc: { zh: '补录代码', en: 'Enter code' },
  usccMissingNote: {
    zh: '该部门随目录导入时未登记统一社会信用代码，请补录其真实代码；补录前不能签发电子证照。',
    en: 'This department came with the seeded directory without a credit code: enter its real one. Until then it cannot issue e-licences.',
  },
  saved: { zh: '已保存 {name}', en: '{name} saved' },
  actions: { zh: '操作', en: 'Actions' },
  departmentAdded: { zh: '已新增部门 {name}', en: 'Department {name} added' },
} satisfies Record<string, Text>;

const LEVEL_LABELS: Record<RegionLevel, Text> = {
  province: { zh: '省级', en: 'Province' },
  city: { zh: '地市级', en: 'City' },
  county: { zh: '县级', en: 'County / district' },
  zone: { zh: '功能区', en: 'Functional zone' },
};

const REGION_CODE = /^[0-9A-Z][0-9A-Z-]{1,15}$/;
const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9-]{1,62}$/;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `/workbench/organisation`: the region tree, a region's facts and departments, and additions. */
export function OrganisationPage() {
  return (
    <RequireRole roles={['admin']}>
      <Organisation />
    </RequireRole>
  );
}

/** The codes from the root down to a region (its ancestors and itself). */
function lineageOf(byCode: Map<string, Region>, code: string): string[] {
  const lineage: string[] = [];
  for (let r = byCode.get(code); r; r = r.parentCode ? byCode.get(r.parentCode) : undefined) {
    lineage.unshift(r.code);
    if (lineage.length > 16) break; // a cycle would be a data error; never loop on it
  }
  return lineage;
}

function Organisation() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  useDocumentTitle(text.title);
  const [regions, setRegions] = useState<Region[]>([]);
  const [selected, setSelected] = useState(user?.regionCode ?? '371000');
  const [expanded, setExpanded] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  const [departments, setDepartments] = useState<Department[]>([]);
  const [loadingDepartments, setLoadingDepartments] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [newDepartmentId, setNewDepartmentId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'region' | 'department' | null>(null);
  const [renaming, setRenaming] = useState<Department | null>(null);
  // Bumped after an addition, so the lists are read again.
  const [generation, setGeneration] = useState(0);

  const byCode = useMemo(() => new Map(regions.map((r) => [r.code, r])), [regions]);
  const name = (r: Region) => (lang === 'en' ? r.nameEn : r.nameZh);

  useEffect(() => {
    const controller = new AbortController();
    fetchRegions(lang, controller.signal).then(setRegions, (e: unknown) => {
      if (!controller.signal.aborted) setError(errorText(e));
    });
    return () => controller.abort();
  }, [lang, generation]);

  // Open the tree down to the selected region once the regions are known.
  useEffect(() => {
    if (regions.length === 0) return;
    const lineage = lineageOf(byCode, selected);
    setExpanded((keys) => [...new Set([...keys, ...lineage])]);
  }, [regions, selected]);

  useEffect(() => {
    const controller = new AbortController();
    setLoadingDepartments(true);
    fetchDepartments(selected, lang, controller.signal)
      .then(setDepartments)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorText(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoadingDepartments(false);
      });
    return () => controller.abort();
  }, [selected, lang, generation]);

  // The tree: children by parent; a search keeps the matches and the regions above them.
  const needle = query.trim().toLowerCase();
  const visible = useMemo(() => {
    if (!needle) return null;
    const keep = new Set<string>();
    for (const r of regions) {
      const hit = [r.code, r.nameZh, r.nameEn].some((s) => s.toLowerCase().includes(needle));
      if (hit) for (const code of lineageOf(byCode, r.code)) keep.add(code);
    }
    return keep;
  }, [needle, regions, byCode]);

  const treeData = useMemo(() => {
    const children = new Map<string | null, Region[]>();
    for (const r of regions) {
      const parent = r.parentCode && byCode.has(r.parentCode) ? r.parentCode : null;
      if (visible && !visible.has(r.code)) continue;
      children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const build = (parent: string | null): TreeDataNode[] =>
      // GB/T 2260 divisions first, then the functional zones, each in code order.
      (children.get(parent) ?? [])
        .sort((a, b) => Number(!a.standard) - Number(!b.standard) || a.code.localeCompare(b.code))
        .map((r) => ({
          key: r.code,
          title: (
            <span className="ot-org-node" data-testid={`region-${r.code}`}>
              <span>{lang === 'en' ? r.nameEn : r.nameZh}</span>
              <Typography.Text type="secondary" className="ot-org-code">
                {r.code}
              </Typography.Text>
              {!r.standard && (
                <Tag color="geekblue" className="ot-org-zone">
                  {t(LEVEL_LABELS.zone)}
                </Tag>
              )}
            </span>
          ),
          children: build(r.code),
        }));
    return build(null);
  }, [regions, byCode, visible, lang, t]);

  const region = byCode.get(selected);
  const parent = region?.parentCode ? byCode.get(region.parentCode) : undefined;
  const below = regions.filter((r) => r.parentCode === selected);
  const regionOptions = useMemo(
    () =>
      regions.map((r) => ({
        value: r.code,
        label: `${lang === 'en' ? r.nameEn : r.nameZh} (${r.code})`,
      })),
    [regions, lang],
  );

  const columns: TableColumnsType<Department> = [
    { key: 'code', title: t(text.code), dataIndex: 'code', width: 130 },
    {
      key: 'name',
      title: t(text.nameZh),
      render: (_v, d) => (
        <Space orientation="vertical" size={0}>
          <span>{d.nameZh}</span>
          <Typography.Text type="secondary">{d.nameEn}</Typography.Text>
        </Space>
      ),
    },
    {
      key: 'uscc',
      title: t(text.uscc),
      dataIndex: 'uscc',
      width: 180,
      render: (v: string | null, d) =>
        v === null ? (
          <Space size={4}>
            <Tag color="warning">{t(text.usccMissing)}</Tag>
            <Button size="small" type="link" onClick={() => setRenaming(d)}>
              {t(text.enterUscc)}
            </Button>
          </Space>
        ) : (
          <span className="ot-org-uscc">{v}</span>
        ),
    },
    {
      key: 'actions',
      title: t(text.actions),
      width: 72,
      render: (_v, d) => (
        <Button size="small" type="link" onClick={() => setRenaming(d)}>
          {t(text.rename)}
        </Button>
      ),
    },
  ];

  return (
    <div className="ot-organisation">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
        <Space wrap>
          <Button icon={<PlusOutlined />} onClick={() => setDialog('region')}>
            {t(text.addRegion)}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('department')}>
            {t(text.addDepartment)}
          </Button>
        </Space>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} className="ot-block" />}
      <div className="ot-org-layout">
        <Card size="small" className="ot-org-tree" loading={regions.length === 0 && !error}>
          <Input.Search
            allowClear
            placeholder={t(text.search)}
            aria-label={t(text.search)}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className="ot-block"
            data-testid="region-search"
          />
          {treeData.length === 0 ? (
            <Empty description={t(text.noMatch)} />
          ) : (
            <Tree
              blockNode
              showLine
              treeData={treeData}
              selectedKeys={[selected]}
              // While searching every match is open; otherwise the tree keeps what was opened.
              expandedKeys={visible ? [...visible] : expanded}
              onExpand={(keys) => {
                if (!visible) setExpanded(keys.map(String));
              }}
              onSelect={(keys) => {
                if (keys.length > 0) {
                  setSelected(String(keys[0]));
                  setNewDepartmentId(null);
                }
              }}
            />
          )}
        </Card>
        <div className="ot-org-detail">
          {region && (
            <Card
              size="small"
              title={
                <Space>
                  <span data-testid="region-title">{name(region)}</span>
                  {!region.standard && <Tag color="geekblue">{t(LEVEL_LABELS.zone)}</Tag>}
                </Space>
              }
              className="ot-block"
            >
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                data-testid="region-facts"
                items={[
                  { key: 'code', label: t(text.code), children: region.code },
                  { key: 'level', label: t(text.level), children: t(LEVEL_LABELS[region.level]) },
                  { key: 'nameZh', label: t(text.nameZh), children: region.nameZh },
                  { key: 'nameEn', label: t(text.nameEn), children: region.nameEn },
                  {
                    key: 'standard',
                    label: t(text.standard),
                    children: t(region.standard ? text.standardYes : text.standardNo),
                  },
                  {
                    key: 'parent',
                    label: t(text.parent),
                    children: parent ? (
                      <Typography.Link onClick={() => setSelected(parent.code)}>
                        {name(parent)} ({parent.code})
                      </Typography.Link>
                    ) : (
                      '—'
                    ),
                  },
                  {
                    key: 'children',
                    label: t(text.children),
                    span: 'filled',
                    children: below.length
                      ? below.map((r) => name(r)).join(lang === 'en' ? ', ' : '、')
                      : '—',
                  },
                ]}
              />
            </Card>
          )}
          <Card size="small" title={t(text.departments, { count: departments.length })}>
            <Table<Department>
              size="small"
              rowKey="id"
              columns={columns}
              dataSource={departments}
              loading={loadingDepartments}
              pagination={false}
              data-testid="department-table"
              rowClassName={(d) => (d.id === newDepartmentId ? 'ot-org-new' : '')}
              onRow={(d) =>
                ({
                  'data-testid': `department-${d.code}`,
                  'aria-selected': d.id === newDepartmentId,
                }) as React.HTMLAttributes<HTMLElement>
              }
              locale={{ emptyText: <Empty description={t(text.noDepartments)} /> }}
            />
          </Card>
        </div>
      </div>
      {dialog === 'region' && (
        <RegionDialog
          parentCode={selected}
          regionOptions={regionOptions}
          onClose={() => setDialog(null)}
          onCreated={(created) => {
            setDialog(null);
            setQuery('');
            setSelected(created.code);
            setGeneration((g) => g + 1);
          }}
        />
      )}
      {renaming && (
        <RenameDialog
          department={renaming}
          onClose={() => setRenaming(null)}
          onRenamed={(renamed) => {
            setRenaming(null);
            setNewDepartmentId(renamed.id);
            setGeneration((g) => g + 1);
          }}
        />
      )}
      {dialog === 'department' && (
        <DepartmentDialog
          regionCode={selected}
          regionOptions={regionOptions}
          onClose={() => setDialog(null)}
          onCreated={(created) => {
            setDialog(null);
            setQuery('');
            setSelected(created.regionCode);
            setNewDepartmentId(created.id);
            setGeneration((g) => g + 1);
          }}
        />
      )}
    </div>
  );
}

type Required = (field: Text) => Rule;

/**
 * A dialog around one form sent to the server. A refused request shows where it belongs: under
 * each field the server names (422 and 409 details carry `body.<field>`; the fields are the keys
 * of `initialValues`), anything else above the form; a conflict also says so on top.
 */
function FormDialog<V extends object, R extends { nameZh: string; nameEn: string }>({
  title,
  testId,
  name,
  initialValues,
  send,
  done,
  onClose,
  onDone,
  note,
  children,
}: {
  title: string;
  testId: string;
  name: string;
  initialValues: V;
  send: (values: V, lang: Lang) => Promise<R>;
  /** The success message, with the saved record's `{name}`; it may depend on what was sent. */
  done: Text | ((values: V) => Text);
  onClose: () => void;
  onDone: (saved: R) => void;
  note?: ReactNode;
  children: (required: Required) => ReactNode;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  // Untyped: antd's field paths over a generic V do not resolve; the form holds V's keys only.
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; conflict: boolean } | null>(null);

  async function save() {
    let values: V;
    try {
      values = (await form.validateFields()) as V;
    } catch {
      return; // the form shows what is missing under each field
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await send(values, lang);
      const name = lang === 'en' ? saved.nameEn : saved.nameZh;
      message.success(t(typeof done === 'function' ? done(values) : done, { name }));
      onDone(saved);
    } catch (e) {
      const named =
        e instanceof ApiError ? Object.keys(initialValues).filter((f) => e.fieldMessage(f)) : [];
      if (e instanceof ApiError && named.length > 0) {
        form.setFields(named.map((field) => ({ name: field, errors: [e.fieldMessage(field)!] })));
      }
      if (e instanceof ApiError && e.status === 409) {
        setError({ message: t(text.conflict, { message: e.message }), conflict: true });
      } else if (named.length === 0) {
        setError({ message: errorText(e), conflict: false });
      }
    } finally {
      setBusy(false);
    }
  }

  const required: Required = (field) => ({
    required: true,
    whitespace: true,
    message: t(text.required, { field: t(field) }),
  });
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      destroyOnHidden
      okText={t(text.save)}
      onOk={() => void save()}
      confirmLoading={busy}
    >
      <div data-testid={testId}>
        {note}
        {error && (
          <Alert
            type={error.conflict ? 'warning' : 'error'}
            showIcon
            className="ot-block"
            title={error.message}
            data-testid="organisation-dialog-error"
          />
        )}
        <Form form={form} name={name} layout="vertical" initialValues={initialValues}>
          {children(required)}
        </Form>
      </div>
    </Modal>
  );
}

/** The two names every region and department has. */
function NameItems({ required }: { required: Required }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="nameZh" label={t(text.nameZh)} rules={[required(text.nameZh)]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="nameEn" label={t(text.nameEn)} rules={[required(text.nameEn)]}>
        <Input maxLength={100} />
      </Form.Item>
    </>
  );
}

function RegionDialog({
  parentCode,
  regionOptions,
  onClose,
  onCreated,
}: {
  parentCode: string;
  regionOptions: { value: string; label: string }[];
  onClose: () => void;
  onCreated: (region: Region) => void;
}) {
  const { t } = useI18n();
  const initialValues: NewRegion = { zone: true, parentCode, code: '', nameZh: '', nameEn: '' };
  return (
    <FormDialog
      title={t(text.addRegion)}
      testId="region-dialog"
      name="new-region"
      initialValues={initialValues}
      send={createRegion}
      done={text.regionAdded}
      onClose={onClose}
      onDone={onCreated}
    >
      {(required) => (
        <>
          <Form.Item name="zone" label={t(text.kind)}>
            <Radio.Group
              options={[
                { value: true, label: t(text.kindZone) },
                { value: false, label: t(text.kindStandard) },
              ]}
            />
          </Form.Item>
          <Form.Item name="parentCode" label={t(text.parent)} rules={[required(text.parent)]}>
            <Select showSearch optionFilterProp="label" options={regionOptions} />
          </Form.Item>
          <Form.Item noStyle dependencies={['zone']}>
            {({ getFieldValue }) => (
              <Form.Item
                name="code"
                label={t(text.code)}
                extra={t(
                  getFieldValue('zone') === false ? text.codeHintStandard : text.codeHintZone,
                )}
                normalize={(v: string) => v.toUpperCase()}
                rules={[
                  required(text.code),
                  { pattern: REGION_CODE, message: t(text.codePattern) },
                ]}
              >
                <Input maxLength={16} />
              </Form.Item>
            )}
          </Form.Item>
          <NameItems required={required} />
        </>
      )}
    </FormDialog>
  );
}

function DepartmentDialog({
  regionCode,
  regionOptions,
  onClose,
  onCreated,
}: {
  regionCode: string;
  regionOptions: { value: string; label: string }[];
  onClose: () => void;
  onCreated: (department: Department) => void;
}) {
  const { t } = useI18n();
  const initialValues: NewDepartment = { regionCode, code: '', nameZh: '', nameEn: '', uscc: '' };
  return (
    <FormDialog
      title={t(text.addDepartment)}
      testId="department-dialog"
      name="new-department"
      initialValues={initialValues}
      send={createDepartment}
      done={text.departmentAdded}
      onClose={onClose}
      onDone={onCreated}
    >
      {(required) => (
        <>
          <Form.Item name="regionCode" label={t(text.region)} rules={[required(text.region)]}>
            <Select showSearch optionFilterProp="label" options={regionOptions} />
          </Form.Item>
          <Form.Item
            name="code"
            label={t(text.code)}
            extra={t(text.departmentCodeHint)}
            rules={[
              required(text.code),
              { pattern: DEPARTMENT_CODE, message: t(text.codePattern) },
            ]}
          >
            <Input maxLength={63} />
          </Form.Item>
          <NameItems required={required} />
          <Form.Item
            name="uscc"
            label={t(text.uscc)}
            extra={t(text.usccHint)}
            rules={[required(text.uscc)]}
          >
            <Input maxLength={32} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

function RenameDialog({
  department,
  onClose,
  onRenamed,
}: {
  department: Department;
  onClose: () => void;
  onRenamed: (department: Department) => void;
}) {
  const { t } = useI18n();
  // A department seeded without demo data has no credit code yet: it is entered here, once.
  const withoutUscc = department.uscc === null;
  const names: { nameZh: string; nameEn: string; uscc?: string } = {
    nameZh: department.nameZh,
    nameEn: department.nameEn,
  };
  return (
    <FormDialog
      title={t(withoutUscc ? text.usccTitle : text.renameTitle, { code: department.code })}
      testId="rename-dialog"
      name="rename-department"
      initialValues={withoutUscc ? { ...names, uscc: '' } : names}
      send={({ uscc, ...changed }, lang) =>
        renameDepartment(
          department.code,
          { ...changed, ...(uscc?.trim() ? { uscc: uscc.trim() } : {}) },
          lang,
        )
      }
      done={({ uscc }) => (uscc?.trim() ? text.saved : text.renamed)}
      onClose={onClose}
      onDone={onRenamed}
      note={
        <Typography.Paragraph type="secondary">
          {t(withoutUscc ? text.usccMissingNote : text.renameNote)}
        </Typography.Paragraph>
      }
    >
      {(required) => (
        <>
          <NameItems required={required} />
          {withoutUscc && (
            <Form.Item name="uscc" label={t(text.uscc)} extra={t(text.usccHint)}>
              <Input maxLength={32} autoComplete="off" />
            </Form.Item>
          )}
        </>
      )}
    </FormDialog>
  );
}
