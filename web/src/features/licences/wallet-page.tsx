import { useCallback, useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Popconfirm,
  Result,
  Skeleton,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, QrcodeOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { roleLabels } from '../platform/roles';
import type { Role } from '../platform/api';
import type { Licence, LicenceUse, LicenceUsePage, ShareSummary } from './api';
import { fetchLicenceUses, fetchMyLicences, fetchShares, revokeShare } from './api';
import { SHARE_STATES, USE_ACTIONS, USE_SOURCE_KINDS, licenceText, useLogText } from './labels';
import { ShareDialog } from './share-dialog';
import { LicenceStatusTag } from './verify-page';
import './licences.css';

const text = {
  title: { zh: '我的证照', en: 'My licences' },
  licencesTab: { zh: '证照', en: 'Licences' },
  hall: { zh: '办事大厅', en: 'Service hall' },
  intro: {
    zh: '办结后签发给您的电子证照。可向他人亮证：选择要出示的内容，对方扫码即可核验，无需提交纸质证照。',
    en: 'The e-licences issued to you. Show one to someone: choose what to show, they scan the code and verify it, no paper copy needed.',
  },
  none: { zh: '还没有电子证照', en: 'No e-licences yet' },
  noneHint: {
    zh: '办结的事项签发证照后会出现在这里。',
    en: 'Licences appear here once a matter you applied for is decided.',
  },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  back: { zh: '全部证照', en: 'All licences' },
  show: { zh: '亮证', en: 'Show' },
  verify: { zh: '核验', en: 'Verify' },
  notShowable: {
    zh: '证照当前不是有效状态，不能亮证。',
    en: 'The licence is not valid at present and cannot be shown.',
  },
  fields: { zh: '证照内容', en: 'Contents' },
  shares: { zh: '亮证记录', en: 'Shares' },
  noShares: { zh: '还没有亮证记录', en: 'Not shown yet' },
  viewed: { zh: '查看 {count} 次', en: 'opened {count}×' },
  lastViewed: { zh: '最近查看 {time}', en: 'last opened {time}' },
  created: { zh: '{time} 出示', en: 'shown {time}' },
  expires: { zh: '{time} 失效', en: 'expires {time}' },
  revoke: { zh: '撤回', en: 'Withdraw' },
  revokeConfirm: {
    zh: '撤回后对方将无法再查看，确定撤回吗？',
    en: 'Once withdrawn it cannot be opened any more. Withdraw?',
  },
  revoked: { zh: '已撤回', en: 'Withdrawn' },
  missing: { zh: '没有找到这张证照', en: 'This licence was not found' },
  staffTitle: {
    zh: '“我的证照”供群众和企业使用',
    en: '“My licences” is for citizens and enterprises',
  },
  staffBody: { zh: '工作人员请在工作台办理业务。', en: 'Staff work in the workbench.' },
  toWorkbench: { zh: '前往工作台', en: 'Go to the workbench' },
} satisfies Record<string, Text>;

function validity(licence: Licence, t: (text: Text, values?: Record<string, string>) => string) {
  return t(licenceText.validRange, {
    from: licence.validFrom,
    until: licence.validUntil ?? t(licenceText.longTerm),
  });
}

/** One licence as a card of the wallet. */
function LicenceCard({ licence }: { licence: Licence }) {
  const { t } = useI18n();
  return (
    <Link
      to={`/licences/${licence.id}`}
      className="ot-lic-card"
      data-testid="licence-card"
      data-identifier={licence.identifier}
      data-status={licence.status}
    >
      <div className="ot-lic-card-head">
        <SafetyCertificateOutlined aria-hidden="true" className="ot-lic-card-icon" />
        <span className="ot-lic-card-name">{t(licence.type.name)}</span>
        <LicenceStatusTag status={licence.status} />
      </div>
      <div className="ot-lic-card-holder">{licence.holder.name}</div>
      <dl className="ot-lic-card-facts">
        <div>
          <dt>{t(licenceText.identifier)}</dt>
          <dd className="ot-lic-identifier">{licence.identifier}</dd>
        </div>
        <div>
          <dt>{t(licenceText.issuer)}</dt>
          <dd>{t(licence.issuer.name)}</dd>
        </div>
        <div>
          <dt>{t(licenceText.validity)}</dt>
          <dd>{validity(licence, t)}</dd>
        </div>
      </dl>
    </Link>
  );
}

/** The shares of a licence with how often each was opened, and withdrawing one. */
function ShareList({
  licence,
  shares,
  onChanged,
}: {
  licence: Licence;
  shares: ShareSummary[] | null;
  onChanged: () => void;
}) {
  const { t, lang, locale } = useI18n();
  const { message } = App.useApp();
  const label = (key: string) => {
    const field = licence.fields.find((f) => f.key === key);
    return field ? t(field.label) : key;
  };
  if (!shares) return <Skeleton active />;
  if (shares.length === 0) return <Empty description={t(text.noShares)} />;
  return (
    <ul className="ot-lic-shares" data-testid="share-list">
      {shares.map((share) => (
        <li key={share.id} data-testid="share-item" data-state={share.state}>
          <div className="ot-lic-share-main">
            <div>
              <Tag color={SHARE_STATES[share.state].color}>
                {t(SHARE_STATES[share.state].label)}
              </Tag>
              <span>
                {share.fields.length
                  ? share.fields.map(label).join(lang === 'zh' ? '、' : ', ')
                  : '—'}
              </span>
            </div>
            <div className="ot-muted">
              {t(text.created, { time: formatTime(share.createdAt, locale) })} ·{' '}
              {t(text.expires, { time: formatTime(share.expiresAt, locale) })}
            </div>
            <div className="ot-muted" data-testid="share-views" data-count={share.viewCount}>
              {t(text.viewed, { count: share.viewCount })}
              {share.lastViewedAt &&
                ` · ${t(text.lastViewed, { time: formatTime(share.lastViewedAt, locale) })}`}
            </div>
          </div>
          {share.state === 'active' && (
            <Popconfirm
              title={t(text.revokeConfirm)}
              onConfirm={async () => {
                try {
                  await revokeShare(licence.id, share.id, lang);
                  void message.success(t(text.revoked));
                  onChanged();
                } catch (failure) {
                  void message.error(failure instanceof Error ? failure.message : String(failure));
                }
              }}
            >
              <Button danger size="small" data-testid="share-revoke">
                {t(text.revoke)}
              </Button>
            </Popconfirm>
          )}
        </li>
      ))}
    </ul>
  );
}

const USES_PER_PAGE = 10;

/**
 * The use log (用证记录): who attached or opened the holder's licences and data, for which
 * application and material, and why — of every holding, or of one licence. Newest first, paged.
 */
function UseLog({ licenceId, licences }: { licenceId?: string; licences?: Licence[] }) {
  const { t, lang, locale } = useI18n();
  const [page, setPage] = useState(1);
  const [uses, setUses] = useState<LicenceUsePage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    fetchLicenceUses(
      { licence: licenceId, limit: USES_PER_PAGE, offset: (page - 1) * USES_PER_PAGE },
      lang,
      controller.signal,
    ).then(
      (value) => {
        setUses(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [licenceId, page, lang]);

  const typeNames = new Map((licences ?? []).map((l) => [l.id, l.type.name]));
  const columns: TableColumnsType<LicenceUse> = [
    {
      key: 'at',
      title: t(useLogText.at),
      width: 150,
      render: (_, use) => formatTime(use.at, locale),
    },
    {
      key: 'action',
      title: t(useLogText.action),
      width: 120,
      render: (_, use) => {
        const action = USE_ACTIONS[use.action];
        return (
          <Tag color={action?.color ?? 'default'}>{action ? t(action.label) : use.action}</Tag>
        );
      },
    },
    ...(licenceId
      ? []
      : [
          {
            key: 'source',
            title: t(useLogText.source),
            render: (_: unknown, use: LicenceUse) => (
              <>
                <div>
                  {t(USE_SOURCE_KINDS[use.source.kind] ?? { zh: '{name}', en: '{name}' }, {
                    // the log keeps the Chinese type name; a licence in the wallet has both
                    name: typeNames.has(use.source.licenceId ?? '')
                      ? t(typeNames.get(use.source.licenceId ?? '')!)
                      : use.source.name,
                  })}
                </div>
                {use.source.identifier &&
                  (use.source.licenceId && typeNames.has(use.source.licenceId) ? (
                    <Link to={`/licences/${use.source.licenceId}`} className="ot-lic-identifier">
                      {use.source.identifier}
                    </Link>
                  ) : (
                    <span className="ot-lic-identifier ot-muted">{use.source.identifier}</span>
                  ))}
              </>
            ),
          },
        ]),
    {
      key: 'application',
      title: t(useLogText.application),
      render: (_, use) => (
        <>
          <Link to={`/applications/${use.application.id}`} data-testid="licence-use-application">
            {use.application.number}
          </Link>
          <div className="ot-muted">{t(use.material.name)}</div>
        </>
      ),
    },
    {
      key: 'actor',
      title: t(useLogText.actor),
      width: 170,
      render: (_, use) => (
        <>
          <div>
            {use.actor.name}
            {use.actor.role && roleLabels[use.actor.role as Role] && (
              <span className="ot-muted"> · {t(roleLabels[use.actor.role as Role])}</span>
            )}
          </div>
          {use.actor.department && <div className="ot-muted">{t(use.actor.department)}</div>}
        </>
      ),
    },
    {
      key: 'purpose',
      title: t(useLogText.purpose),
      render: (_, use) => t(use.purpose),
    },
  ];

  return (
    <div data-testid="licence-uses" data-total={uses?.total ?? undefined}>
      {error ? (
        <Alert type="error" showIcon title={t(useLogText.failed, { message: error })} />
      ) : (
        <Table<LicenceUse>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={uses?.items ?? []}
          loading={loading}
          scroll={{ x: 860 }}
          locale={{ emptyText: <Empty description={t(useLogText.none)} /> }}
          onRow={(use) => ({ 'data-testid': 'licence-use', 'data-action': use.action }) as object}
          pagination={
            (uses?.total ?? 0) > USES_PER_PAGE && {
              current: page,
              pageSize: USES_PER_PAGE,
              total: uses?.total ?? 0,
              showSizeChanger: false,
              showTotal: (count) => t(useLogText.total, { count }),
              onChange: setPage,
            }
          }
        />
      )}
    </div>
  );
}

/** One licence in full: its contents, the 亮证 button and its shares. */
function LicenceDetail({ licence }: { licence: Licence }) {
  const { t, lang, locale } = useI18n();
  const [shares, setShares] = useState<ShareSummary[] | null>(null);
  const [sharing, setSharing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    fetchShares(licence.id, lang).then(setShares, (failure: unknown) =>
      setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, [licence.id, lang]);
  useEffect(load, [load]);

  return (
    <div data-testid="licence-detail" data-identifier={licence.identifier}>
      <Card className="ot-lic-detail">
        <div className="ot-lic-detail-head">
          <h2>{t(licence.type.name)}</h2>
          <LicenceStatusTag status={licence.status} />
        </div>
        {licence.statusReason && licence.status !== 'valid' && (
          <Alert type="error" showIcon title={licence.statusReason} className="ot-block" />
        )}
        <Descriptions
          className="ot-block ot-lic-facts"
          size="small"
          bordered
          column={{ xs: 1, sm: 1, md: 2 }}
          items={[
            {
              key: 'identifier',
              label: t(licenceText.identifier),
              children: <span className="ot-lic-identifier">{licence.identifier}</span>,
              span: { xs: 1, sm: 1, md: 2 },
            },
            { key: 'holder', label: t(licenceText.holder), children: licence.holder.name },
            { key: 'issuer', label: t(licenceText.issuer), children: t(licence.issuer.name) },
            {
              key: 'issuedAt',
              label: t(licenceText.issuedAt),
              children: formatTime(licence.issuedAt, locale),
            },
            { key: 'validity', label: t(licenceText.validity), children: validity(licence, t) },
          ]}
        />
        <Typography.Title level={4} className="ot-block">
          {t(text.fields)}
        </Typography.Title>
        <Descriptions
          size="small"
          bordered
          column={1}
          className="ot-lic-facts"
          data-testid="licence-fields"
          items={licence.fields.map((field) => ({
            key: field.key,
            label: t(field.label),
            children: field.value ?? '—',
          }))}
        />
        <div className="ot-lic-actions">
          <Button
            type="primary"
            size="large"
            icon={<QrcodeOutlined />}
            disabled={licence.status !== 'valid'}
            onClick={() => setSharing(true)}
            data-testid="licence-show"
          >
            {t(text.show)}
          </Button>
          <Link to={`/verify/${encodeURIComponent(licence.identifier)}`}>
            <Button size="large" icon={<SafetyCertificateOutlined />}>
              {t(text.verify)}
            </Button>
          </Link>
        </div>
        {licence.status !== 'valid' && (
          <Typography.Paragraph type="secondary">{t(text.notShowable)}</Typography.Paragraph>
        )}
      </Card>
      <section className="ot-block">
        <Typography.Title level={4}>{t(text.shares)}</Typography.Title>
        {error ? (
          <Alert type="error" showIcon title={t(text.failed, { message: error })} />
        ) : (
          <ShareList licence={licence} shares={shares} onChanged={load} />
        )}
      </section>
      <section className="ot-block">
        <Typography.Title level={4}>{t(useLogText.licenceTitle)}</Typography.Title>
        <UseLog licenceId={licence.id} />
      </section>
      <ShareDialog
        licence={licence}
        open={sharing}
        onClose={() => {
          setSharing(false);
          load();
        }}
        onCreated={load}
      />
    </div>
  );
}

/** `/licences` and `/licences/:id`: the signed-in citizen's or enterprise's e-licence wallet. */
export function LicenceWalletPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { user, state: auth } = useAuth();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'uses' ? 'uses' : 'licences';
  useDocumentTitle(text.title);
  const [licences, setLicences] = useState<Licence[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const holder = user?.role === 'citizen' || user?.role === 'enterprise';

  useEffect(() => {
    if (!holder) return;
    const controller = new AbortController();
    fetchMyLicences(lang, controller.signal).then(
      (value) => {
        setLicences(value);
        setError(null);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted)
          setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => controller.abort();
  }, [holder, lang]);

  if (auth.status === 'anonymous') {
    const next = encodeURIComponent(id ? `/licences/${id}` : '/licences');
    return <Navigate to={`/signin?next=${next}`} replace />;
  }
  if (auth.status === 'loading') return <Skeleton active className="ot-page-width ot-section" />;
  if (!holder) {
    return (
      <Result
        status="info"
        title={t(text.staffTitle)}
        subTitle={t(text.staffBody)}
        extra={
          <Button type="primary" onClick={() => navigate('/workbench')}>
            {t(text.toWorkbench)}
          </Button>
        }
      />
    );
  }

  const selected = id && licences ? licences.find((l) => l.id === id) : undefined;

  return (
    <div className="ot-page-width ot-section ot-lic-wallet" data-testid="licence-wallet">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[
          { title: <Link to="/">{t(text.hall)}</Link> },
          { title: id ? <Link to="/licences">{t(text.title)}</Link> : t(text.title) },
        ]}
      />
      <h1 className="ot-lic-title">{t(text.title)}</h1>
      {!id && (
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearch(key === 'uses' ? { tab: 'uses' } : {}, { replace: true })}
          items={[
            { key: 'licences', label: t(text.licencesTab) },
            {
              key: 'uses',
              label: <span data-testid="licence-uses-tab">{t(useLogText.title)}</span>,
            },
          ]}
        />
      )}
      {!id && tab === 'uses' ? (
        <>
          <p className="ot-muted">{t(useLogText.intro)}</p>
          <UseLog licences={licences ?? undefined} />
        </>
      ) : (
        <>
          {!id && <p className="ot-muted">{t(text.intro)}</p>}
          {error ? (
            <Alert type="error" showIcon title={t(text.failed, { message: error })} />
          ) : !licences ? (
            <Skeleton active />
          ) : id ? (
            <>
              <Link to="/licences" className="ot-lic-back">
                <ArrowLeftOutlined /> {t(text.back)}
              </Link>
              {selected ? (
                <LicenceDetail key={selected.id} licence={selected} />
              ) : (
                <Empty description={t(text.missing)} />
              )}
            </>
          ) : licences.length === 0 ? (
            <Empty description={t(text.none)}>
              <Typography.Paragraph type="secondary">{t(text.noneHint)}</Typography.Paragraph>
            </Empty>
          ) : (
            <div className="ot-lic-grid">
              {licences.map((licence) => (
                <LicenceCard key={licence.id} licence={licence} />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}
