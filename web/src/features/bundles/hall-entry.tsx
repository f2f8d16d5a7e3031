import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Skeleton, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { BundleSummary } from './api';
import { listBundles } from './api';
import { BundleCard } from './bundles-page';
import './bundles.css';

const text = {
  title: { zh: '高效办成一件事', en: 'Get one thing done' },
  intro: {
    zh: '开公司、生孩子、退休……回答几个问题，一张表、一套材料，一次办好。',
    en: 'Start a company, have a baby, retire… answer a few questions and do it all with one form and one set of materials.',
  },
  all: { zh: '全部一件事', en: 'All bundles' },
  failed: { zh: '一件事暂时无法加载', en: 'The bundles could not be loaded' },
} satisfies Record<string, Text>;

/** The bundles first on the hall: 企业开办 leads, then the others people ask for most. */
const FEATURED = ['enterprise-opening', 'birth', 'retirement', 'restaurant-opening'];

/** The hall's prominent 一件事 section: a few bundle cards and the way to all of them. */
export function BundleHallEntry() {
  const { t, lang } = useI18n();
  const [bundles, setBundles] = useState<BundleSummary[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    listBundles({}, lang, controller.signal).then(
      (reply) => setBundles(reply.bundles),
      () => !controller.signal.aborted && setFailed(true),
    );
    return () => controller.abort();
  }, []);
  const rank = (code: string) => {
    const index = FEATURED.indexOf(code);
    return index < 0 ? FEATURED.length : index;
  };
  const shown = [...(bundles ?? [])].sort((a, b) => rank(a.code) - rank(b.code)).slice(0, 3);

  return (
    <section className="ot-hall-bundles" aria-labelledby="hall-bundles" data-testid="hall-bundles">
      <div className="ot-page-width ot-section">
        <div className="ot-hall-bundles-head">
          <div>
            <Typography.Title level={3} id="hall-bundles" className="ot-section-title">
              {t(text.title)}
            </Typography.Title>
            <Typography.Text type="secondary">{t(text.intro)}</Typography.Text>
          </div>
          <Link to="/bundles" data-testid="hall-bundles-all">
            {t(text.all)}
            {bundles ? ` (${bundles.length})` : ''} <RightOutlined aria-hidden="true" />
          </Link>
        </div>
        {failed ? (
          <Typography.Text type="secondary">{t(text.failed)}</Typography.Text>
        ) : !bundles ? (
          <Skeleton active />
        ) : (
          <div className="ot-bundle-grid">
            {shown.map((bundle) => (
              <BundleCard key={bundle.code} bundle={bundle} />
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
