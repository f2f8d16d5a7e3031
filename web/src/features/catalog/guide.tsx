import type { ReactNode } from 'react';
import { Tag } from 'antd';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { Answers, Applicable, Reason } from './api';
import type { FormColumn, ItemContent, Material, Situation } from './content';
import {
  audienceLabels,
  describeLimit,
  describeSource,
  describeVisits,
  fieldTypeLabels,
  idKindLabels,
  itemTypeLabels,
  levelLabels,
  materialFormLabels,
  onlineDepthLabel,
  requirementLabels,
  resultKindLabels,
} from './labels';
import './catalog.css';

export const guideText = {
  code: { zh: '实施编码', en: 'Implementation code' },
  basicCode: { zh: '基本编码', en: 'Basic code' },
  version: { zh: '第 {version} 版', en: 'Version {version}' },
  publishedAt: { zh: '{date} 发布', en: 'published {date}' },
  committed: { zh: '承诺时限', en: 'Committed limit' },
  statutory: { zh: '法定时限', en: 'Statutory limit' },
  committedShort: { zh: '承诺 {limit}', en: 'Committed {limit}' },
  statutoryShort: { zh: '法定 {limit}', en: 'Statutory {limit}' },
  noStatutory: { zh: '法律未规定', en: 'None set by law' },
  noStatutoryShort: { zh: '法定时限：法律未规定', en: 'Statutory limit: none set by law' },
  forYourSituation: { zh: '按您的情形', en: 'for your situation' },
  visits: { zh: '跑动次数', en: 'Visits in person' },
  onlineDepth: { zh: '网办深度', en: 'Online service depth' },
  fee: { zh: '收费', en: 'Fee' },
  free: { zh: '不收费', en: 'Free of charge' },
  feeAmount: { zh: '{amount} 元', en: 'CNY {amount}' },
  basics: { zh: '基本信息', en: 'Basic information' },
  type: { zh: '事项类型', en: 'Item type' },
  department: { zh: '实施主体', en: 'Implementing department' },
  level: { zh: '实施层级', en: 'Level' },
  audience: { zh: '服务对象', en: 'Who it serves' },
  result: { zh: '办理结果', en: 'Result' },
  licenceType: { zh: '证照类型：{type}', en: 'licence type: {type}' },
  quantityLimit: { zh: '数量限制', en: 'Quantity limit' },
  none: { zh: '无', en: 'None' },
  feeBasis: { zh: '收费依据', en: 'Fee basis' },
  visitsReason: { zh: '到现场的理由', en: 'Why in person' },
  themes: { zh: '主题', en: 'Themes' },
  legalBasis: { zh: '设定依据', en: 'Legal basis' },
  conditions: { zh: '受理条件', en: 'Conditions' },
  situations: { zh: '情形', en: 'Situations' },
  situationsIntro: {
    zh: '以下问题的回答决定需要提交的材料和承诺时限。',
    en: 'The answers to these questions decide which materials are needed and the committed limit.',
  },
  multiple: { zh: '可多选', en: 'several answers possible' },
  adds: { zh: '增加：{list}', en: 'adds: {list}' },
  removes: { zh: '免交：{list}', en: 'drops: {list}' },
  limitBecomes: { zh: '承诺时限：{limit}', en: 'committed limit: {limit}' },
  materials: { zh: '申请材料', en: 'Application materials' },
  materialsForYou: {
    zh: '按您的情形需要 {count} 份材料',
    en: '{count} materials for your situation',
  },
  materialsAll: {
    zh: '共 {count} 份材料，其中 {conditional} 份视情形提交',
    en: '{count} materials, {conditional} of them depending on your situation',
  },
  number: { zh: '序号', en: 'No.' },
  materialName: { zh: '材料名称', en: 'Material' },
  requirement: { zh: '要求', en: 'Requirement' },
  forms: { zh: '形式', en: 'Form' },
  copies: { zh: '份数', en: 'Copies' },
  pages: { zh: '页数', en: 'Pages' },
  why: { zh: '为什么需要', en: 'Why' },
  always: { zh: '所有申请人均需提交', en: 'Every applicant' },
  because: { zh: '您选择了：{answers}', en: 'You answered: {answers}' },
  whenChosen: { zh: '选择“{answers}”时需要', en: 'Needed when you answer "{answers}"' },
  deficiency: { zh: '容缺', en: 'May follow later' },
  deficiencyTitle: {
    zh: '容缺受理：可先受理，此材料后补',
    en: 'Deficiency acceptance: the case is accepted and this material handed in later',
  },
  pledge: { zh: '告知承诺', en: 'Pledge accepted' },
  pledgeTitle: {
    zh: '告知承诺：签署承诺书可代替此材料',
    en: 'Notification and pledge: a signed pledge can replace this material',
  },
  waivable: { zh: '可免提交', en: 'May be waived' },
  waivableFrom: { zh: '可免提交：{sources}', en: 'May be waived: {sources}' },
  noMaterials: { zh: '无需提交材料', en: 'No materials needed' },
  process: { zh: '办理流程', en: 'Process' },
  form: { zh: '申请表填写项', en: 'Application form' },
  fieldsForYou: { zh: '按您的情形需填写 {count} 项', en: '{count} fields for your situation' },
  required: { zh: '必填', en: 'Required' },
  optional: { zh: '选填', en: 'Optional' },
  conditionalField: { zh: '视情形', en: 'Depends on situation' },
  columns: { zh: '表格列：{list}', en: 'Columns: {list}' },
  options: { zh: '选项：{list}', en: 'Options: {list}' },
  noFields: { zh: '无需填写申请表', en: 'No application form' },
  consultation: { zh: '咨询电话', en: 'Enquiries' },
  complaint: { zh: '监督投诉', en: 'Complaints' },
  place: { zh: '办理地点', en: 'Where' },
  hours: { zh: '办理时间', en: 'Opening hours' },
  placeAndHours: { zh: '办理地点与咨询', en: 'Where to go and whom to ask' },
} satisfies Record<string, Text>;

