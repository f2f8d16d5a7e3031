import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Modal, Segmented, Typography } from 'antd';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { CreatedShare, Licence } from './api';
import { createShare } from './api';
import { SHARE_MINUTES_OPTIONS, minutesLabel } from './labels';

const text = {
  title: { zh: '亮证：{type}', en: 'Show: {type}' },
  fields: { zh: '选择要出示的内容', en: 'Choose what to show' },
  fieldsHint: {
    zh: '对方只能看到证照的核验结果和您勾选的内容；持证人姓名或名称会部分隐藏。',
    en: 'The other party sees only the verification and the items you tick; the holder name is partly hidden.',
  },
  minutes: { zh: '有效时间', en: 'Valid for' },
  create: { zh: '生成亮证码', en: 'Make the QR code' },
  scan: {
    zh: '请对方扫描二维码，或打开下面的链接查看。',
    en: 'Let the other party scan the QR code, or open the link below.',
  },
  remaining: { zh: '剩余 {time}', en: '{time} left' },
  expired: { zh: '亮证码已过期，请重新生成。', en: 'The code has expired; make a new one.' },
  expiresAt: { zh: '{time} 失效', en: 'expires {time}' },
  again: { zh: '重新选择', en: 'Start over' },
  close: { zh: '完成', en: 'Done' },
} satisfies Record<string, Text>;

/** Seconds until an ISO time, never below zero. */
function secondsUntil(iso: string): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - Date.now()) / 1000));
}

/** `h:mm:ss` or `mm:ss`. */
function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A countdown to an expiry that ticks every second. */
function Countdown({ until }: { until: string }) {
  const { t } = useI18n();
  const [left, setLeft] = useState(() => secondsUntil(until));
  useEffect(() => {
    setLeft(secondsUntil(until));
    const timer = window.setInterval(() => setLeft(secondsUntil(until)), 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  if (left === 0) return <Alert type="warning" showIcon title={t(text.expired)} />;
  return (
    <div className="ot-lic-countdown" data-testid="share-countdown" aria-live="off">
      {t(text.remaining, { time: clock(left) })}
    </div>
  );
}

/** The 亮证 dialog: pick fields and a lifetime, then show the QR code and link with a countdown. */
export function ShareDialog({
  licence,
  open,
  onClose,
  onCreated,
}: {
  licence: Licence;
  open: boolean;
  onClose: () => void;
  onCreated: (share: CreatedShare) => void;
}) {
  const { t, lang, locale } = useI18n();
  const [fields, setFields] = useState<string[]>([]);
  const [minutes, setMinutes] = useState<number>(10);
  const [share, setShare] = useState<CreatedShare | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setFields([]);
    setMinutes(10);
    setShare(null);
    setError(null);
  }, [open, licence.id]);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const created = await createShare(licence.id, { fields, minutes }, lang);
      setShare(created);
      onCreated(created);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  const link = share ? `${window.location.origin}${share.url}` : '';

  return (
    <Modal
      open={open}
      title={t(text.title, { type: t(licence.type.name) })}
      onCancel={onClose}
      destroyOnHidden
      width={520}
      footer={
        share ? (
          <>
            <Button onClick={() => setShare(null)}>{t(text.again)}</Button>
            <Button type="primary" onClick={onClose} data-testid="share-done">
              {t(text.close)}
            </Button>
          </>
        ) : (
          <Button
            type="primary"
            loading={busy}
            onClick={() => void submit()}
            data-testid="share-create"
          >
            {t(text.create)}
          </Button>
        )
      }
    >
      {share ? (
        <div className="ot-lic-share-result" data-testid="share-result">
          <Typography.Paragraph>{t(text.scan)}</Typography.Paragraph>
          <div
            className="ot-lic-qr"
            data-testid="share-qr"
            role="img"
            aria-label={link}
            // The server renders the SVG from our own link; it carries no user input.
            dangerouslySetInnerHTML={{ __html: share.qrSvg }}
          />
          <Countdown until={share.expiresAt} />
          <Typography.Paragraph type="secondary" className="ot-lic-expires-at">
            {t(text.expiresAt, { time: formatTime(share.expiresAt, locale) })}
          </Typography.Paragraph>
          <Typography.Paragraph copyable={{ text: link }} className="ot-lic-link">
            <a href={share.url} target="_blank" rel="noreferrer" data-testid="share-link">
              {link}
            </a>
          </Typography.Paragraph>
        </div>
      ) : (
        <div data-testid="share-form">
          <Typography.Title level={5}>{t(text.fields)}</Typography.Title>
          <Typography.Paragraph type="secondary">{t(text.fieldsHint)}</Typography.Paragraph>
          <Checkbox.Group
            className="ot-lic-field-picks"
            value={fields}
            onChange={(value) => setFields(value as string[])}
            options={licence.fields.map((field) => ({
              value: field.key,
              label: (
                <span data-pick={field.key}>
                  {t(field.label)}
                  <span className="ot-muted"> · {field.value ?? '—'}</span>
                </span>
              ),
            }))}
          />
          <Typography.Title level={5} className="ot-block">
            {t(text.minutes)}
          </Typography.Title>
          <Segmented
            value={minutes}
            onChange={(value) => setMinutes(Number(value))}
            options={SHARE_MINUTES_OPTIONS.map((m) => ({ value: m, label: t(minutesLabel(m)) }))}
            data-testid="share-minutes"
          />
          {error && <Alert type="error" showIcon title={error} className="ot-block" />}
        </div>
      )}
    </Modal>
  );
}
