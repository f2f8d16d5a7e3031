import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { ApiKey } from './api';
import { issueApiKey, listApiKeys, revokeApiKey } from './api';
import { messageOf, RequireHotlineRole } from './components';
import { formatTime } from '../../shell/time';
import './hotline.css';

export const keysText = {
  title: { zh: 'Open311 接口密钥', en: 'Open311 API keys' },
  intro: {
    zh: '第三方客户端（如掌上12345、城市服务平台）通过 Open311 GeoReport v2 接口 /open311/v2/ 提交诉求时须携带 api_key。密钥只在签发时显示一次，平台只保存其摘要；撤销后立即失效。',
    en: 'Third-party clients posting requests to the Open311 GeoReport v2 endpoint /open311/v2/ must send an api_key. A key is shown once when issued and only its hash is kept; a revoked key stops working at once.',
  },
  issue: { zh: '签发密钥', en: 'Issue a key' },
  name: { zh: '客户端名称', en: 'Client name' },
  prefix: { zh: '前缀', en: 'Prefix' },
  createdAt: { zh: '签发时间', en: 'Issued' },
  createdBy: { zh: '签发人', en: 'By' },
  lastUsed: { zh: '最近使用', en: 'Last used' },
  status: { zh: '状态', en: 'Status' },
  active: { zh: '有效', en: 'Active' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  revoke: { zh: '撤销', en: 'Revoke' },
  confirmRevoke: {
    zh: '撤销后使用该密钥的客户端将立即无法提交诉求，确定撤销？',
    en: 'Clients using this key will be refused at once. Revoke it?',
  },
  shown: {
    zh: '请立即复制保存，此密钥不会再次显示：',
    en: 'Copy it now; this key will not be shown again:',
  },
  required: { zh: '请填写客户端名称', en: 'Name the client' },
} satisfies Record<string, Text>;

/** `/workbench/hotline/keys`: administrators issue and revoke Open311 keys. */
export function HotlineKeysPage() {
  return (
    <RequireHotlineRole roles={['admin']}>
      <Keys />
    </RequireHotlineRole>
  );
}

function Keys() {
  const { t, lang, locale } = useI18n();
  const { message, modal } = App.useApp();
  useDocumentTitle(keysText.title);
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [form] = Form.useForm<{ name: string }>();

  useEffect(() => {
    const controller = new AbortController();
    listApiKeys(lang, controller.signal).then(setKeys, (e: unknown) => setError(messageOf(e)));
    return () => controller.abort();
  }, [generation]);

  async function issue() {
    const { name } = await form.validateFields();
    try {
      const key = await issueApiKey(name, lang);
      setIssued(key.key);
      setIssuing(false);
      form.resetFields();
      setGeneration((g) => g + 1);
    } catch (e) {
      message.error(messageOf(e));
    }
  }

  return (
    <div className="ot-hl-page">
      <div className="ot-workbench-title ot-hl-title-row">
        <Typography.Title level={2}>{t(keysText.title)}</Typography.Title>
        <span className="ot-hl-spacer" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>
          {t(keysText.issue)}
        </Button>
      </div>
      <Typography.Paragraph className="ot-lead">{t(keysText.intro)}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} className="ot-block" />}
      {issued && (
        <Alert
          type="success"
          showIcon
          icon={<KeyOutlined />}
          className="ot-block"
          title={t(keysText.shown)}
          description={
            <Typography.Text copyable code data-testid="issued-key">
              {issued}
            </Typography.Text>
          }
          closable={{ onClose: () => setIssued(null) }}
        />
      )}
      <Table<ApiKey>
        rowKey="id"
        loading={!keys && !error}
        dataSource={keys ?? []}
        pagination={false}
        columns={[
          { key: 'name', title: t(keysText.name), dataIndex: 'name' },
          { key: 'prefix', title: t(keysText.prefix), render: (_, k) => <code>{k.prefix}…</code> },
          {
            key: 'createdAt',
            title: t(keysText.createdAt),
            render: (_, k) => formatTime(k.createdAt, locale),
          },
          {
            key: 'createdBy',
            title: t(keysText.createdBy),
            render: (_, k) => k.createdByName ?? '—',
            responsive: ['lg'],
          },
          {
            key: 'lastUsed',
            title: t(keysText.lastUsed),
            render: (_, k) => formatTime(k.lastUsedAt, locale),
            responsive: ['md'],
          },
          {
            key: 'status',
            title: t(keysText.status),
            render: (_, k) =>
              k.revokedAt ? (
                <Tag>{t(keysText.revoked)}</Tag>
              ) : (
                <Tag color="green">{t(keysText.active)}</Tag>
              ),
          },
          {
            key: 'actions',
            title: '',
            render: (_, k) =>
              !k.revokedAt && (
                <Button
                  size="small"
                  danger
                  onClick={() =>
                    modal.confirm({
                      title: t(keysText.confirmRevoke),
                      onOk: () =>
                        revokeApiKey(k.id, lang).then(
                          () => setGeneration((g) => g + 1),
                          (e: unknown) => message.error(messageOf(e)),
                        ),
                    })
                  }
                >
                  {t(keysText.revoke)}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={issuing}
        title={t(keysText.issue)}
        onCancel={() => setIssuing(false)}
        onOk={() => void issue()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t(keysText.name)}
            rules={[{ required: true, min: 2, message: t(keysText.required) }]}
          >
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
