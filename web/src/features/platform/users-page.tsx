import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import type { Lang, Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useAuth } from '../../shell/auth';
import { ApiError, roles, type Role } from './api';
import { roleLabels } from './roles';
import {
  createAccount,
  fetchOrganisation,
  listAccounts,
  resetAccountPassword,
  resetAccountSecondFactor,
  unlockAccount,
  updateAccount,
  type Account,
  type AccountFilter,
  type AccountStatus,
  type DepartmentChoice,
  type RegionChoice,
} from './users-api';

/** Staff roles, the only ones an administrator gives (the server's list). */
const STAFF_ROLES = roles.filter((r) => r !== 'citizen' && r !== 'enterprise') as Role[];
const PAGE = 20;

const text = {
  title: { zh: '用户与角色', en: 'Users and roles' },
  intro: {
    zh: '管理工作人员账号：新建账号、调整角色与部门、停用多余或过期的账号、解除锁定、重置密码和双因素认证。新账号和重置后的密码均为临时密码，账号首次登录时须自行修改。所有操作均记入审计日志。',
    en: 'Manage staff accounts: create them, change role and department, disable accounts no longer needed, unlock, reset passwords and two-factor authentication. New and reset passwords are temporary: the account must change them at its next sign-in. Every action is audited.',
  },
  create: { zh: '新建账号', en: 'New account' },
  search: { zh: '用户名或姓名', en: 'Username or name' },
  anyRole: { zh: '全部角色', en: 'All roles' },
  anyDepartment: { zh: '全部部门', en: 'All departments' },
  anyStatus: { zh: '全部状态', en: 'Any status' },
  username: { zh: '用户名', en: 'Username' },
  displayName: { zh: '姓名', en: 'Name' },
  role: { zh: '角色', en: 'Role' },
  department: { zh: '部门', en: 'Department' },
  region: { zh: '区划', en: 'Region' },
  regionDefault: { zh: '默认为部门所在区划', en: 'The department’s region by default' },
  organisation: { zh: '所属', en: 'Belongs to' },
  status: { zh: '状态', en: 'Status' },
  lastSignIn: { zh: '最近登录', en: 'Last sign-in' },
  never: { zh: '从未登录', en: 'Never' },
  actions: { zh: '操作', en: 'Actions' },
  active: { zh: '正常', en: 'Active' },
  disabled: { zh: '已停用', en: 'Disabled' },
  locked: { zh: '已锁定', en: 'Locked' },
  lockedUntil: { zh: '锁定至 {time}', en: 'Locked until {time}' },
  mustChange: { zh: '待改密', en: 'Must change password' },
  secondFactor: { zh: '双因素', en: '2FA' },
  edit: { zh: '编辑', en: 'Edit' },
  save: { zh: '保存', en: 'Save' },
  disable: { zh: '停用', en: 'Disable' },
  enable: { zh: '启用', en: 'Enable' },
  unlock: { zh: '解锁', en: 'Unlock' },
  resetPassword: { zh: '重置密码', en: 'Reset password' },
  resetSecondFactor: { zh: '重置双因素', en: 'Reset 2FA' },
  confirmDisable: {
    zh: '停用账号「{name}」？该账号将立即退出登录且无法再登录，可随时重新启用。',
    en: 'Disable “{name}”? The account is signed out at once and cannot sign in until enabled again.',
  },
  confirmEnable: { zh: '重新启用账号「{name}」？', en: 'Enable “{name}” again?' },
  confirmReset: {
    zh: '重置「{name}」的密码？将生成新的临时密码，该账号所有登录立即失效，下次登录时须修改密码。',
    en: 'Reset the password of “{name}”? A new temporary password is made, every session of the account ends, and it must change the password at its next sign-in.',
  },
  confirmSecondFactor: {
    zh: '重置「{name}」的双因素认证？其身份验证器和恢复码将作废，下次登录时须重新绑定。',
    en: 'Reset two-factor authentication of “{name}”? Its authenticator and recovery codes stop working; it enrols again at its next sign-in.',
  },
  unlocked: { zh: '已解除锁定', en: 'Unlocked' },
  saved: { zh: '已保存', en: 'Saved' },
  secondFactorReset: { zh: '双因素认证已重置', en: 'Two-factor authentication reset' },
  temporaryTitle: { zh: '临时密码', en: 'Temporary password' },
  temporaryFor: { zh: '账号「{username}」的临时密码：', en: 'Temporary password of “{username}”:' },
  temporaryWarning: {
    zh: '临时密码只显示这一次，关闭后无法再查看。请复制后通过安全渠道当面或单独告知本人；对方首次登录时须修改密码。',
    en: 'This temporary password is shown this once and cannot be seen again after closing. Copy it and hand it to the person through a safe channel; they must change it at their first sign-in.',
  },
  copied: { zh: '我已复制并妥善交付', en: 'I have copied it and will hand it over safely' },
  required: { zh: '请填写此项', en: 'This field is required' },
  usernameRule: {
    zh: '2–63位小写字母、数字、点、下划线或连字符，以字母或数字开头',
    en: '2–63 lower-case letters, digits, dots, underscores or hyphens, starting with a letter or digit',
  },
  total: { zh: '共 {n} 个账号', en: '{n} accounts' },
} satisfies Record<string, Text>;

