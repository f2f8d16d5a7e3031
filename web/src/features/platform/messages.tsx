import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Empty, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useI18n } from '../../shell/i18n';
import type { Text } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import {
  fetchMessages,
  fetchUnreadCount,
  markAllMessagesRead,
  markMessageRead,
  type InboxMessage,
} from './api';

// How often the bell asks for the unread count; a message is rarely urgent to the second.
const POLL_MS = 30_000;
const PAGE = 20;

const text = {
  bell: { zh: '消息', en: 'Messages' },
  bellLabel: { zh: '消息，{n} 条未读', en: 'Messages, {n} unread' },
  title: { zh: '我的消息', en: 'My messages' },
  readAll: { zh: '全部已读', en: 'Mark all read' },
  none: { zh: '暂无消息', en: 'No messages yet' },
  unreadOnly: { zh: '只看未读', en: 'Unread only' },
  showAll: { zh: '查看全部', en: 'Show all' },
  failed: { zh: '消息加载失败：{error}', en: 'Messages could not be loaded: {error}' },
  unreadMark: { zh: '未读', en: 'Unread' },
} satisfies Record<string, Text>;

/** One message in the list: title, time (Beijing), body; unread ones stand out. */
function MessageItem({ message, onOpen }: { message: InboxMessage; onOpen(): void }) {
  const { t, locale } = useI18n();
  const unread = message.readAt === null;
  return (
    <li style={{ listStyle: 'none' }}>
      <button
        type="button"
        onClick={onOpen}
        data-testid="message-item"
        data-unread={unread ? 'true' : 'false'}
        style={{
          display: 'block',
          width: '100%',
          textAlign: 'start',
          border: 'none',
          borderBottom: '1px solid rgba(0,0,0,0.06)',
          background: unread ? 'rgba(22,119,255,0.06)' : 'transparent',
          padding: '10px 12px',
          cursor: 'pointer',
          font: 'inherit',
        }}
      >
        <div style={{ display: 'flex', gap: 8, alignItems: 'baseline' }}>
          {unread && <Badge status="processing" aria-label={t(text.unreadMark)} />}
          <Typography.Text strong={unread} style={{ flex: 1 }}>
            {t(message.title)}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {formatTime(message.createdAt, locale)}
          </Typography.Text>
        </div>
        <Typography.Paragraph
          type="secondary"
          style={{ margin: '4px 0 0', fontSize: 13 }}
          ellipsis={{ rows: 2 }}
        >
          {t(message.body)}
        </Typography.Paragraph>
      </button>
    </li>
  );
}

/**
 * The message bell of the header: the unread count (asked for every 30 s), and on click the
 * latest messages in the current language; opening one marks it read and follows its link.
 */
export function MessageBell() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [messages, setMessages] = useState<InboxMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const langRef = useRef(lang);
  langRef.current = lang;

  const refreshCount = useCallback(async (signal?: AbortSignal) => {
    try {
      setUnread(await fetchUnreadCount(langRef.current, signal));
    } catch {
      // The bell stays as it was; the next poll tries again.
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void refreshCount(controller.signal);
    const timer = window.setInterval(() => {
      if (!document.hidden) void refreshCount(controller.signal);
    }, POLL_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [refreshCount]);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setError(null);
    fetchMessages({ unread: unreadOnly, limit: PAGE }, lang, controller.signal).then(
      (page) => {
        setMessages(page.messages);
        setUnread(page.unread);
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) {
          setError(
            t(text.failed, { error: cause instanceof Error ? cause.message : String(cause) }),
          );
        }
      },
    );
    return () => controller.abort();
  }, [open, unreadOnly, lang, t]);

  const openMessage = (message: InboxMessage) => {
    if (message.readAt === null) {
      const now = new Date().toISOString();
      setMessages(
        (list) => list?.map((m) => (m.id === message.id ? { ...m, readAt: now } : m)) ?? null,
      );
      setUnread((n) => Math.max(0, n - 1));
      markMessageRead(message.id, lang).catch(() => void refreshCount());
    }
    if (message.link) {
      setOpen(false);
      void navigate(message.link);
    }
  };

  const readAll = () => {
    const now = new Date().toISOString();
    setMessages((list) => list?.map((m) => (m.readAt ? m : { ...m, readAt: now })) ?? null);
    setUnread(0);
    markAllMessagesRead(lang).catch(() => void refreshCount());
  };

  const content = (
    <div style={{ width: 'min(380px, 86vw)' }} data-testid="message-panel">
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          padding: '4px 4px 8px',
        }}
      >
        <Typography.Text strong>{t(text.title)}</Typography.Text>
        <span>
          <Button size="small" type="link" onClick={() => setUnreadOnly((v) => !v)}>
            {t(unreadOnly ? text.showAll : text.unreadOnly)}
          </Button>
          <Button size="small" type="link" disabled={unread === 0} onClick={readAll}>
            {t(text.readAll)}
          </Button>
        </span>
      </div>
      <div style={{ maxHeight: '60vh', overflowY: 'auto' }}>
        {error ? (
          <Typography.Text type="danger">{error}</Typography.Text>
        ) : messages === null ? (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Spin />
          </div>
        ) : messages.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(text.none)} />
        ) : (
          <ul style={{ margin: 0, padding: 0 }}>
            {messages.map((message) => (
              <MessageItem key={message.id} message={message} onOpen={() => openMessage(message)} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setMessages(null);
      }}
    >
      <Button
        type="text"
        className="ot-header-button"
        data-testid="message-bell"
        aria-label={t(text.bellLabel, { n: unread })}
        title={t(text.bell)}
        icon={
          <Badge
            count={unread}
            size="small"
            overflowCount={99}
            offset={[4, -2]}
            // The badge sets its own dark text colour; the bell takes the header button's.
            styles={{ root: { color: 'inherit' } }}
          >
            <BellOutlined style={{ color: 'inherit', fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
