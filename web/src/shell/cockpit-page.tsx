import { Alert, Card, Col, Empty, Row, Typography } from 'antd';
import type { Text } from './i18n';
import { useDocumentTitle, useI18n } from './i18n';

const text = {
  title: { zh: '驾驶舱', en: 'Cockpit' },
  intro: {
    zh: '驾驶舱供效能督办和领导使用，汇总全市政务服务的运行情况：办件是否按时办结、群众企业是否好办易办、诉求是否闭环、检查是否规范，以及改革任务的推进进度。',
    en: 'The cockpit is for supervisors and leadership. It brings together how government services run across the city: whether cases finish on time, whether things are easy to get done, whether requests close their loop, whether inspections follow the rules, and how reform tasks progress.',
  },
  notice: {
    zh: '驾驶舱正在建设中。各项指标将在相关业务上线后由真实办件、工单和检查数据计算，此处不展示示例数字。',
    en: 'The cockpit is being built. Each indicator will be computed from real cases, tickets and inspections once those services are live; no sample figures are shown here.',
  },
  noData: { zh: '尚无数据', en: 'No data yet' },
} satisfies Record<string, Text>;

/** The indicator areas the cockpit will show (DESIGN.md, capability `insight`). */
const areas: { key: string; title: Text; description: Text }[] = [
  {
    key: 'ease',
    title: { zh: '好办易办率', en: 'Ease of getting things done' },
    description: {
      zh: '一件事办理的环节、材料、时间和跑动次数。',
      en: 'Steps, materials, time and trips needed per bundle.',
    },
  },
  {
    key: 'timeliness',
    title: { zh: '办件时效', en: 'Case timeliness' },
    description: {
      zh: '按工作日计算的法定与承诺时限、预警和超期。',
      en: 'Statutory and committed limits in working days, warnings and overdue cases.',
    },
  },
  {
    key: 'hotline',
    title: { zh: '12345 接诉即办', en: '12345 hotline' },
    description: {
      zh: '工单的响应、办结、满意和重办情况。',
      en: 'Response, closure, satisfaction and reopening of tickets.',
    },
  },
  {
    key: 'evaluations',
    title: { zh: '好差评', en: 'Evaluations' },
    description: {
      zh: '评价结果与差评整改的按期完成情况。',
      en: 'Ratings and whether bad ratings are rectified on time.',
    },
  },
  {
    key: 'inspections',
    title: { zh: '双随机检查', en: 'Random inspections' },
    description: {
      zh: '抽查计划、检查执行与结果公示。',
      en: 'Inspection plans, their execution and published results.',
    },
  },
  {
    key: 'reform',
    title: { zh: '改革任务台账', en: 'Reform-task ledger' },
    description: {
      zh: '各项改革措施的责任单位与完成进度。',
      en: 'Each reform measure, its responsible units and its progress.',
    },
  },
];

/** The cockpit at `/cockpit`: indicator areas without figures until real data exists. */
export function CockpitPage() {
  const { t } = useI18n();
  useDocumentTitle(text.title);
  return (
    <div className="ot-page-width ot-section">
      <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <Alert type="info" showIcon title={t(text.notice)} className="ot-block" />
      <Row gutter={[16, 16]}>
        {areas.map((area) => (
          <Col key={area.key} xs={24} md={12} xl={8}>
            <Card title={t(area.title)} className="ot-cockpit-card">
              <Typography.Paragraph type="secondary">{t(area.description)}</Typography.Paragraph>
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(text.noData)} />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
