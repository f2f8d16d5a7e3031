import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  Breadcrumb,
  Button,
  Empty,
  Pagination,
  Segmented,
  Select,
  Skeleton,
  Tabs,
  Tag,
} from 'antd';
import { ClockCircleOutlined, FilterOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { ItemList, ItemQuery } from './api';
import { listItems } from './api';
import type { Audience } from './content';
import { CatalogSearch, hallText, themesOf, useFacets } from './hall-entry';
import { Highlight } from './highlight';
import { audienceLabels, describeLimit, describeVisits, onlineDepthLabels } from './labels';

const PAGE_SIZE = 10;

const text = {
  title: { zh: '事项办理', en: 'Service items' },
  intro: {
    zh: '按主题、人生事件或部门查找要办的事，查看办事指南、所需材料和承诺时限。',
    en: 'Find a service by theme, life event or department, and read its guide, materials and committed limit.',
  },
  hall: { zh: '办事大厅', en: 'Service hall' },
  byTheme: { zh: '按主题', en: 'By theme' },
  byDepartment: { zh: '按部门', en: 'By department' },
  all: { zh: '全部', en: 'All' },
  allThemes: { zh: '全部主题', en: 'All themes' },
  allDepartments: { zh: '全部部门', en: 'All departments' },
  type: { zh: '事项类型', en: 'Item type' },
  allTypes: { zh: '全部类型', en: 'All types' },
  total: { zh: '共 {total} 个事项', en: '{total} service items' },
  totalFor: {
    zh: '“{q}” 共找到 {total} 个事项，按相关度排序',
    en: '{total} results for "{q}", most relevant first',
  },
  clear: { zh: '清除筛选', en: 'Clear filters' },
  none: { zh: '没有找到符合条件的事项', en: 'No service item matches' },
  noneHint: {
    zh: '换个说法试试，例如“营业执照”“社保”“出生”。',
    en: 'Try other words, such as "business licence", "social insurance" or "birth".',
  },
  committed: { zh: '承诺 {limit}', en: 'Committed {limit}' },
  failed: { zh: '事项列表加载失败：{message}', en: 'The list could not be loaded: {message}' },
  results: { zh: '事项列表', en: 'Service items' },
  filters: { zh: '筛选条件', en: 'Filters' },
} satisfies Record<string, Text>;

type ListState =
  | { status: 'loading'; previous: ItemList | null }
  | { status: 'ready'; value: ItemList }
  | { status: 'error'; message: string };

/** The hall's catalog at `/services`: browse by theme or department, search ranked by relevance. */
export function ServicesPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const { facets, error: facetsError } = useFacets();
  useDocumentTitle(text.title);

  const q = params.get('q')?.trim() ?? '';
  const audienceParam = params.get('audience');
  const audience: Audience | undefined =
    audienceParam === 'person' || audienceParam === 'enterprise' ? audienceParam : undefined;
  const theme = params.get('theme') ?? '';
  const department = params.get('department') ?? '';
  const type = params.get('type') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [tab, setTab] = useState(department ? 'department' : 'theme');

  const query: ItemQuery = {
    q: q || undefined,
    audience,
    theme: theme || undefined,
    department: department || undefined,
    type: type || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const queryKey = JSON.stringify(query);
  const [state, setState] = useState<ListState>({ status: 'loading', previous: null });

  useEffect(() => {
    const controller = new AbortController();
    setState((current) => ({
      status: 'loading',
      previous: current.status === 'ready' ? current.value : null,
    }));
    listItems(JSON.parse(queryKey) as ItemQuery, lang, controller.signal).then(
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
  }, [queryKey]);

  /** Changes some parameters; any change but the page starts again at page 1. */
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  const list =
    state.status === 'ready' ? state.value : state.status === 'loading' ? state.previous : null;
  const themes = facets
    ? audience
      ? themesOf(facets, audience)
      : [...facets.themes].sort((a, b) => b.count - a.count)
    : [];
  const departmentName = (code: string) => facets?.departments.find((d) => d.code === code)?.name;
  const typeName = (code: string) => facets?.types.find((d) => d.code === code)?.name;
  const filtered = !!(audience || theme || department || type);

  const themePanel = (
    <div className="ot-browse-panel">
      <Segmented
        value={audience ?? 'all'}
        onChange={(value) => {
          const next = value === 'all' ? undefined : (value as Audience);
          const keepTheme =
            !next || !facets || themesOf(facets, next).some((entry) => entry.name === theme);
          update({ audience: next, theme: keepTheme ? theme : undefined });
        }}
        options={[
          { value: 'person', label: t(hallText.person) },
          { value: 'enterprise', label: t(hallText.enterprise) },
          { value: 'all', label: t(text.all) },
        ]}
        data-testid="audience-switch"
      />
      {!facets ? (
        <Skeleton active title={false} paragraph={{ rows: 2 }} />
      ) : (
        <ul className="ot-theme-chips" aria-label={t(text.byTheme)}>
          <li>
            <button
              type="button"
              className={theme ? 'ot-theme-chip' : 'ot-theme-chip ot-theme-chip-active'}
              aria-pressed={!theme}
              onClick={() => update({ theme: undefined })}
            >
              {t(text.allThemes)}
            </button>
          </li>
          {themes.map((entry) => (
            <li key={entry.name}>
              <button
                type="button"
                className={
                  entry.name === theme ? 'ot-theme-chip ot-theme-chip-active' : 'ot-theme-chip'
                }
                aria-pressed={entry.name === theme}
                onClick={() => update({ theme: entry.name === theme ? undefined : entry.name })}
              >
                <span>{entry.name}</span>
                <span className="ot-theme-count">{entry.count}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  const departmentPanel = (
    <div className="ot-browse-panel">
      {!facets ? (
        <Skeleton active title={false} paragraph={{ rows: 2 }} />
      ) : (
        <ul className="ot-theme-chips" aria-label={t(text.byDepartment)}>
          <li>
            <button
              type="button"
              className={department ? 'ot-theme-chip' : 'ot-theme-chip ot-theme-chip-active'}
              aria-pressed={!department}
              onClick={() => update({ department: undefined })}
            >
              {t(text.allDepartments)}
            </button>
          </li>
          {facets.departments.map((entry) => (
            <li key={entry.code}>
              <button
                type="button"
                className={
                  entry.code === department ? 'ot-theme-chip ot-theme-chip-active' : 'ot-theme-chip'
                }
                aria-pressed={entry.code === department}
                onClick={() =>
                  update({ department: entry.code === department ? undefined : entry.code })
                }
              >
                <span>{t(entry.name)}</span>
                <span className="ot-theme-count">{entry.count}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  return (
    <div className="ot-services">
      <section className="ot-services-hero">
        <div className="ot-page-width">
          <Breadcrumb
            className="ot-services-breadcrumb"
            items={[{ title: <Link to="/">{t(text.hall)}</Link> }, { title: t(text.title) }]}
          />
          <h1 className="ot-services-title">{t(text.title)}</h1>
          <p className="ot-services-intro">{t(text.intro)}</p>
          <CatalogSearch initial={q} onSearch={(value) => update({ q: value || undefined })} />
        </div>
      </section>

      <div className="ot-page-width ot-section">
        {facetsError && (
          <Alert
            type="warning"
            showIcon
            className="ot-block"
            title={t(hallText.facetsFailed, { message: facetsError })}
          />
        )}
        <div className="ot-browse" aria-label={t(text.filters)}>
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              { key: 'theme', label: t(text.byTheme), children: themePanel },
              { key: 'department', label: t(text.byDepartment), children: departmentPanel },
            ]}
          />
        </div>

        <section aria-label={t(text.results)} className="ot-results">
          <div className="ot-results-head">
            <div className="ot-results-total" data-testid="results-total" role="status">
              {list
                ? q
                  ? t(text.totalFor, { q, total: list.total })
                  : t(text.total, { total: list.total })
                : '\u00a0'}
            </div>
            <Select
              className="ot-results-type"
              value={type || ''}
              onChange={(value: string) => update({ type: value || undefined })}
              aria-label={t(text.type)}
              popupMatchSelectWidth={false}
              options={[
                { value: '', label: t(text.allTypes) },
                ...(facets?.types ?? []).map((entry) => ({
                  value: entry.code,
                  label: `${t(entry.name)} (${entry.count})`,
                })),
              ]}
            />
          </div>
          {filtered && (
            <div className="ot-results-filters">
              <FilterOutlined aria-hidden="true" className="ot-muted" />
              {audience && (
                <Tag closable onClose={() => update({ audience: undefined })}>
                  {t(audienceLabels[audience])}
                </Tag>
              )}
              {theme && (
                <Tag closable onClose={() => update({ theme: undefined })}>
                  {theme}
                </Tag>
              )}
              {department && (
                <Tag closable onClose={() => update({ department: undefined })}>
                  {departmentName(department) ? t(departmentName(department)!) : department}
                </Tag>
              )}
              {type && (
                <Tag closable onClose={() => update({ type: undefined })}>
                  {typeName(type) ? t(typeName(type)!) : type}
                </Tag>
              )}
              <Button
                type="link"
                size="small"
                onClick={() =>
                  update({
                    audience: undefined,
                    theme: undefined,
                    department: undefined,
                    type: undefined,
                  })
                }
              >
                {t(text.clear)}
              </Button>
            </div>
          )}

          {state.status === 'error' ? (
            <Alert type="error" showIcon title={t(text.failed, { message: state.message })} />
          ) : !list ? (
            <Skeleton active />
          ) : list.items.length === 0 ? (
            <Empty description={t(text.none)} className="ot-results-empty">
              <div className="ot-muted">{t(text.noneHint)}</div>
            </Empty>
          ) : (
            <ol
              className="ot-result-list"
              data-testid="results"
              aria-busy={state.status === 'loading'}
              start={(page - 1) * PAGE_SIZE + 1}
            >
              {list.items.map((item) => (
                <li key={item.code} className="ot-result" data-code={item.code}>
                  <Link to={`/services/${item.code}`} className="ot-result-name">
                    <Highlight text={t(item.name)} query={q} />
                  </Link>
                  <div className="ot-result-meta">
                    <Tag color="blue">{t(item.typeName)}</Tag>
                    <span>{t(item.departmentName)}</span>
                  </div>
                  <div className="ot-result-facts">
                    <span>
                      <ClockCircleOutlined aria-hidden="true" />{' '}
                      {t(text.committed, { limit: t(describeLimit(item.committedLimit)) })}
                    </span>
                    <span>{t(describeVisits(item.visits))}</span>
                    {onlineDepthLabels[item.onlineDepth] && (
                      <span>{t(onlineDepthLabels[item.onlineDepth]!)}</span>
                    )}
                    {item.audience.map((a) => (
                      <span key={a} className="ot-muted">
                        {t(audienceLabels[a])}
                      </span>
                    ))}
                  </div>
                  {item.themes.length > 0 && (
                    <div className="ot-result-themes">
                      {item.themes.map((name) => (
                        <Tag key={name} variant="filled">
                          {name}
                        </Tag>
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ol>
          )}
          {list && list.total > PAGE_SIZE && (
            <Pagination
              className="ot-results-pages"
              current={page}
              pageSize={PAGE_SIZE}
              total={list.total}
              showSizeChanger={false}
              onChange={(next) => {
                update({ page: next > 1 ? String(next) : undefined });
                window.scrollTo({ top: 0 });
              }}
            />
          )}
        </section>
      </div>
    </div>
  );
}