function nameOf(lang: Lang, item: { nameZh: string; nameEn: string }): string {
  return lang === 'en' ? item.nameEn : item.nameZh;
}

/** The region codes at and below `code`. */
function regionsBelow(regions: RegionChoice[], code: string): RegionChoice[] {
  const out: RegionChoice[] = [];
  const walk = (c: string) => {
    const region = regions.find((r) => r.code === c);
    if (region) out.push(region);
    for (const child of regions.filter((r) => r.parentCode === c)) walk(child.code);
  };
  walk(code);
  return out;
}

interface AccountValues {
  username: string;
  displayName: string;
  role: Role;
  departmentId: string;
  regionCode?: string;
}

/** The fields of the create and edit dialogs: role, department, and a region within it. */
function AccountFields({
  form,
  departments,
  regions,
  creating,
  staff,
}: {
  form: ReturnType<typeof Form.useForm<AccountValues>>[0];
  departments: DepartmentChoice[];
  regions: RegionChoice[];
  creating: boolean;
  staff: boolean;
}) {
  const { t, lang } = useI18n();
  const departmentId = Form.useWatch('departmentId', form);
  const department = departments.find((d) => d.id === departmentId);
  const regionChoices = department ? regionsBelow(regions, department.regionCode) : [];
  return (
    <>
      {creating && (
        <Form.Item
          name="username"
          label={t(text.username)}
          normalize={(v: string) => v?.trim().toLowerCase()}
          rules={[
            { required: true, message: t(text.required) },
            { pattern: /^[a-z0-9][a-z0-9._-]{1,62}$/, message: t(text.usernameRule) },
          ]}
        >
          <Input autoComplete="off" maxLength={63} />
        </Form.Item>
      )}
      <Form.Item
        name="displayName"
        label={t(text.displayName)}
        rules={[{ required: true, whitespace: true, message: t(text.required) }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      {staff && (
        <>
          <Form.Item
            name="role"
            label={t(text.role)}
            rules={[{ required: true, message: t(text.required) }]}
          >
            <Select options={STAFF_ROLES.map((r) => ({ value: r, label: t(roleLabels[r]) }))} />
          </Form.Item>
          <Form.Item
            name="departmentId"
            label={t(text.department)}
            rules={[{ required: true, message: t(text.required) }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              onChange={() => form.setFieldValue('regionCode', undefined)}
              options={departments.map((d) => ({
                value: d.id,
                label: `${nameOf(lang, d)}（${d.regionCode}）`,
              }))}
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t(text.region)} extra={t(text.regionDefault)}>
            <Select
              allowClear
              disabled={!department}
              options={regionChoices.map((r) => ({
                value: r.code,
                label: `${nameOf(lang, r)} ${r.code}`,
              }))}
            />
          </Form.Item>
        </>
      )}
    </>
  );
}

/** `/workbench/users`: administrators manage accounts (用户与角色). */
export function UsersPage() {
  const { user } = useAuth();
  const { t } = useI18n();
  if (user?.role !== 'admin') {
    return (
      <Alert
        type="error"
        showIcon
        title={t({ zh: '仅系统管理员可用', en: 'Administrators only' })}
      />
    );
  }
  return <Users selfId={user.id} />;
}

function Users({ selfId }: { selfId: string }) {
  const { t, lang, locale } = useI18n();
  const { message, modal } = App.useApp();
  useDocumentTitle(text.title);
  const [filter, setFilter] = useState<AccountFilter>({ limit: PAGE, offset: 0 });
  const [page, setPage] = useState<{ items: Account[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [organisation, setOrganisation] = useState<{
    departments: DepartmentChoice[];
    regions: RegionChoice[];
  }>({ departments: [], regions: [] });
  const [editing, setEditing] = useState<Account | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [temporary, setTemporary] = useState<{ username: string; password: string } | null>(null);
  const [form] = Form.useForm<AccountValues>();
  const refresh = () => setGeneration((g) => g + 1);

  useEffect(() => {
    const controller = new AbortController();
    fetchOrganisation(lang, controller.signal).then(setOrganisation, () => undefined);
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    listAccounts(filter, lang, controller.signal).then(setPage, (e: unknown) => {
      if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    });
    return () => controller.abort();
  }, [filter, generation]);

  const failed = (e: unknown) => message.error(e instanceof Error ? e.message : String(e));

  const openEditor = (account: Account | 'new') => {
    form.resetFields();
    if (account !== 'new') {
      form.setFieldsValue({
        displayName: account.displayName,
        role: account.role,
        departmentId: account.department?.id,
        regionCode: account.regionCode,
      });
    }
    setEditing(account);
  };

  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      if (editing === 'new') {
        const created = await createAccount(
          { ...values, regionCode: values.regionCode || undefined },
          lang,
        );
        setTemporary({ username: created.user.username, password: created.temporaryPassword });
      } else if (editing) {
        // Only what changed is sent: an untouched department or region is not checked again.
        const change = {
          displayName: values.displayName,
          ...(editing.subject === null
            ? {
                role: values.role !== editing.role ? values.role : undefined,
                departmentId:
                  values.departmentId !== editing.department?.id ? values.departmentId : undefined,
                regionCode:
                  values.regionCode && values.regionCode !== editing.regionCode
                    ? values.regionCode
                    : undefined,
              }
            : {}),
        };
        await updateAccount(editing.id, change, lang);
        message.success(t(text.saved));
      }
      setEditing(null);
      refresh();
    } catch (e) {
      const fields = ['username', 'displayName', 'role', 'departmentId', 'regionCode'] as const;
      const named =
        e instanceof ApiError
          ? fields.map((name) => ({ name, message: e.fieldMessage(name) })).filter((f) => f.message)
          : [];
      if (named.length > 0) {
        form.setFields(named.map((f) => ({ name: f.name, errors: [f.message!] })));
      } else {
        failed(e);
      }
    } finally {
      setSaving(false);
    }
  };

  const confirm = (title: string, action: () => Promise<unknown>, danger = false) =>
    modal.confirm({
      title,
      okButtonProps: { danger },
      onOk: () => action().then(refresh, failed),
    });

  const statusTags = (a: Account) => (
    <Space size={4} wrap>
      {a.status === 'active' && <Tag color="green">{t(text.active)}</Tag>}
      {a.status === 'disabled' && <Tag>{t(text.disabled)}</Tag>}
      {a.status === 'locked' && (
        <Tooltip title={t(text.lockedUntil, { time: formatTime(a.lockedUntil, locale) })}>
          <Tag color="red">{t(text.locked)}</Tag>
        </Tooltip>
      )}
      {a.passwordChangeRequired && <Tag color="orange">{t(text.mustChange)}</Tag>}
      {a.secondFactorEnrolled && <Tag color="blue">{t(text.secondFactor)}</Tag>}
    </Space>
  );

  const actions = (a: Account) => {
    const self = a.id === selfId;
    const name = `${a.displayName}（${a.username}）`;
    return (
      <Space size={0} wrap>
        <Button type="link" size="small" onClick={() => openEditor(a)}>
          {t(text.edit)}
        </Button>
        {a.status === 'locked' && (
          <Button
            type="link"
            size="small"
            onClick={() =>
              unlockAccount(a.id, lang).then(() => {
                message.success(t(text.unlocked));
                refresh();
              }, failed)
            }
          >
            {t(text.unlock)}
          </Button>
        )}
        {!self && (
          <Button
            type="link"
            size="small"
            danger={!a.disabled}
            onClick={() =>
              confirm(
                t(a.disabled ? text.confirmEnable : text.confirmDisable, { name }),
                () => updateAccount(a.id, { disabled: !a.disabled }, lang),
                !a.disabled,
              )
            }
          >
            {t(a.disabled ? text.enable : text.disable)}
          </Button>
        )}
        {!self && (
          <Button
            type="link"
            size="small"
            onClick={() =>
              confirm(t(text.confirmReset, { name }), async () => {
                const reset = await resetAccountPassword(a.id, lang);
                setTemporary({ username: a.username, password: reset.temporaryPassword });
              })
            }
          >
            {t(text.resetPassword)}
          </Button>
        )}
        {!self && a.secondFactorEnrolled && (
          <Button
            type="link"
            size="small"
            onClick={() =>
              confirm(t(text.confirmSecondFactor, { name }), async () => {
                await resetAccountSecondFactor(a.id, lang);
                message.success(t(text.secondFactorReset));
              })
            }
          >
            {t(text.resetSecondFactor)}
          </Button>
        )}
      </Space>
    );
  };

  const departments = organisation.departments;
  const regionNames = useMemo(
    () => new Map(organisation.regions.map((r) => [r.code, r])),
    [organisation.regions],
  );
  const setFilterField = (change: Partial<AccountFilter>) =>
    setFilter((f) => ({ ...f, ...change, offset: 0 }));

  return (
    <div>
      <div className="ot-workbench-title" style={{ display: 'flex', alignItems: 'center' }}>
        <Typography.Title level={2} style={{ flex: 1 }}>
          {t(text.title)}
        </Typography.Title>
        <Button type="primary" icon={<UserAddOutlined />} onClick={() => openEditor('new')}>
          {t(text.create)}
        </Button>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <Space wrap className="ot-block" data-testid="user-filters">
        <Input.Search
          allowClear
          placeholder={t(text.search)}
          aria-label={t(text.search)}
          maxLength={64}
          onSearch={(q) => setFilterField({ q: q || undefined })}
          style={{ width: 220 }}
        />
        <Select<Role>
          allowClear
          placeholder={t(text.anyRole)}
          aria-label={t(text.role)}
          style={{ width: 150 }}
          onChange={(role) => setFilterField({ role })}
          options={roles.map((r) => ({ value: r, label: t(roleLabels[r]) }))}
        />
        <Select<string>
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t(text.anyDepartment)}
          aria-label={t(text.department)}
          style={{ width: 240 }}
          onChange={(departmentId) => setFilterField({ departmentId })}
          options={departments.map((d) => ({ value: d.id, label: nameOf(lang, d) }))}
        />
        <Select<AccountStatus>
          allowClear
          placeholder={t(text.anyStatus)}
          aria-label={t(text.status)}
          style={{ width: 130 }}
          onChange={(status) => setFilterField({ status })}
          options={(['active', 'locked', 'disabled'] as const).map((s) => ({
            value: s,
            label: t(text[s]),
          }))}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} className="ot-block" />}
      <Table<Account>
        rowKey="id"
        size="middle"
        loading={!page && !error}
        dataSource={page?.items ?? []}
        data-testid="users-table"
        pagination={{
          current: filter.offset / PAGE + 1,
          pageSize: PAGE,
          total: page?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t(text.total, { n }),
          onChange: (p) => setFilter((f) => ({ ...f, offset: (p - 1) * PAGE })),
        }}
        columns={[
          {
            key: 'user',
            title: t(text.username),
            render: (_, a) => (
              <div>
                <Typography.Text strong>{a.displayName}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" code>
                    {a.username}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            key: 'role',
            title: t(text.role),
            render: (_, a) => <Tag>{t(roleLabels[a.role])}</Tag>,
          },
          {
            key: 'organisation',
            title: t(text.organisation),
            render: (_, a) => (
              <div>
                <div>
                  {a.department
                    ? t(a.department.name)
                    : a.subject
                      ? `${a.subject.name} ${a.subject.identifier}`
                      : '—'}
                </div>
                <Typography.Text type="secondary">
                  {t(a.regionName)}
                  {regionNames.has(a.regionCode) ? '' : ` ${a.regionCode}`}
                </Typography.Text>
              </div>
            ),
          },
          { key: 'status', title: t(text.status), render: (_, a) => statusTags(a) },
          {
            key: 'lastSignIn',
            title: t(text.lastSignIn),
            responsive: ['lg'],
            render: (_, a) =>
              a.lastSignedInAt ? formatTime(a.lastSignedInAt, locale) : t(text.never),
          },
          { key: 'actions', title: t(text.actions), render: (_, a) => actions(a) },
        ]}
      />
      <Modal
        open={editing !== null}
        title={
          editing === 'new'
            ? t(text.create)
            : editing
              ? `${t(text.edit)} · ${editing.username}`
              : ''
        }
        okText={editing === 'new' ? t(text.create) : t(text.save)}
        okButtonProps={{ icon: editing === 'new' ? <PlusOutlined /> : undefined }}
        confirmLoading={saving}
        onCancel={() => setEditing(null)}
        onOk={() => void save().catch(() => undefined)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="account-form" preserve={false}>
          <AccountFields
            form={form}
            departments={departments}
            regions={organisation.regions}
            creating={editing === 'new'}
            staff={editing === 'new' || (editing !== null && editing.subject === null)}
          />
        </Form>
      </Modal>
      <Modal
        open={temporary !== null}
        title={t(text.temporaryTitle)}
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={
          <Button type="primary" onClick={() => setTemporary(null)}>
            {t(text.copied)}
          </Button>
        }
      >
        {temporary && (
          <>
            <Typography.Paragraph>
              {t(text.temporaryFor, { username: temporary.username })}
            </Typography.Paragraph>
            <Typography.Paragraph>
              <Typography.Text
                code
                copyable
                style={{ fontSize: 20 }}
                data-testid="temporary-password"
              >
                {temporary.password}
              </Typography.Text>
            </Typography.Paragraph>
            <Alert type="warning" showIcon title={t(text.temporaryWarning)} />
          </>
        )}
      </Modal>
    </div>
  );
}
