import type { ReactNode } from 'react';
import { Tag, Tooltip } from 'antd';
import {
  CheckCircleFilled,
  ClockCircleOutlined,
  FileDoneOutlined,
  FormOutlined,
  WarningFilled,
} from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { describeLimit, materialFormLabels } from '../catalog/labels';
import type { BundleGuide, Guide, GuideItem } from './api';
import { describeHours, provisionLabels } from './labels';
import './bundles.css';

export const bundleGuideText = {
  expected: { zh: '预计办结', en: 'Expected to be done' },
  expectedIn: { zh: '受理后 {limit}', en: '{limit} after acceptance' },
  expectedBy: { zh: '约 {date} 前', en: 'by about {date}' },
  commitment: { zh: '承诺 {limit}', en: 'committed {limit}' },
  within: { zh: '在承诺时限内', en: 'within the commitment' },
  beyond: { zh: '超出承诺时限', en: 'beyond the commitment' },
  saves: { zh: '一件事为您节省', en: 'What one application saves you' },
  savesLine: {
    zh: '分别办理需 {steps} 次申请、{materials} 份材料 → 现在 1 次申请、{now} 份材料',
    en: 'Separately: {steps} applications, {materials} materials → now 1 application, {now} materials',
  },
  savesFields: {
    zh: '填表 {fields} 项 → {now} 项（同一信息只填一次）',
    en: 'Form fields {fields} → {now} (each fact asked once)',
  },
  items: { zh: '办理事项与时间线', en: 'Items and timeline' },
  itemsCount: {
    zh: '{count} 个事项，部门并联办理',
    en: '{count} items, handled by the departments in parallel',
  },
  critical: { zh: '关键路径', en: 'critical path' },
  after: { zh: '待 {list} 完成后', en: 'after {list}' },
  startsAt: { zh: '开始：{when}', en: 'starts: {when}' },
  finishesAt: { zh: '完成：{when}', en: 'done: {when}' },
  atOnce: { zh: '受理即开始', en: 'starts at acceptance' },
  result: { zh: '结果：{name}', en: 'result: {name}' },
  materials: { zh: '一套材料', en: 'One set of materials' },
  materialsCount: { zh: '共 {count} 份，只交一次', en: '{count} materials, handed in once' },
  noMaterials: { zh: '无需提交材料', en: 'No materials needed' },
  usedBy: { zh: '用于：{list}', en: 'used by: {list}' },
  always: { zh: '所有申请人均需提交', en: 'Every applicant' },
  because: { zh: '因为您选择了：{answers}', en: 'Because you answered: {answers}' },
  alwaysItem: { zh: '必办', en: 'always' },
  noUpload: { zh: '无需上传', en: 'nothing to upload' },
  fromResult: { zh: '由「{name}」的结果提供', en: 'provided by the result of "{name}"' },
  deficiency: { zh: '容缺', en: 'may follow later' },
  deficiencyTitle: {
    zh: '容缺受理：可先受理，此材料后补',
    en: 'The application can be accepted and this material handed in later',
  },
  pledge: { zh: '告知承诺', en: 'pledge accepted' },
  pledgeTitle: {
    zh: '告知承诺：签署承诺书可代替此材料',
    en: 'A signed pledge can replace this material',
  },
  fees: { zh: '费用', en: 'Fees' },
  free: { zh: '全程免费', en: 'Free of charge' },
  feeTotal: { zh: '合计 {amount} 元', en: 'CNY {amount} in total' },
  feeLine: { zh: '{name}：{amount} 元', en: '{name}: CNY {amount}' },
  form: { zh: '一表申请', en: 'One form' },
  formCount: { zh: '需填写 {count} 项', en: '{count} fields to fill in' },
  unanswered: {
    zh: '请先回答左侧问题，清单会随回答即时更新。',
    en: 'Answer the questions; the list updates with every answer.',
  },
} satisfies Record<string, Text>;

/** A working-hour offset on the timeline, from acceptance. */
function When({ hours }: { hours: number }) {
  const { t } = useI18n();
  return <>{t(describeHours(hours))}</>;
}

function Block({
  id,
  title,
  aside,
  children,
}: {
  id: string;
  title: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="ot-bg-block" aria-labelledby={`bg-${id}`} data-block={id}>
      <div className="ot-bg-block-head">
        <h2 id={`bg-${id}`}>{title}</h2>
        {aside && <span className="ot-bg-block-aside">{aside}</span>}
      </div>
      {children}
    </section>
  );
}

