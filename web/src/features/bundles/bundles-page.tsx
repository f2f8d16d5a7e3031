import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Breadcrumb, Empty, Input, Segmented, Skeleton, Tag } from 'antd';
import { ApartmentOutlined, RightOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { audienceLabels } from '../catalog/labels';
import type { BundleList, BundleSummary, Cluster } from './api';
import { listBundles } from './api';
import {
  clusterHints,
  clusterLabels,
  clusterOrder,
  describeCommitment,
  describeVisitsShort,
  intakeShort,
} from './labels';
import './bundles.css';

export const bundlesText = {
  title: { zh: '一件事', en: 'One-thing bundles' },
  // the tab reads 'page · 一件事': not '一件事 · 一件事'
  documentTitle: { zh: '一件事主题服务', en: 'One-thing bundles' },
  hall: { zh: '办事大厅', en: 'Service hall' },
  intro: {
    zh: '把需要跑多个部门的关联事项集成为“一件事”：回答几个问题，一张表申请、一套材料提交，各部门并联办理。',
    en: 'Related matters that used to take several departments, as one thing: answer a few questions, fill one form, hand in one set of materials, and the departments work in parallel.',
  },
  search: {
    zh: '搜索一件事，如：开办企业、出生、退休',
    en: 'Search, e.g. open a company, birth, retire',
  },
  searchLabel: { zh: '搜索一件事', en: 'Search bundles' },
  searchButton: { zh: '搜索', en: 'Search' },
  all: { zh: '全部', en: 'All' },
  total: { zh: '共 {total} 件', en: '{total} bundles' },
  totalFor: { zh: '“{q}” 共找到 {total} 件', en: '{total} results for "{q}"' },
  members: { zh: '{count} 个事项', en: '{count} items' },
  none: { zh: '没有找到符合条件的一件事', en: 'No bundle matches' },
  failed: { zh: '一件事列表加载失败：{message}', en: 'The bundles could not be loaded: {message}' },
  open: { zh: '查看并申请', en: 'See and apply' },
} satisfies Record<string, Text>;

type State =
  | { status: 'loading'; previous: BundleList | null }
  | { status: 'ready'; value: BundleList }
  | { status: 'error'; message: string };

/** One bundle as a card: name, summary, what it promises, how many items it joins. */
export function BundleCard({ bundle }: { bundle: BundleSummary }) {
  const { t } = useI18n();
  return (
    <Link
      to={`/bundles/${encodeURIComponent(bundle.code)}`}
      className="ot-bundle-card"
      data-bundle={bundle.code}
      data-testid="bundle-card"
    >
      <div className="ot-bundle-card-head">
        <span className="ot-bundle-card-name">{t(bundle.name)}</span>
        <Tag color="blue" variant="filled">
          {t(bundle.lifeEvent)}
        </Tag>
      </div>
      <div className="ot-bundle-card-summary">{t(bundle.summary)}</div>
      <div className="ot-bundle-commitment" data-testid="bundle-commitment">
        <ThunderboltOutlined aria-hidden="true" /> {t(describeCommitment(bundle.commitment))}
      </div>
      <div className="ot-bundle-card-meta">
        <span>
          <ApartmentOutlined aria-hidden="true" />{' '}
          {t(bundlesText.members, { count: bundle.memberCount })}
        </span>
        <span>{t(describeVisitsShort(bundle.commitment.visits))}</span>
        <span>{t(intakeShort[bundle.intake])}</span>
        {bundle.audience.map((a) => (
          <span key={a} className="ot-muted">
            {t(audienceLabels[a])}
          </span>
        ))}
      </div>
      <div className="ot-bundle-card-foot">
        <span className="ot-muted">{t(bundle.leadDepartmentName)}</span>
        <span className="ot-bundle-card-open">
          {t(bundlesText.open)} <RightOutlined aria-hidden="true" />
        </span>
      </div>
    </Link>
  );
}

/** The hall's bundles at `/bundles`: cards grouped by 民事 / 企事 / 政事, with search. */
export function BundlesPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  useDocumentTitle(bundlesText.documentTitle);
  const q = params.get('q')?.trim() ?? '';
  const clusterParam = params.get('cluster');
  const cluster = clusterOrder.includes(clusterParam as Cluster)
    ? (clusterParam as Cluster)
    : undefined;
  const [input, setInput] = useState(q);
  useEffect(() => setInput(q), [q]);
  const [state, setState] = useState<State>({ status: 'loading', previous: null });

  useEffect(() => {
    const controller = new AbortController();
    setState((current) => ({
      status: 'loading',
      previous: current.status === 'ready' ? current.value : null,
    }));
    listBundles({ q: q || undefined, cluster }, lang, controller.signal).then(
      (value) => setState({ status: 'ready', value }),
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState({
            status: 'error',
            message: error instanceof Error ? error.message : String(error),
          });
        }
      },
    );
    return () => controller.abort();
  }, [q, cluster]);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  const list =
    state.status === 'ready' ? state.value : state.status === 'loading' ? state.previous : null;
  const groups = clusterOrder
    .map((key) => ({ key, bundles: (list?.bundles ?? []).filter((b) => b.cluster === key) }))
    .filter((group) => group.bundles.length > 0);

  return (
    <div className="ot-services">
      <section className="ot-services-hero">
        <div className="ot-page-width">
          <Breadcrumb
            className="ot-services-breadcrumb"
            items={[
              { title: <Link to="/">{t(bundlesText.hall)}</Link> },
              { title: t(bundlesText.title) },
            ]}
          />
          <h1 className="ot-services-title">{t(bundlesText.title)}</h1>
          <p className="ot-services-intro">{t(bundlesText.intro)}</p>
          <form
            role="search"
            className="ot-catalog-search"
            onSubmit={(event) => event.preventDefault()}
          >
            <Input.Search
              size="large"
              value={input}
              onChange={(event) => setInput(event.target.value)}
              placeholder={t(bundlesText.search)}
              aria-label={t(bundlesText.searchLabel)}
              enterButton={t(bundlesText.searchButton)}
              allowClear
              maxLength={100}
              data-testid="bundle-search"
              onSearch={(raw) => update({ q: raw.trim() || undefined })}
            />
          </form>
        </div>
      </section>

      <div className="ot-page-width ot-section">
        <div className="ot-bundles-filter">
          <Segmented
            value={cluster ?? 'all'}
            onChange={(value) => update({ cluster: value === 'all' ? undefined : String(value) })}
            options={[
              { value: 'all', label: t(bundlesText.all) },
              ...clusterOrder.map((key) => ({ value: key, label: t(clusterLabels[key]) })),
            ]}
            data-testid="cluster-switch"
          />
          <span className="ot-muted" role="status" data-testid="bundles-total">
            {list
              ? q
                ? t(bundlesText.totalFor, { q, total: list.total })
                : t(bundlesText.total, { total: list.total })
              : '\u00a0'}
          </span>
        </div>

        {state.status === 'error' ? (
          <Alert type="error" showIcon title={t(bundlesText.failed, { message: state.message })} />
        ) : !list ? (
          <Skeleton active />
        ) : groups.length === 0 ? (
          <Empty description={t(bundlesText.none)} className="ot-results-empty" />
        ) : (
          groups.map((group) => (
            <section
              key={group.key}
              className="ot-bundle-group"
              aria-labelledby={`cluster-${group.key}`}
              data-cluster={group.key}
            >
              <div className="ot-bundle-group-head">
                <h2 id={`cluster-${group.key}`}>{t(clusterLabels[group.key])}</h2>
                <span className="ot-muted">{t(clusterHints[group.key])}</span>
              </div>
              <div className="ot-bundle-grid" aria-busy={state.status === 'loading'}>
                {group.bundles.map((bundle) => (
                  <BundleCard key={bundle.code} bundle={bundle} />
                ))}
              </div>
            </section>
          ))
        )}
      </div>
    </div>
  );
}