/** How the guide is shown: on screen (hall, preview) or on paper. */
export type GuideVariant = 'screen' | 'print';

export interface ItemGuideProps {
  content: ItemContent;
  departmentName: Text;
  /** The item type's name as the server resolved it; the local label otherwise. */
  typeName?: Text;
  version?: number;
  publishedAt?: string | null;
  /** What applies for the answers given; null shows everything, conditional items marked. */
  applicable?: Applicable | null;
  /** The interactive questionnaire; without it the situations are listed with their effects. */
  questionnaire?: ReactNode;
  /** Answers to mark in the listed situations (the print of an answered guide). */
  answers?: Answers;
  /** Shown above the materials, e.g. a loading mark while the questionnaire recomputes. */
  materialsNote?: ReactNode;
  variant?: GuideVariant;
}

function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric' });
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="ot-guide-section" aria-labelledby={`guide-${id}`} data-section={id}>
      <h2 id={`guide-${id}`} className="ot-guide-heading">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Which answers of which questions add a material or field, for "needed when …". */
function answersAdding(situations: Situation[], key: string, list: 'addMaterials' | 'addFields') {
  return situations.flatMap((situation) =>
    situation.answers
      .filter((answer) => answer[list].includes(key))
      .map((answer) => ({ situation, answer })),
  );
}

/**
 * The guide of one service item (办事指南): everything the public needs to know before applying.
 * One component for the hall, the printable page and the administrator's preview, so every
 * channel shows the same content (同源发布).
 */
