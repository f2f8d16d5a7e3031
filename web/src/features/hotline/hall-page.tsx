import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Table,
  Typography,
} from 'antd';
import { SearchOutlined, SendOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { apiRequest, ApiError, fieldOfPath } from '../platform/api';
import type { Category, TicketDetail, TicketSummary, TicketType } from './api';
import { fetchCategories, fetchRegions, fetchTicket } from './api';
import { messageOf, StatusTag } from './components';
import { TICKET_TYPES, TYPE_LABELS } from './labels';
import { formatShort } from '../../shell/time';
import './hotline.css';

export const hallText = {
  title: { zh: '12345 我要反映', en: '12345: tell us' },
  intro: {
    zh: '咨询、求助、投诉、举报、建议、表扬，都可以在这里提交。企业反映的问题按“215”机制快速办理：2 小时内响应、1 个工作日内联系、5 个工作日内办结。',
    en: 'Ask, seek help, complain, report, suggest or praise here. Enterprise demands are handled under "215": a response within 2 hours, contact within 1 working day, a result within 5 working days.',
  },
  signIn: {
    zh: '登录后即可在线提交，也可拨打 12345 热线。',
    en: 'Sign in to submit online, or call 12345.',
  },
  signInButton: { zh: '登录', en: 'Sign in' },
  staff: { zh: '工作人员请在工作台登记工单。', en: 'Staff register tickets in the workbench.' },
  type: { zh: '类型', en: 'Type' },
  category: { zh: '分类', en: 'Category' },
  region: { zh: '所在区域', en: 'Region' },
  address: { zh: '地点', en: 'Place' },
  content: { zh: '具体情况', en: 'What happened' },
  confidential: { zh: '对承办单位保密我的身份', en: 'Keep my identity from the units' },
  submit: { zh: '提交', en: 'Submit' },
  required: { zh: '请填写', en: 'Required' },
  submitted: {
    zh: '已提交，工单号 {number}，查询码 {code}',
    en: 'Submitted as {number}; tracking code {code}',
  },
  mine: { zh: '我的诉求', en: 'My requests' },
  track: { zh: '凭查询码查询进度', en: 'Track with a code' },
  trackButton: { zh: '诉求查询', en: 'Track' },
} satisfies Record<string, Text>;

/** `/hotline`: citizens and enterprises file requests online and see theirs. */
export function HotlineHallPage() {
  const { t, lang, locale } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  useDocumentTitle(hallText.title);
  const [form] = Form.useForm();
  const [categories, setCategories] = useState<Category[]>([]);
  const [regions, setRegions] = useState<{ code: string; name: Text }[]>([]);
  const [mine, setMine] = useState<TicketSummary[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const requester = user && (user.role === 'citizen' || user.role === 'enterprise');

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      fetchCategories(lang, controller.signal),
      fetchRegions(lang, controller.signal),
    ]).then(
      ([cats, regs]) => {
        setCategories(cats);
        setRegions(
          regs
            .filter((r) => r.level !== 'province')
            .map((r) => ({ code: r.code, name: { zh: r.nameZh, en: r.nameEn } })),
        );
      },
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (!requester) return;
    const controller = new AbortController();
    apiRequest<{ items: TicketSummary[] }>('/api/hotline/my-tickets', {
      lang,
      signal: controller.signal,
    }).then(
      (reply) => setMine(reply.items),
      () => undefined,
    );
    return () => controller.abort();
  }, [requester, generation]);

  const options = useMemo(
    () =>
      categories
        .filter((c) => c.parentCode === null)
        .map((group) => ({
          label: t(group.name),
          options: categories
            .filter((c) => c.parentCode === group.code && c.attributes.every((a) => !a.required))
            .map((c) => ({
              value: c.code,
              label: t(c.name),
              search: `${c.name.zh} ${c.keywords.join(' ')}`,
            })),
        })),
    [categories, lang],
  );

  // The requester's own ticket opens on the tracking page, by its code.
  async function openOwn(id: string) {
    try {
      const detail = await fetchTicket(id, lang);
      if (detail.trackCode) navigate(`/hotline/track/${detail.trackCode}`);
    } catch (error) {
      message.error(messageOf(error));
    }
  }

  async function submit() {
    setFailure(null);
    const values = await form.validateFields();
    setBusy(true);
    try {
      const ticket = await apiRequest<TicketDetail>('/api/hotline/my-tickets', {
        method: 'POST',
        body: values,
        lang,
      });
      message.success(
        t(hallText.submitted, { number: ticket.number, code: ticket.trackCode ?? '' }),
      );
      form.resetFields();
      setGeneration((g) => g + 1);
    } catch (error) {
      if (error instanceof ApiError && error.details.length) {
        form.setFields(
          error.details.map((d) => ({ name: fieldOfPath(d.path), errors: [d.message] })),
        );
      }
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="ot-page-width ot-section">
      <Typography.Title level={2}>{t(hallText.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(hallText.intro)}</Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} lg={15}>
          <Card className="ot-hl-card">
            {!user && (
              <Alert
                type="info"
                showIcon
                title={t(hallText.signIn)}
                action={
                  <Button onClick={() => navigate('/signin?next=/hotline')}>
                    {t(hallText.signInButton)}
                  </Button>
                }
              />
            )}
            {user && !requester && <Alert type="info" showIcon title={t(hallText.staff)} />}
            {requester && (
              <Form form={form} layout="vertical" initialValues={{ type: 'complaint' }}>
                {failure && <Alert type="error" showIcon title={failure} className="ot-block" />}
                <Form.Item name="type" label={t(hallText.type)}>
                  <Radio.Group
                    optionType="button"
                    options={TICKET_TYPES.map((type: TicketType) => ({
                      value: type,
                      label: t(TYPE_LABELS[type]),
                    }))}
                  />
                </Form.Item>
                <Row gutter={12}>
                  <Col xs={24} sm={12}>
                    <Form.Item
                      name="categoryCode"
                      label={t(hallText.category)}
                      rules={[{ required: true, message: t(hallText.required) }]}
                    >
                      <Select
                        showSearch={{
                          filterOption: (input, option) =>
                            String((option as { search?: string })?.search ?? '').includes(input),
                        }}
                        options={options}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item
                      name="regionCode"
                      label={t(hallText.region)}
                      rules={[{ required: true, message: t(hallText.required) }]}
                    >
                      <Select options={regions.map((r) => ({ value: r.code, label: t(r.name) }))} />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name="address" label={t(hallText.address)}>
                  <Input maxLength={200} />
                </Form.Item>
                <Form.Item
                  name="content"
                  label={t(hallText.content)}
                  rules={[{ required: true, min: 5, message: t(hallText.required) }]}
                >
                  <Input.TextArea
                    autoSize={{ minRows: 4, maxRows: 10 }}
                    maxLength={4000}
                    showCount
                  />
                </Form.Item>
                <Form.Item name="confidential" valuePropName="checked">
                  <Checkbox>{t(hallText.confidential)}</Checkbox>
                </Form.Item>
                <Button
                  type="primary"
                  icon={<SendOutlined />}
                  loading={busy}
                  onClick={() => void submit()}
                >
                  {t(hallText.submit)}
                </Button>
              </Form>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card className="ot-hl-card" title={t(hallText.track)}>
            <Button icon={<SearchOutlined />} onClick={() => navigate('/hotline/track')}>
              {t(hallText.trackButton)}
            </Button>
          </Card>
          {requester && (
            <Card className="ot-hl-card" title={t(hallText.mine)}>
              <Table<TicketSummary>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={mine}
                columns={[
                  {
                    key: 'title',
                    render: (_, ticket) => (
                      <div className="ot-hl-name-cell">
                        <a onClick={() => void openOwn(ticket.id)}>{ticket.title}</a>
                        <span className="ot-muted">
                          {ticket.number} · {formatShort(ticket.createdAt, locale)}
                        </span>
                      </div>
                    ),
                  },
                  { key: 'status', render: (_, ticket) => <StatusTag status={ticket.status} /> },
                ]}
              />
              <Link to="/hotline/track">{t(hallText.trackButton)} →</Link>
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
