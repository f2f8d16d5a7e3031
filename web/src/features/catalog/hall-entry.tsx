import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Input, Skeleton } from 'antd';
import { BankOutlined, RightOutlined, UserOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { Facets } from './api';
import { fetchFacets } from './api';
import type { Audience } from './content';
import './catalog.css';

export const hallText = {
  searchPlaceholder: {
    zh: '搜索要办的事，如：开公司、生孩子、退休、公积金',
    en: 'Search what you need done, e.g. start a company, retire, housing fund',
  },
  searchLabel: { zh: '搜索事项', en: 'Search service items' },
  search: { zh: '搜索', en: 'Search' },
  person: { zh: '个人办事', en: 'For individuals' },
  enterprise: { zh: '企业办事', en: 'For enterprises' },
  personHint: { zh: '自然人 · 按人生事件', en: 'Natural persons · by life event' },
  enterpriseHint: { zh: '法人 · 按企业生命周期', en: 'Legal persons · by business stage' },
  allItems: { zh: '全部事项', en: 'All service items' },
  count: { zh: '{count} 项', en: '{count}' },
  facetsFailed: { zh: '主题暂时无法加载：{message}', en: 'Themes could not be loaded: {message}' },
  noThemes: { zh: '暂无主题', en: 'No themes yet' },
} satisfies Record<string, Text>;

/** The hall's search box: leads to `/services?q=…`, where results are ranked. */
export function CatalogSearch({
  initial = '',
  size = 'large',
  onSearch,
}: {
  initial?: string;
  size?: 'large' | 'middle';
  onSearch?: (q: string) => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  return (
    <form role="search" className="ot-catalog-search" onSubmit={(event) => event.preventDefault()}>
      <Input.Search
        size={size}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        placeholder={t(hallText.searchPlaceholder)}
        aria-label={t(hallText.searchLabel)}
        enterButton={t(hallText.search)}
        allowClear
        maxLength={100}
        data-testid="catalog-search"
        onSearch={(raw) => {
          const q = raw.trim();
          if (onSearch) onSearch(q);
          else navigate(q ? `/services?q=${encodeURIComponent(q)}` : '/services');
        }}
      />
    </form>
  );
}

/** Loads the catalog's facets once. */
export function useFacets(): { facets: Facets | null; error: string | null } {
  const { lang } = useI18n();
  const [facets, setFacets] = useState<Facets | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchFacets(lang, controller.signal).then(
      (value) => {
        setFacets(value);
        setError(null);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) {
          setError(failure instanceof Error ? failure.message : String(failure));
        }
      },
    );
    return () => controller.abort();
  }, []);
  return { facets, error };
}

/** The themes of one audience, most items first. */
export function themesOf(facets: Facets, audience: Audience): Facets['themes'] {
  return facets.themes
    .filter((theme) => theme.audience.includes(audience))
    .map((theme) => ({ ...theme, count: theme.byAudience[audience] ?? 0 }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The hall home's entry points: themes and life events for individuals and for enterprises. */
export function ThemeEntries({ perAudience = 8 }: { perAudience?: number }) {
  const { t } = useI18n();
  const { facets, error } = useFacets();

  const groups: { audience: Audience; title: Text; hint: Text; icon: ReactNode }[] = [
    {
      audience: 'person',
      title: hallText.person,
      hint: hallText.personHint,
      icon: <UserOutlined />,
    },
    {
      audience: 'enterprise',
      title: hallText.enterprise,
      hint: hallText.enterpriseHint,
      icon: <BankOutlined />,
    },
  ];

  if (error) return <p className="ot-muted">{t(hallText.facetsFailed, { message: error })}</p>;

  return (
    <div className="ot-theme-entries" data-testid="theme-entries">
      {groups.map((group) => {
        const themes = facets ? themesOf(facets, group.audience) : [];
        return (
          <section key={group.audience} className="ot-theme-group" aria-label={t(group.title)}>
            <header className="ot-theme-group-head">
              <span className="ot-theme-group-icon" aria-hidden="true">
                {group.icon}
              </span>
              <div className="ot-theme-group-text">
                <Link to={`/services?audience=${group.audience}`} className="ot-theme-group-title">
                  {t(group.title)}
                </Link>
                <div className="ot-muted">{t(group.hint)}</div>
              </div>
              <Link to={`/services?audience=${group.audience}`} className="ot-theme-group-more">
                {t(hallText.allItems)} <RightOutlined />
              </Link>
            </header>
            {!facets ? (
              <Skeleton active paragraph={{ rows: 2 }} title={false} />
            ) : themes.length === 0 ? (
              <p className="ot-muted">{t(hallText.noThemes)}</p>
            ) : (
              <ul className="ot-theme-chips">
                {themes.slice(0, perAudience).map((theme) => (
                  <li key={theme.name}>
                    <Link
                      className="ot-theme-chip"
                      to={`/services?audience=${group.audience}&theme=${encodeURIComponent(theme.name)}`}
                    >
                      <span>{theme.name}</span>
                      <span className="ot-theme-count">{theme.count}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
