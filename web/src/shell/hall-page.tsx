import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Col, Row, Tag, Typography } from 'antd';
import {
  AppstoreOutlined,
  AuditOutlined,
  FileSearchOutlined,
  GiftOutlined,
  IdcardOutlined,
  LikeOutlined,
  LoginOutlined,
  PhoneOutlined,
  RightOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { BundleHallEntry } from '../features/bundles/hall-entry';
import { CatalogSearch, ThemeEntries } from '../features/catalog/hall-entry';
import { PolicyHallEntry } from '../features/policies/hall-pages';
import { useAuth } from './auth';
import type { Text } from './i18n';
import { useDocumentTitle, useI18n } from './i18n';
import { shellText } from './messages';

const text = {
  title: { zh: '办事大厅', en: 'Service hall' },
  slogan: { zh: '高效办成一件事', en: 'Get one thing done, efficiently' },
  intro: {
    zh: '群众和企业在这里找到要办的“一件事”：回答几个情形问题，一张表申请、一套材料提交、一个窗口受理，办理进度全程可查。',
    en: 'Citizens and enterprises find the "one thing" they need done here: answer a few questions about their situation, apply with one form and one set of materials at one window, and follow every step.',
  },
  status: {
    zh: '平台正在建设中：一件事、事项办理、我的办件和 12345 诉求已开放；标注“未开放”的服务开放后即可在此直接办理，手机和电脑均可使用。',
    en: 'The platform is being built: bundles, service items, your applications and 12345 requests are open; the services marked "not yet open" can be used right here, on a phone or a computer, once they open.',
  },
  themesTitle: { zh: '按主题办事', en: 'Find by theme' },
  themesIntro: {
    zh: '按人生事件和企业生命周期找到要办的事。',
    en: 'Find what you need by life event or business stage.',
  },
  welcome: { zh: '您好，{name}', en: 'Welcome, {name}' },
  signInHint: {
    zh: '登录后可申请办理、查看办件进度和电子证照。',
    en: 'Sign in to apply, follow your applications and see your e-licences.',
  },
  servicesTitle: { zh: '服务', en: 'Services' },
} satisfies Record<string, Text>;

interface HallService {
  key: string;
  icon: ReactNode;
  title: Text;
  description: Text;
  /** Where the service is, once it is open. */
  path?: string;
}

/** What the hall will offer (DESIGN.md capabilities seen from the public side). */
const services: HallService[] = [
  {
    key: 'bundles',
    icon: <AppstoreOutlined />,
    title: { zh: '一件事', en: 'One-thing bundles' },
    description: {
      zh: '按情形引导，一表申请多个关联事项。',
      en: 'Several related matters in one application, guided by your situation.',
    },
    path: '/bundles',
  },
  {
    key: 'items',
    icon: <FileSearchOutlined />,
    title: { zh: '事项办理', en: 'Service items' },
    description: {
      zh: '办事指南、申请材料、承诺时限一目了然。',
      en: 'Guides, required materials and committed time limits at a glance.',
    },
    path: '/services',
  },
  {
    key: 'applications',
    icon: <AuditOutlined />,
    title: { zh: '我的办件', en: 'My applications' },
    description: {
      zh: '查看办理进度、补正通知和办理结果。',
      en: 'Follow progress, correction requests and decisions.',
    },
    path: '/applications',
  },
  {
    key: 'licences',
    icon: <IdcardOutlined />,
    title: { zh: '电子证照', en: 'E-licences' },
    description: {
      zh: '亮证、用证，免于重复提交证明材料。',
      en: 'Show and use licences instead of handing in the same papers again.',
    },
    path: '/licences',
  },
  {
    key: 'policies',
    icon: <GiftOutlined />,
    title: { zh: '惠企政策', en: 'Policies for enterprises' },
    description: {
      zh: '政策找人，符合条件的免申即享。',
      en: 'Policies find eligible enterprises; some are granted without applying.',
    },
    path: '/policies',
  },
  {
    key: 'hotline',
    icon: <PhoneOutlined />,
    title: { zh: '12345 诉求', en: '12345 requests' },
    description: {
      zh: '提出咨询、投诉和企业诉求，接诉即办。',
      en: 'Ask, complain or file an enterprise demand; handled on receipt.',
    },
    path: '/hotline',
  },
  {
    key: 'evaluations',
    icon: <LikeOutlined />,
    title: { zh: '好差评', en: 'Rate the service' },
    description: {
      zh: '一次一评，差评整改结果反馈给您。',
      en: 'Rate every service; bad ratings are rectified and reported back to you.',
    },
    path: '/evaluations',
  },
  {
    key: 'supervision',
    icon: <SafetyCertificateOutlined />,
    title: { zh: '双随机一公开', en: 'Inspection results' },
    description: {
      zh: '抽查结果公示、企业信用查询；企业可查看本企业的检查与信用。',
      en: 'Published inspection results and enterprise credit; enterprises see their own.',
    },
    path: '/supervision/results',
  },
];

/** The public service hall at `/`, for citizens and enterprises; works on a phone. */
export function HallPage() {
  const { t } = useI18n();
  const { user, state } = useAuth();
  const navigate = useNavigate();
  useDocumentTitle(text.title);

  return (
    <div className="ot-hall">
      <section className="ot-hall-hero">
        <div className="ot-page-width">
          <Typography.Title level={1} className="ot-hall-title">
            {t(text.title)}
          </Typography.Title>
          <div className="ot-hall-slogan">{t(text.slogan)}</div>
          <Typography.Paragraph className="ot-hall-intro">{t(text.intro)}</Typography.Paragraph>
          <div className="ot-hall-search">
            <CatalogSearch />
          </div>
          {user ? (
            <div className="ot-hall-welcome">{t(text.welcome, { name: user.displayName })}</div>
          ) : (
            state.status !== 'loading' && (
              <div className="ot-hall-signin">
                <Button
                  size="large"
                  icon={<LoginOutlined />}
                  onClick={() => navigate('/signin')}
                  data-testid="hall-signin"
                >
                  {t(shellText.signIn)}
                </Button>
                <span>{t(text.signInHint)}</span>
              </div>
            )
          )}
        </div>
      </section>

      <BundleHallEntry />

      <PolicyHallEntry />

      <section className="ot-page-width ot-section" aria-labelledby="hall-themes">
        <Typography.Title level={3} id="hall-themes" className="ot-section-title">
          {t(text.themesTitle)}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t(text.themesIntro)}</Typography.Paragraph>
        <ThemeEntries />
      </section>

      <section className="ot-page-width ot-section" aria-labelledby="hall-services">
        <Typography.Title level={3} id="hall-services" className="ot-section-title">
          {t(text.servicesTitle)}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t(text.status)}</Typography.Paragraph>
        <Row gutter={[16, 16]}>
          {services.map((service) => (
            <Col key={service.key} xs={24} sm={12} lg={8} xl={6}>
              <Card
                className={
                  service.path ? 'ot-service-card ot-service-card-open' : 'ot-service-card'
                }
                hoverable={!!service.path}
                onClick={service.path ? () => navigate(service.path!) : undefined}
              >
                <div className="ot-service-icon" aria-hidden="true">
                  {service.icon}
                </div>
                <div className="ot-service-body">
                  <div className="ot-service-title">
                    {service.path ? (
                      <Link to={service.path} onClick={(event) => event.stopPropagation()}>
                        {t(service.title)} <RightOutlined aria-hidden="true" />
                      </Link>
                    ) : (
                      <>
                        <span>{t(service.title)}</span>
                        <Tag>{t(shellText.comingSoon)}</Tag>
                      </>
                    )}
                  </div>
                  <div className="ot-service-description">{t(service.description)}</div>
                </div>
              </Card>
            </Col>
          ))}
        </Row>
      </section>
    </div>
  );
}