export function ItemGuide({
  content,
  departmentName,
  typeName,
  version,
  publishedAt,
  applicable,
  questionnaire,
  answers,
  materialsNote,
  variant = 'screen',
}: ItemGuideProps) {
  const { t, locale } = useI18n();
  const list = (items: string[]) => items.join(locale === 'en' ? ', ' : '、');
  const paren = (main: string, aside: string) =>
    locale === 'en' ? `${main} (${aside})` : `${main}（${aside}）`;
  const committed = applicable?.committedLimit ?? content.committedLimit;
  const committedChanged =
    !!applicable &&
    (committed.value !== content.committedLimit.value ||
      committed.unit !== content.committedLimit.unit);
  const materialName = (key: string) => {
    const material = content.materials.find((m) => m.key === key);
    return material ? t(material.name) : key;
  };
  const fieldName = (key: string) => {
    const field = content.form.find((f) => f.key === key);
    return field ? t(field.label) : key;
  };
  const questionOf = (key: string) => content.situations.find((s) => s.key === key);

  const reasonText = (reason: Reason | undefined, material: Material): string => {
    if (reason) {
      if (reason.because.length === 0) return t(guideText.always);
      return t(guideText.because, {
        answers: list(
          reason.because.map((b) => {
            const question = questionOf(b.situation);
            return question ? `${t(question.question)} ${t(b.label)}` : t(b.label);
          }),
        ),
      });
    }
    if (material.requirement === 'required') return t(guideText.always);
    return t(guideText.whenChosen, {
      answers: list(
        answersAdding(content.situations, material.key, 'addMaterials').map(({ answer }) =>
          t(answer.label),
        ),
      ),
    });
  };

  const materials: (Material & { reason?: Reason })[] = applicable
    ? applicable.materials
    : content.materials;
  const conditionalCount = content.materials.filter((m) => m.requirement === 'conditional').length;
  const fields: (FormColumn & { columns?: FormColumn[]; reason?: Reason })[] = applicable
    ? applicable.fields
    : content.form;

  const facts: { key: string; label: string; value: ReactNode; note?: ReactNode }[] = [
    {
      key: 'committed',
      label: t(guideText.committed),
      value: (
        <span data-testid="guide-committed">
          {t(guideText.committedShort, { limit: t(describeLimit(committed)) })}
        </span>
      ),
      note: (
        <>
          {content.statutoryLimit
            ? t(guideText.statutoryShort, { limit: t(describeLimit(content.statutoryLimit)) })
            : t(guideText.noStatutoryShort)}
          {committedChanged && <Tag color="blue">{t(guideText.forYourSituation)}</Tag>}
        </>
      ),
    },
    {
      key: 'visits',
      label: t(guideText.visits),
      value: t(describeVisits(content.visits)),
      note: content.visits > 0 ? content.visitsReason : undefined,
    },
    {
      key: 'online',
      label: t(guideText.onlineDepth),
      value: t(onlineDepthLabel(content.onlineDepth)),
    },
    {
      key: 'fee',
      label: t(guideText.fee),
      value: content.fee.charged
        ? t(guideText.feeAmount, { amount: content.fee.amountYuan ?? '—' })
        : t(guideText.free),
      note: content.fee.charged ? content.fee.basis : undefined,
    },
  ];

  const basics: { key: string; label: string; value: ReactNode }[] = [
    { key: 'type', label: t(guideText.type), value: t(typeName ?? itemTypeLabels[content.type]) },
    { key: 'department', label: t(guideText.department), value: t(departmentName) },
    { key: 'level', label: t(guideText.level), value: t(levelLabels[content.level]) },
    {
      key: 'audience',
      label: t(guideText.audience),
      value: list(content.audience.map((a) => t(audienceLabels[a]))),
    },
    {
      key: 'result',
      label: t(guideText.result),
      value: paren(
        content.result.name,
        [
          t(resultKindLabels[content.result.kind]),
          content.result.licenceType
            ? t(guideText.licenceType, { type: content.result.licenceType })
            : '',
        ]
          .filter(Boolean)
          .join(locale === 'en' ? '; ' : '；'),
      ),
    },
    {
      key: 'statutory',
      label: t(guideText.statutory),
      value: content.statutoryLimit
        ? t(describeLimit(content.statutoryLimit))
        : t(guideText.noStatutory),
    },
    {
      key: 'committed',
      label: t(guideText.committed),
      value: t(describeLimit(content.committedLimit)),
    },
    {
      key: 'visits',
      label: t(guideText.visits),
      value: t(describeVisits(content.visits)),
    },
    ...(content.visits > 0 && content.visitsReason
      ? [{ key: 'visitsReason', label: t(guideText.visitsReason), value: content.visitsReason }]
      : []),
    {
      key: 'online',
      label: t(guideText.onlineDepth),
      value: t(onlineDepthLabel(content.onlineDepth)),
    },
    {
      key: 'fee',
      label: t(guideText.fee),
      value: content.fee.charged
        ? t(guideText.feeAmount, { amount: content.fee.amountYuan ?? '—' })
        : t(guideText.free),
    },
    ...(content.fee.charged && content.fee.basis
      ? [{ key: 'feeBasis', label: t(guideText.feeBasis), value: content.fee.basis }]
      : []),
    {
      key: 'quantity',
      label: t(guideText.quantityLimit),
      value: content.quantityLimit?.trim() || t(guideText.none),
    },
    ...(content.themes.length > 0
      ? [{ key: 'themes', label: t(guideText.themes), value: list(content.themes) }]
      : []),
  ];

  return (
    <article className={`ot-guide ot-guide-${variant}`} data-testid="item-guide">
      <header className="ot-guide-header">
        <h1 className="ot-guide-title" data-testid="guide-title">
          {t(content.name)}
        </h1>
        <div className="ot-guide-tags">
          <Tag color="blue">{t(typeName ?? itemTypeLabels[content.type])}</Tag>
          {content.audience.map((a) => (
            <Tag key={a}>{t(audienceLabels[a])}</Tag>
          ))}
          <Tag color="green">{t(onlineDepthLabel(content.onlineDepth))}</Tag>
        </div>
        <div className="ot-guide-meta">
          <span>{t(departmentName)}</span>
          <span>
            {t(guideText.code)} {content.code}
          </span>
          <span>
            {t(guideText.basicCode)} {content.basicCode}
          </span>
          {version !== undefined && <span>{t(guideText.version, { version })}</span>}
          {publishedAt && (
            <span>{t(guideText.publishedAt, { date: formatDate(publishedAt, locale) })}</span>
          )}
        </div>
      </header>

      <dl className="ot-guide-facts">
        {facts.map((fact) => (
          <div key={fact.key} className="ot-guide-fact" data-fact={fact.key}>
            <dt>{fact.label}</dt>
            <dd>
              <div className="ot-guide-fact-value">{fact.value}</div>
              {fact.note && <div className="ot-guide-fact-note">{fact.note}</div>}
            </dd>
          </div>
        ))}
      </dl>

      <Section id="basics" title={t(guideText.basics)}>
        <dl className="ot-guide-basics">
          {basics.map((row) => (
            <div key={row.key} className="ot-guide-basics-row">
              <dt>{row.label}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      </Section>

      <Section id="legal" title={t(guideText.legalBasis)}>
        <ol className="ot-guide-list">
          {content.legalBasis.map((basis, index) => (
            <li key={index}>{basis}</li>
          ))}
        </ol>
      </Section>

      <Section id="conditions" title={t(guideText.conditions)}>
        <p className="ot-guide-prose">{content.conditions}</p>
      </Section>

      {content.situations.length > 0 && (
        <Section id="situations" title={t(guideText.situations)}>
          {questionnaire ?? (
            <>
              <p className="ot-guide-note">{t(guideText.situationsIntro)}</p>
              <ol className="ot-guide-situations">
                {content.situations.map((situation) => (
                  <li key={situation.key}>
                    <div className="ot-guide-question">
                      {t(situation.question)}
                      {situation.multiple && (
                        <span className="ot-guide-note"> · {t(guideText.multiple)}</span>
                      )}
                    </div>
                    <ul>
                      {situation.answers.map((answer) => {
                        const effects = [
                          answer.addMaterials.length > 0 &&
                            t(guideText.adds, {
                              list: list(answer.addMaterials.map(materialName)),
                            }),
                          answer.removeMaterials.length > 0 &&
                            t(guideText.removes, {
                              list: list(answer.removeMaterials.map(materialName)),
                            }),
                          answer.addFields.length > 0 &&
                            t(guideText.adds, { list: list(answer.addFields.map(fieldName)) }),
                          answer.committedLimit &&
                            t(guideText.limitBecomes, {
                              limit: t(describeLimit(answer.committedLimit)),
                            }),
                        ].filter((effect): effect is string => !!effect);
                        return (
                          <li key={answer.key}>
                            {answers && (
                              <span className="ot-guide-check" aria-hidden="true">
                                {answers[situation.key]?.includes(answer.key) ? '☑' : '☐'}
                              </span>
                            )}
                            <span
                              className={
                                answers?.[situation.key]?.includes(answer.key)
                                  ? 'ot-guide-answer ot-guide-answer-chosen'
                                  : 'ot-guide-answer'
                              }
                            >
                              {t(answer.label)}
                            </span>
                            {effects.length > 0 && (
                              <span className="ot-guide-note">
                                {' '}
                                — {effects.join(locale === 'en' ? '; ' : '；')}
                              </span>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  </li>
                ))}
              </ol>
            </>
          )}
        </Section>
      )}

      <Section id="materials" title={t(guideText.materials)}>
        <div className="ot-guide-materials-head">
          <span className="ot-guide-note" data-testid="materials-summary">
            {applicable
              ? t(guideText.materialsForYou, { count: materials.length })
              : t(guideText.materialsAll, {
                  count: materials.length,
                  conditional: conditionalCount,
                })}
          </span>
          {materialsNote}
        </div>
        {materials.length === 0 ? (
          <p className="ot-guide-note">{t(guideText.noMaterials)}</p>
        ) : (
          <table className="ot-guide-table ot-guide-materials" data-testid="materials">
            <thead>
              <tr>
                <th className="ot-col-number">{t(guideText.number)}</th>
                <th>{t(guideText.materialName)}</th>
                <th>{t(guideText.requirement)}</th>
                <th>{t(guideText.forms)}</th>
                <th className="ot-col-number">{t(guideText.copies)}</th>
                <th className="ot-col-number">{t(guideText.pages)}</th>
                <th>{t(guideText.why)}</th>
              </tr>
            </thead>
            <tbody>
              {materials.map((material, index) => (
                <tr key={material.key} data-material={material.key}>
                  <td className="ot-col-number" data-label={t(guideText.number)}>
                    {index + 1}
                  </td>
                  <td data-label={t(guideText.materialName)} className="ot-material-name-cell">
                    <div className="ot-material-name">{t(material.name)}</div>
                    <div className="ot-material-flags">
                      {material.deficiencyAllowed && (
                        <Tag color="gold" title={t(guideText.deficiencyTitle)}>
                          {t(guideText.deficiency)}
                        </Tag>
                      )}
                      {material.pledgeAllowed && (
                        <Tag color="purple" title={t(guideText.pledgeTitle)}>
                          {t(guideText.pledge)}
                        </Tag>
                      )}
                      {material.sources.length > 0 && (
                        <Tag
                          color="green"
                          title={t(guideText.waivableFrom, {
                            sources: list(material.sources.map((s) => t(describeSource(s)))),
                          })}
                        >
                          {t(guideText.waivable)}
                        </Tag>
                      )}
                    </div>
                    {material.sources.length > 0 && (
                      <div className="ot-guide-note">
                        {t(guideText.waivableFrom, {
                          sources: list(material.sources.map((s) => t(describeSource(s)))),
                        })}
                      </div>
                    )}
                    {material.note && <div className="ot-guide-note">{material.note}</div>}
                  </td>
                  <td
                    className="ot-material-compact ot-nowrap"
                    data-label={t(guideText.requirement)}
                  >
                    {t(requirementLabels[material.requirement])}
                  </td>
                  <td className="ot-material-compact" data-label={t(guideText.forms)}>
                    {list(material.forms.map((form) => t(materialFormLabels[form])))}
                  </td>
                  <td
                    className={
                      material.copies > 0
                        ? 'ot-col-number ot-material-compact'
                        : 'ot-col-number ot-material-compact ot-empty-cell'
                    }
                    data-label={t(guideText.copies)}
                  >
                    {material.copies > 0 ? material.copies : '—'}
                  </td>
                  <td
                    className={
                      material.pages
                        ? 'ot-col-number ot-material-compact'
                        : 'ot-col-number ot-material-compact ot-empty-cell'
                    }
                    data-label={t(guideText.pages)}
                  >
                    {material.pages ?? '—'}
                  </td>
                  <td data-label={t(guideText.why)} className="ot-material-why">
                    {reasonText(material.reason, material)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      {content.process.length > 0 && (
        <Section id="process" title={t(guideText.process)}>
          <ol className="ot-guide-steps">
            {content.process.map((step, index) => (
              <li key={index}>
                <span className="ot-guide-step-number" aria-hidden="true">
                  {index + 1}
                </span>
                <span>{step}</span>
              </li>
            ))}
          </ol>
        </Section>
      )}

      <Section id="form" title={t(guideText.form)}>
        {applicable && (
          <p className="ot-guide-note">{t(guideText.fieldsForYou, { count: fields.length })}</p>
        )}
        {fields.length === 0 ? (
          <p className="ot-guide-note">{t(guideText.noFields)}</p>
        ) : (
          <ul className="ot-guide-fields" data-testid="form-fields">
            {fields.map((field) => {
              const details = [
                field.identifierKind
                  ? paren(t(fieldTypeLabels[field.type]), t(idKindLabels[field.identifierKind]))
                  : t(fieldTypeLabels[field.type]),
                field.options?.length
                  ? t(guideText.options, { list: list(field.options.map((o) => t(o.label))) })
                  : '',
                field.columns?.length
                  ? t(guideText.columns, { list: list(field.columns.map((c) => t(c.label))) })
                  : '',
              ].filter(Boolean);
              return (
                <li key={field.key}>
                  <div className="ot-guide-field-head">
                    <span className="ot-guide-field-label">{t(field.label)}</span>
                    <Tag color={field.required ? 'red' : 'default'}>
                      {t(field.required ? guideText.required : guideText.optional)}
                    </Tag>
                    {field.conditional && <Tag>{t(guideText.conditionalField)}</Tag>}
                  </div>
                  <div className="ot-guide-note">{details.join(locale === 'en' ? '; ' : '；')}</div>
                  {field.help && <div className="ot-guide-note">{t(field.help)}</div>}
                </li>
              );
            })}
          </ul>
        )}
      </Section>

      <Section id="contacts" title={t(guideText.placeAndHours)}>
        <dl className="ot-guide-basics">
          <div className="ot-guide-basics-row">
            <dt>{t(guideText.place)}</dt>
            <dd>{content.place.address}</dd>
          </div>
          <div className="ot-guide-basics-row">
            <dt>{t(guideText.hours)}</dt>
            <dd>{content.place.hours}</dd>
          </div>
          <div className="ot-guide-basics-row">
            <dt>{t(guideText.consultation)}</dt>
            <dd>{content.contacts.consultation}</dd>
          </div>
          <div className="ot-guide-basics-row">
            <dt>{t(guideText.complaint)}</dt>
            <dd>{content.contacts.complaint}</dd>
          </div>
        </dl>
      </Section>
    </article>
  );
}