/** The timeline of the items that apply: bars from start to committed finish, critical path marked. */
export function BundleTimeline({ guide }: { guide: Guide }) {
  const { t, locale } = useI18n();
  const list = (items: string[]) => items.join(locale === 'en' ? ', ' : '、');
  const byMember = new Map(guide.items.map((item) => [item.member, item]));
  const critical = new Set(guide.completion.criticalPath);
  const span = Math.max(
    guide.completion.hours,
    ...guide.items.map((item) => item.finishesAfterHours),
    0.0001,
  );
  const order = [...guide.items].sort(
    (a, b) =>
      a.startsAfterHours - b.startsAfterHours || a.finishesAfterHours - b.finishesAfterHours,
  );
  return (
    <ol className="ot-bg-timeline" data-testid="bundle-timeline">
      {order.map((item: GuideItem) => {
        const onPath = critical.has(item.member);
        const left = (item.startsAfterHours / span) * 100;
        const width = Math.max(((item.finishesAfterHours - item.startsAfterHours) / span) * 100, 2);
        const waits = item.after
          .map((key) => byMember.get(key))
          .filter((x): x is GuideItem => !!x)
          .map((x) => t(x.name));
        return (
          <li
            key={item.member}
            className={onPath ? 'ot-bg-item ot-bg-item-critical' : 'ot-bg-item'}
            data-member={item.member}
            data-critical={onPath ? 'true' : undefined}
          >
            <div className="ot-bg-item-head">
              <span className="ot-bg-item-name">{t(item.name)}</span>
              {onPath && (
                <Tag color="red" className="ot-bg-critical-tag">
                  {t(bundleGuideText.critical)}
                </Tag>
              )}
              {item.reason.because.length > 0 && (
                <Tooltip
                  title={t(bundleGuideText.because, {
                    answers: list(item.reason.because.map((b) => t(b.label))),
                  })}
                >
                  <Tag color="blue">{list(item.reason.because.map((b) => t(b.label)))}</Tag>
                </Tooltip>
              )}
            </div>
            <div className="ot-bg-item-meta">
              <span>{item.departmentName ? t(item.departmentName) : item.department}</span>
              <span>
                <ClockCircleOutlined aria-hidden="true" /> {t(describeLimit(item.committedLimit))}
              </span>
              <span className="ot-muted">
                {waits.length > 0
                  ? t(bundleGuideText.after, { list: list(waits) })
                  : t(bundleGuideText.atOnce)}
              </span>
            </div>
            <div
              className="ot-bg-bar-track"
              role="img"
              aria-label={`${t(bundleGuideText.startsAt, { when: t(describeHours(item.startsAfterHours)) })}; ${t(bundleGuideText.finishesAt, { when: t(describeHours(item.finishesAfterHours)) })}`}
            >
              <div className="ot-bg-bar" style={{ left: `${left}%`, width: `${width}%` }} />
            </div>
            <div className="ot-bg-bar-scale">
              <span>
                <When hours={item.startsAfterHours} />
              </span>
              <span>
                → <When hours={item.finishesAfterHours} />
              </span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The live list of a bundle for one applicant's answers: the items that apply with their
 * departments on a timeline, the expected completion against the commitment, the one set of
 * materials with why each is there, fees, and what the bundle saves. Used by the hall's bundle
 * page, the application and the administrator's preview.
 */
export function BundleGuideView({
  guide,
  expectedBy,
  compact = false,
}: {
  guide: Guide | BundleGuide;
  expectedBy?: string | null;
  /** Leaves out the timeline bars (the application page shows them elsewhere). */
  compact?: boolean;
}) {
  const { t, locale } = useI18n();
  const list = (items: string[]) => items.join(locale === 'en' ? ', ' : '、');
  const nameOf = new Map(guide.items.map((item) => [item.member, t(item.name)]));
  const { completion, separately, fees } = guide;
  const by =
    expectedBy === undefined ? ('expectedBy' in guide ? guide.expectedBy : null) : expectedBy;
  const nowMaterials = guide.materials.length;

  return (
    <div className="ot-bg" data-testid="bundle-guide">
      <div className="ot-bg-summary">
        <div className="ot-bg-stat" data-testid="bundle-expected">
          <div className="ot-bg-stat-label">{t(bundleGuideText.expected)}</div>
          <div className="ot-bg-stat-value">
            {t(bundleGuideText.expectedIn, { limit: t(completion.description) })}
          </div>
          <div className="ot-bg-stat-note">
            {t(bundleGuideText.commitment, { limit: t(describeLimit(completion.commitment)) })}{' '}
            {completion.withinCommitment ? (
              <Tag color="green" icon={<CheckCircleFilled />}>
                {t(bundleGuideText.within)}
              </Tag>
            ) : (
              <Tag color="red" icon={<WarningFilled />}>
                {t(bundleGuideText.beyond)}
              </Tag>
            )}
          </div>
          {by && (
            <div className="ot-bg-stat-note">
              {t(bundleGuideText.expectedBy, {
                date: new Date(by).toLocaleString(locale, {
                  timeZone: 'Asia/Shanghai',
                  month: 'long',
                  day: 'numeric',
                  hour: '2-digit',
                  minute: '2-digit',
                }),
              })}
            </div>
          )}
        </div>
        <div className="ot-bg-stat ot-bg-saves" data-testid="bundle-saves">
          <div className="ot-bg-stat-label">{t(bundleGuideText.saves)}</div>
          <div className="ot-bg-stat-value ot-bg-saves-line">
            {t(bundleGuideText.savesLine, {
              steps: separately.steps,
              materials: separately.materials,
              now: nowMaterials,
            })}
          </div>
          <div className="ot-bg-stat-note">
            {t(bundleGuideText.savesFields, {
              fields: separately.fields,
              now: guide.fields.length,
            })}
          </div>
        </div>
      </div>

      <Block
        id="items"
        title={t(bundleGuideText.items)}
        aside={t(bundleGuideText.itemsCount, { count: guide.items.length })}
      >
        {compact ? (
          <ul className="ot-bg-item-list">
            {guide.items.map((item) => (
              <li key={item.member}>
                {t(item.name)}{' '}
                <span className="ot-muted">
                  {item.departmentName ? t(item.departmentName) : item.department}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <BundleTimeline guide={guide} />
        )}
      </Block>

      <Block
        id="materials"
        title={t(bundleGuideText.materials)}
        aside={t(bundleGuideText.materialsCount, { count: nowMaterials })}
      >
        {guide.materials.length === 0 ? (
          <p className="ot-muted">{t(bundleGuideText.noMaterials)}</p>
        ) : (
          <ol className="ot-bg-materials" data-testid="bundle-materials">
            {guide.materials.map((material) => {
              const users = [...new Set(material.usedBy.map((u) => u.member))]
                .map((m) => nameOf.get(m) ?? m)
                .filter(Boolean);
              return (
                <li key={material.key} data-material={material.key}>
                  <div className="ot-bg-material-head">
                    <FileDoneOutlined aria-hidden="true" className="ot-bg-material-icon" />
                    <span className="ot-bg-material-name">{t(material.name)}</span>
                    {material.provision === 'result' ? (
                      <Tag color="cyan">
                        {material.from && nameOf.get(material.from)
                          ? t(bundleGuideText.fromResult, { name: nameOf.get(material.from)! })
                          : t(provisionLabels.result)}{' '}
                        — {t(bundleGuideText.noUpload)}
                      </Tag>
                    ) : (
                      material.provision !== 'upload' && (
                        <Tag color="cyan">
                          {t(provisionLabels[material.provision])} — {t(bundleGuideText.noUpload)}
                        </Tag>
                      )
                    )}
                    {material.deficiencyAllowed && (
                      <Tag color="gold" title={t(bundleGuideText.deficiencyTitle)}>
                        {t(bundleGuideText.deficiency)}
                      </Tag>
                    )}
                    {material.pledgeAllowed && (
                      <Tag color="purple" title={t(bundleGuideText.pledgeTitle)}>
                        {t(bundleGuideText.pledge)}
                      </Tag>
                    )}
                  </div>
                  <div className="ot-bg-material-why">
                    {material.reason.because.length > 0
                      ? t(bundleGuideText.because, {
                          answers: list(material.reason.because.map((b) => t(b.label))),
                        })
                      : t(bundleGuideText.always)}
                    {material.forms.length > 0 && (
                      <span className="ot-muted">
                        {' · '}
                        {list(material.forms.map((form) => t(materialFormLabels[form])))}
                      </span>
                    )}
                  </div>
                  {users.length > 0 && (
                    <div className="ot-bg-material-used ot-muted">
                      {t(bundleGuideText.usedBy, { list: list(users) })}
                    </div>
                  )}
                  {material.note && <div className="ot-muted">{material.note}</div>}
                </li>
              );
            })}
          </ol>
        )}
      </Block>

      <div className="ot-bg-pair">
        <Block id="fees" title={t(bundleGuideText.fees)}>
          {fees.totalYuan === 0 ? (
            <p className="ot-bg-free" data-testid="bundle-fees">
              {t(bundleGuideText.free)}
            </p>
          ) : (
            <div data-testid="bundle-fees">
              <p className="ot-bg-fee-total">
                {t(bundleGuideText.feeTotal, { amount: fees.totalYuan })}
              </p>
              <ul className="ot-bg-fee-lines">
                {fees.items.map((fee) => (
                  <li key={fee.member}>
                    {t(bundleGuideText.feeLine, {
                      name: nameOf.get(fee.member) ?? fee.member,
                      amount: fee.amountYuan,
                    })}
                    {fee.basis && <div className="ot-muted">{fee.basis}</div>}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Block>
        <Block id="form" title={t(bundleGuideText.form)}>
          <p>
            <FormOutlined aria-hidden="true" />{' '}
            {t(bundleGuideText.formCount, { count: guide.fields.length })}
          </p>
        </Block>
      </div>
    </div>
  );
}
