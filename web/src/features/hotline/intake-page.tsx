import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { BookOutlined, SendOutlined, SaveOutlined, MessageOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { ApiError, fieldOfPath } from '../platform/api';
import type { ItemSummary } from '../catalog/api';
import { listItems } from '../catalog/api';
import { describeLimit } from '../catalog/labels';
import type { Category, DepartmentRef, RegisterInput, Similar, TicketType, Urgency } from './api';
import {
  fetchCategories,
  fetchDepartments,
  fetchRegions,
  fetchSuggestion,
  findSimilar,
  registerTicket,
  ticketAction,
} from './api';
import { messageOf, RequireHotlineRole } from './components';
import {
  CHANNEL_LABELS,
  KIND_LABELS,
  REASON_LABELS,
  STATUS_LABELS,
  TICKET_CHANNELS,
  TICKET_TYPES,
  TYPE_LABELS,
  URGENCIES,
  URGENCY_LABELS,
} from './labels';
import './hotline.css';

export const intakeText = {
  title: { zh: '工单登记', en: 'Register a ticket' },
  intro: {
    zh: '边听边录：先记来电号码，再选类型和分类，系统自动给出派单建议、查重并检索办事指南。Ctrl+Enter 直接提交。',
    en: 'Type while you listen: the number first, then type and category; the form suggests the unit, finds earlier tickets and looks up service guides. Ctrl+Enter submits.',
  },
  requester: { zh: '诉求人', en: 'Requester' },
  mobile: { zh: '联系电话', en: 'Mobile' },
  name: { zh: '姓名', en: 'Name' },
  anonymous: { zh: '匿名', en: 'Anonymous' },
  confidential: { zh: '对承办单位保密', en: 'Hide from the units' },
  channel: { zh: '渠道', en: 'Channel' },
  type: { zh: '诉求类型', en: 'Type' },
  category: { zh: '诉求分类', en: 'Category' },
  categoryHint: {
    zh: '输入关键词，如 井盖、停水、欠薪',
    en: 'Type a keyword, e.g. 井盖, 停水, 欠薪',
  },
  region: { zh: '所属区域', en: 'Region' },
  address: { zh: '地址或位置', en: 'Address or place' },
  content: { zh: '诉求内容', en: 'What the requester says' },
  titleField: {
    zh: '标题（可不填，自动取内容开头）',
    en: 'Title (optional; the start of the text by default)',
  },
  urgency: { zh: '紧急程度', en: 'Urgency' },
  enterprise: { zh: '企业诉求（按“215”时限办理）', en: 'Enterprise demand ("215" limits)' },
  enterpriseName: { zh: '企业名称', en: 'Enterprise' },
  enterpriseUscc: { zh: '统一社会信用代码（可选）', en: 'Unified social credit code (optional)' },
  disclose: {
    zh: '同意公开诉求内容（不含个人信息）',
    en: 'May be published (without personal data)',
  },
  required: { zh: '请填写', en: 'Required' },
  register: { zh: '仅登记', en: 'Register only' },
  registerDispatch: { zh: '登记并派单', en: 'Register and dispatch' },
  registerAnswer: { zh: '登记并直接答复', en: 'Register and answer' },
  answer: { zh: '答复内容', en: 'Answer' },
  answerRequired: { zh: '请填写答复内容', en: 'Write the answer' },
  dispatchTo: { zh: '派单', en: 'Dispatch' },
  suggested: { zh: '建议承办单位', en: 'Suggested unit' },
  noSuggestion: {
    zh: '该分类和区域没有派单规则，请手工选择',
    en: 'No route for this category and region; choose a unit',
  },
  lead: { zh: '主办单位', en: 'Lead unit' },
  assist: { zh: '协办单位（可选）', en: 'Assisting units (optional)' },
  chooseUnit: { zh: '请选择承办单位', en: 'Choose the unit' },
  similar: { zh: '疑似重复与重复诉求', en: 'Earlier tickets on the same matter' },
  noSimilar: { zh: '近 30 天没有相似工单', en: 'No similar ticket in the last 30 days' },
  knowledge: { zh: '知识库 · 办事指南', en: 'Knowledge · service guides' },
  knowledgeHint: { zh: '检索事项，如“开公司”“社保转移”', en: 'Search services, e.g. 开公司' },
  quote: { zh: '引用到答复', en: 'Quote in answer' },
  committed: { zh: '承诺时限', en: 'Committed' },
  done: {
    zh: '已登记工单 {number}，查询码 {code}',
    en: 'Registered {number}; tracking code {code}',
  },
  failed: { zh: '提交失败：{message}', en: 'Could not submit: {message}' },
} satisfies Record<string, Text>;

type Mode = 'register' | 'dispatch' | 'answer';

interface FormValues extends Omit<RegisterInput, 'attributes'> {
  attributes?: Record<string, string | undefined>;
}

/** `/workbench/hotline/new`: the operator's intake form. */
export function HotlineIntakePage() {
  return (
    <RequireHotlineRole roles={['operator']}>
      <Intake />
    </RequireHotlineRole>
  );
}

function Intake() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  useDocumentTitle(intakeText.title);
  const [form] = Form.useForm<FormValues>();
  const [categories, setCategories] = useState<Category[]>([]);
  const [regions, setRegions] = useState<{ code: string; name: Text }[]>([]);
  const [departments, setDepartments] = useState<{ code: string; name: Text }[]>([]);
  const [suggestion, setSuggestion] = useState<DepartmentRef | null | undefined>(undefined);
  const [lead, setLead] = useState<string | undefined>(undefined);
  const [assist, setAssist] = useState<string[]>([]);
  const [similar, setSimilar] = useState<Similar[]>([]);
  const [mode, setMode] = useState<Mode>('dispatch');
  const [answer, setAnswer] = useState('');
  const [answerError, setAnswerError] = useState<string | null>(null);
  const [leadError, setLeadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [items, setItems] = useState<ItemSummary[] | null>(null);
  const leadTouched = useRef(false);

  const anonymous = Form.useWatch('anonymous', form);
  const enterprise = Form.useWatch('enterprise', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const regionCode = Form.useWatch('regionCode', form);
  const content = Form.useWatch('content', form);
  const mobile = Form.useWatch('requesterMobile', form);
  const address = Form.useWatch('address', form);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      fetchCategories(lang, controller.signal),
      fetchRegions(lang, controller.signal),
      fetchDepartments(lang, controller.signal),
    ]).then(
      ([cats, regs, deps]) => {
        setCategories(cats);
        setRegions(
          regs
            .filter((r) => r.level !== 'province')
            .map((r) => ({ code: r.code, name: { zh: r.nameZh, en: r.nameEn } })),
        );
        setDepartments(deps.map((d) => ({ code: d.code, name: { zh: d.nameZh, en: d.nameEn } })));
      },
      (error: unknown) => setFailure(messageOf(error)),
    );
    return () => controller.abort();
  }, []);

  // The dispatch suggestion follows the category and region until the operator picks a unit.
  useEffect(() => {
    if (!categoryCode || !regionCode) {
      setSuggestion(undefined);
      return;
    }
    const controller = new AbortController();
    fetchSuggestion(categoryCode, regionCode, lang, controller.signal).then(
      (department) => {
        setSuggestion(department);
        if (!leadTouched.current) setLead(department?.code);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [categoryCode, regionCode]);

  // Earlier tickets on the same matter, looked up a moment after the operator stops typing.
  useEffect(() => {
    const text = (content ?? '').trim();
    if (text.length < 4 && !mobile) {
      setSimilar([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      findSimilar(
        {
          content: text || '-',
          requesterMobile: /^1\d{10}$/.test(mobile ?? '') ? mobile : undefined,
          categoryCode: categoryCode || undefined,
          regionCode: regionCode || undefined,
          address: address || undefined,
        },
        lang,
        controller.signal,
      ).then(setSimilar, () => undefined);
    }, 400);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [content, mobile, categoryCode, regionCode, address]);

  useEffect(() => {
    if (!q.trim()) {
      setItems(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      listItems({ q, limit: 5 }, lang, controller.signal).then(
        (reply) => setItems(reply.items),
        () => undefined,
      );
    }, 300);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const categoryOptions = useMemo(() => {
    const groups = categories.filter((c) => c.parentCode === null);
    return groups.map((group) => ({
      label: t(group.name),
      title: t(group.name),
      options: categories
        .filter((c) => c.parentCode === group.code)
        .map((c) => ({
          value: c.code,
          label: t(c.name),
          search: `${c.code} ${c.name.zh} ${c.name.en} ${c.keywords.join(' ')} ${c.description.zh}`,
        })),
    }));
  }, [categories, lang]);
  const category = categories.find((c) => c.code === categoryCode);

  const unitOptions = departments.map((d) => ({ value: d.code, label: t(d.name) }));

  async function submit(chosen: Mode) {
    setFailure(null);
    setAnswerError(null);
    setLeadError(null);
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (chosen === 'answer' && answer.trim().length < 5) {
      setAnswerError(t(intakeText.answerRequired));
      return;
    }
    if (chosen === 'dispatch' && !lead) {
      setLeadError(t(intakeText.chooseUnit));
      return;
    }
    const attributes = Object.fromEntries(
      Object.entries(values.attributes ?? {}).filter(([, v]) => v !== undefined && v !== ''),
    ) as Record<string, string>;
    const input: RegisterInput = {
      ...values,
      requesterMobile: values.anonymous ? undefined : values.requesterMobile?.trim() || undefined,
      requesterName: values.anonymous ? undefined : values.requesterName?.trim() || undefined,
      title: values.title?.trim() || undefined,
      address: values.address?.trim() || undefined,
      enterpriseName: values.enterprise ? values.enterpriseName : undefined,
      enterpriseUscc: values.enterprise ? values.enterpriseUscc || undefined : undefined,
      attributes: Object.keys(attributes).length ? attributes : undefined,
    };
    setBusy(true);
    try {
      let ticket = await registerTicket(input, lang);
      message.success(t(intakeText.done, { number: ticket.number, code: ticket.trackCode ?? '' }));
      if (chosen === 'dispatch') {
        ticket = await ticketAction(ticket.id, 'dispatch', { department: lead, assist }, lang);
      } else if (chosen === 'answer') {
        ticket = await ticketAction(ticket.id, 'answer', { answer: answer.trim() }, lang);
      }
      navigate(`/workbench/hotline/tickets/${ticket.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) {
        form.setFields(
          error.details.map((detail) => ({
            name: fieldOfPath(detail.path).split('.') as never,
            errors: [detail.message],
          })),
        );
      }
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
    }
  }

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit(mode);
    }
  };

  return (
    <div className="ot-hl-page" onKeyDown={onKeyDown}>
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(intakeText.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(intakeText.intro)}</Typography.Paragraph>
      {failure && (
        <Alert
          type="error"
          showIcon
          title={t(intakeText.failed, { message: failure })}
          className="ot-block"
        />
      )}
      <Row gutter={16} align="top">
        <Col xs={24} xl={15}>
          <Card className="ot-hl-card" size="small">
            <Form<FormValues>
              form={form}
              layout="vertical"
              requiredMark
              initialValues={{
                channel: 'phone',
                type: 'complaint',
                urgency: 'normal',
                anonymous: false,
              }}
              data-testid="intake-form"
              className="ot-hl-form"
            >
              <Row gutter={12}>
                <Col xs={24} sm={9}>
                  <Form.Item
                    name="requesterMobile"
                    label={t(intakeText.mobile)}
                    rules={[{ required: !anonymous, message: t(intakeText.required) }]}
                  >
                    <Input
                      autoFocus
                      disabled={!!anonymous}
                      inputMode="tel"
                      maxLength={20}
                      placeholder="139…"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={7}>
                  <Form.Item name="requesterName" label={t(intakeText.name)}>
                    <Input disabled={!!anonymous} maxLength={50} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item label={t(intakeText.requester)} className="ot-hl-checks">
                    <Space orientation="vertical" size={0}>
                      <Form.Item name="anonymous" valuePropName="checked" noStyle>
                        <Checkbox>{t(intakeText.anonymous)}</Checkbox>
                      </Form.Item>
                      <Form.Item name="confidential" valuePropName="checked" noStyle>
                        <Checkbox>{t(intakeText.confidential)}</Checkbox>
                      </Form.Item>
                    </Space>
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col xs={24} sm={6}>
                  <Form.Item name="channel" label={t(intakeText.channel)}>
                    <Select
                      options={TICKET_CHANNELS.filter((c) => c !== 'open311').map((c) => ({
                        value: c,
                        label: t(CHANNEL_LABELS[c]),
                      }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={18}>
                  <Form.Item name="type" label={t(intakeText.type)}>
                    <Radio.Group
                      optionType="button"
                      buttonStyle="solid"
                      options={TICKET_TYPES.map((type: TicketType) => ({
                        value: type,
                        label: t(TYPE_LABELS[type]),
                      }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="categoryCode"
                    label={t(intakeText.category)}
                    rules={[{ required: true, message: t(intakeText.required) }]}
                  >
                    <Select
                      showSearch={{
                        filterOption: (input, option) =>
                          String((option as { search?: string })?.search ?? '')
                            .toLowerCase()
                            .includes(input.toLowerCase()),
                      }}
                      placeholder={t(intakeText.categoryHint)}
                      options={categoryOptions}
                      data-testid="category-select"
                      onChange={() => form.setFieldValue('attributes', {})}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="regionCode"
                    label={t(intakeText.region)}
                    rules={[{ required: true, message: t(intakeText.required) }]}
                  >
                    <Select
                      showSearch={{
                        filterOption: (input, option) =>
                          String(option?.label ?? '')
                            .toLowerCase()
                            .includes(input.toLowerCase()),
                      }}
                      options={regions.map((r) => ({ value: r.code, label: t(r.name) }))}
                      data-testid="region-select"
                    />
                  </Form.Item>
                </Col>
              </Row>
              {category && category.attributes.length > 0 && (
                <Row gutter={12}>
                  {category.attributes.map((attribute) => (
                    <Col xs={24} sm={12} key={attribute.code}>
                      <Form.Item
                        name={['attributes', attribute.code]}
                        label={t(attribute.description)}
                        rules={[{ required: attribute.required, message: t(intakeText.required) }]}
                      >
                        <Select
                          allowClear
                          options={(attribute.values ?? []).map((v) => ({
                            value: v.key,
                            label: t(v.name),
                          }))}
                          data-testid={`attribute-${attribute.code}`}
                        />
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
              )}
              <Form.Item name="address" label={t(intakeText.address)}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item
                name="content"
                label={t(intakeText.content)}
                rules={[
                  { required: true, message: t(intakeText.required) },
                  { min: 5, message: t(intakeText.required) },
                ]}
              >
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} showCount />
              </Form.Item>
              <Form.Item name="title" label={t(intakeText.titleField)}>
                <Input maxLength={60} />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item name="urgency" label={t(intakeText.urgency)}>
                    <Radio.Group
                      options={URGENCIES.map((u: Urgency) => ({
                        value: u,
                        label: t(URGENCY_LABELS[u]),
                      }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="enterprise"
                    label={t(intakeText.enterprise)}
                    valuePropName="checked"
                  >
                    <Switch />
                  </Form.Item>
                </Col>
              </Row>
              {enterprise && (
                <Row gutter={12}>
                  <Col xs={24} sm={12}>
                    <Form.Item
                      name="enterpriseName"
                      label={t(intakeText.enterpriseName)}
                      rules={[{ required: true, message: t(intakeText.required) }]}
                    >
                      <Input maxLength={100} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="enterpriseUscc" label={t(intakeText.enterpriseUscc)}>
                      <Input maxLength={18} />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              <Form.Item name="disclose" valuePropName="checked">
                <Checkbox>{t(intakeText.disclose)}</Checkbox>
              </Form.Item>
            </Form>
          </Card>

          <Card className="ot-hl-card" size="small">
            <Radio.Group
              value={mode}
              onChange={(e) => setMode(e.target.value as Mode)}
              optionType="button"
              options={[
                { value: 'dispatch', label: t(intakeText.registerDispatch) },
                { value: 'answer', label: t(intakeText.registerAnswer) },
                { value: 'register', label: t(intakeText.register) },
              ]}
              className="ot-block"
            />
            {mode === 'dispatch' && (
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item
                    label={t(intakeText.lead)}
                    validateStatus={leadError ? 'error' : undefined}
                    help={
                      leadError ?? (suggestion === null ? t(intakeText.noSuggestion) : undefined)
                    }
                    layout="vertical"
                  >
                    <Select
                      showSearch={{
                        filterOption: (input, option) =>
                          String(option?.label ?? '')
                            .toLowerCase()
                            .includes(input.toLowerCase()),
                      }}
                      value={lead}
                      onChange={(value) => {
                        leadTouched.current = true;
                        setLead(value);
                      }}
                      options={unitOptions}
                      data-testid="lead-select"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item label={t(intakeText.assist)} layout="vertical">
                    <Select
                      mode="multiple"
                      value={assist}
                      onChange={setAssist}
                      options={unitOptions.filter((o) => o.value !== lead)}
                      showSearch={{
                        filterOption: (input, option) =>
                          String(option?.label ?? '')
                            .toLowerCase()
                            .includes(input.toLowerCase()),
                      }}
                    />
                  </Form.Item>
                </Col>
              </Row>
            )}
            {mode === 'answer' && (
              <Form.Item
                label={t(intakeText.answer)}
                validateStatus={answerError ? 'error' : undefined}
                help={answerError}
                layout="vertical"
              >
                <Input.TextArea
                  value={answer}
                  onChange={(e) => setAnswer(e.target.value)}
                  autoSize={{ minRows: 3, maxRows: 8 }}
                  maxLength={4000}
                  data-testid="answer-text"
                />
              </Form.Item>
            )}
            <Button
              type="primary"
              size="large"
              loading={busy}
              icon={
                mode === 'dispatch' ? (
                  <SendOutlined />
                ) : mode === 'answer' ? (
                  <MessageOutlined />
                ) : (
                  <SaveOutlined />
                )
              }
              onClick={() => void submit(mode)}
              data-testid="intake-submit"
            >
              {t(
                mode === 'dispatch'
                  ? intakeText.registerDispatch
                  : mode === 'answer'
                    ? intakeText.registerAnswer
                    : intakeText.register,
              )}
            </Button>
            <Typography.Text type="secondary" className="ot-hl-shortcut">
              Ctrl+Enter
            </Typography.Text>
          </Card>
        </Col>

        <Col xs={24} xl={9}>
          <Card
            size="small"
            title={t(intakeText.suggested)}
            className="ot-hl-card"
            data-testid="suggestion"
          >
            {suggestion === undefined ? (
              <span className="ot-muted">—</span>
            ) : suggestion === null ? (
              <span className="ot-muted">{t(intakeText.noSuggestion)}</span>
            ) : (
              <Tag color="blue" className="ot-hl-suggestion">
                {t(suggestion.name)}
              </Tag>
            )}
          </Card>
          <Card
            size="small"
            title={t(intakeText.similar)}
            className="ot-hl-card"
            data-testid="similar"
          >
            {similar.length === 0 ? (
              <span className="ot-muted">{t(intakeText.noSimilar)}</span>
            ) : (
              <ul className="ot-hl-similar">
                {similar.map((s) => (
                  <li key={s.id}>
                    <div>
                      <Tag
                        color={
                          s.kind === 'duplicate'
                            ? 'orange'
                            : s.kind === 'repeat'
                              ? 'magenta'
                              : 'default'
                        }
                      >
                        {t(KIND_LABELS[s.kind]!)}
                      </Tag>
                      <Link to={`/workbench/hotline/tickets/${s.id}`} target="_blank">
                        {s.number}
                      </Link>{' '}
                      <span className="ot-muted">{t(STATUS_LABELS[s.status])}</span>
                    </div>
                    <div className="ot-hl-similar-title">{s.title}</div>
                    <div className="ot-muted">
                      {s.reasons.map((r) => t(REASON_LABELS[r] ?? { zh: r, en: r })).join(' · ')}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card
            size="small"
            title={
              <span>
                <BookOutlined /> {t(intakeText.knowledge)}
              </span>
            }
            className="ot-hl-card"
          >
            <Input.Search
              allowClear
              placeholder={t(intakeText.knowledgeHint)}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              data-testid="knowledge-search"
            />
            {items && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
            {items && items.length > 0 && (
              <ul className="ot-hl-knowledge">
                {items.map((item) => (
                  <li key={item.code}>
                    <a
                      href={`/services/${encodeURIComponent(item.code)}`}
                      target="_blank"
                      rel="noreferrer"
                    >
                      {t(item.name)}
                    </a>
                    <div className="ot-muted">
                      {t(item.departmentName)} · {t(intakeText.committed)}{' '}
                      {t(describeLimit(item.committedLimit))}
                    </div>
                    <Button
                      size="small"
                      type="link"
                      onClick={() => {
                        setMode('answer');
                        setAnswer(
                          (current) =>
                            `${current ? `${current}\n` : ''}${t(item.name)}：由${t(item.departmentName)}办理，承诺 ${t(describeLimit(item.committedLimit))}办结，办事指南见 /services/${item.code}。`,
                        );
                      }}
                    >
                      {t(intakeText.quote)}
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
