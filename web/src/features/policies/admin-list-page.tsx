import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireAdmin } from '../catalog/admin-common';
import { useLoad } from '../cases/use-load';
import type { PolicyView } from './api';
import { listPolicies } from './api';
import { MODE_COLORS, POLICY_STATE_COLORS, policyText } from './labels';
import './policies.css';

const text = {
  title: { zh: '政策管理', en: 'Policies' },
  intro: {
    zh: '编写惠企惠民政策及其适用条件（规则），实时预览匹配的主体；发布后平台主动比对全部档案，免申即享政策直接生成兑现。',
    en: 'Write policies and their eligibility rules with a live preview of who matches; once published, every dossier is compared and policies granted without applying create grants at once.',
  },
  newPolicy: { zh: '新建政策', en: 'New policy' },
  name: { zh: '政策', en: 'Policy' },
  matched: { zh: '匹配', en: 'Matched' },
  near: { zh: '差一项', en: 'Near misses' },
  inForce: { zh: '生效中', en: 'In force' },
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  empty: { zh: '暂无政策', en: 'No policies' },
} satisfies Record<string, Text>;

/** `/workbench/policies`: every policy with its state, mode and matches. */
export function PolicyAdminPage() {
  return (
    <RequireAdmin>
      <PolicyAdminList />
    </RequireAdmin>
  );
}

function PolicyAdminList() {
  const { t } = useI18n();
  const navigate = useNavigate();
  useDocumentTitle(text.title);
  const { state, reload } = useLoad('admin-policies', (lang, signal) => listPolicies(lang, signal));
  const open = (code: string) => `/workbench/policies/${code}`;
  const columns: TableColumnsType<PolicyView> = [
    {
      key: 'name',
      title: t(text.name),
      render: (_, p) => (
        <div className="ot-pol-cell">
          <Link to={open(p.code)} data-testid="policy-link">
            {t(p.name)}
          </Link>
          <span className="ot-muted">
            {p.code} · {t(p.department)}
          </span>
        </div>
      ),
    },
    {
      key: 'state',
      title: t(policyText.state),
      render: (_, p) => (
        <Tag color={POLICY_STATE_COLORS[p.state]} data-state={p.state}>
          {t(p.stateName)}
        </Tag>
      ),
    },
    {
      key: 'mode',
      title: t(policyText.mode),
      render: (_, p) => <Tag color={MODE_COLORS[p.mode]}>{t(p.modeName)}</Tag>,
      responsive: ['md'],
    },
    { key: 'matched', title: t(text.matched), dataIndex: 'matched', align: 'right' },
    {
      key: 'near',
      title: t(text.near),
      dataIndex: 'nearMisses',
      align: 'right',
      responsive: ['md'],
    },
    {
      key: 'inForce',
      title: t(text.inForce),
      render: (_, p) =>
        p.inForce ? <Tag color="green">{t(text.yes)}</Tag> : <Tag>{t(text.no)}</Tag>,
      responsive: ['lg'],
    },
  ];
  return (
    <div data-testid="policy-admin">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <div className="ot-catalog-toolbar">
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/workbench/policies/new')}
          data-testid="policy-new"
        >
          {t(text.newPolicy)}
        </Button>
        <span className="ot-catalog-toolbar-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(policyText.refresh)}
        </Button>
      </div>
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(policyText.loadFailed, { message: state.message })}
        />
      )}
      <Table<PolicyView>
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={state.value ?? []}
        loading={state.status === 'loading'}
        locale={{ emptyText: t(text.empty) }}
        pagination={false}
        onRow={(p) => ({
          onClick: (event) => {
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(open(p.code));
          },
        })}
        rowClassName="ot-pol-row"
      />
    </div>
  );
}
