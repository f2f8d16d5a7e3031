import { useEffect, useState } from 'react';
import { Button, Card, Form, Input, Typography } from 'antd';
import { ExportOutlined, PlayCircleOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { RequireRole } from '../applications/require-role';
import type { CreatedVisit } from './api';
import { openWindowVisit } from './api';
import type { Problem } from './rating-dialog';
import { ProblemAlert, problemOf } from './rating-dialog';
import './evaluations.css';

const text = {
  title: { zh: '窗口评价器', en: 'Counter rating' },
  intro: {
    zh: '办完业务后发起评价：办事人在窗口评价器（平板）上打开链接或扫描二维码，一次一评。',
    en: 'When the business is done, start a rating: the person at the window opens the link on the counter tablet or scans the QR code, once per visit.',
  },
  window: { zh: '窗口号', en: 'Window' },
  windowHint: { zh: '本机记住窗口号', en: 'Remembered on this computer' },
  windowRequired: { zh: '请填写窗口号', en: 'Enter the window' },
  application: { zh: '申请编号（选填）', en: 'Application number (optional)' },
  applicationHint: {
    zh: '为某份申请办理的，填写其编号，评价会关联到该申请。',
    en: 'When the visit was for an application, its number links the rating to it.',
  },
  start: { zh: '开始评价', en: 'Start the rating' },
  scan: {
    zh: '请办事人扫描二维码，或在评价器上打开下面的链接。',
    en: 'Let the person scan the QR code, or open the link below on the tablet.',
  },
  openOnTablet: { zh: '在评价器打开', en: 'Open on the tablet' },
  expires: { zh: '{time} 前有效', en: 'Valid until {time}' },
  qr: { zh: '评价二维码', en: 'Rating QR code' },
} satisfies Record<string, Text>;

const WINDOW_KEY = 'onething.window-code';

function storedWindow(): string {
  try {
    return window.localStorage.getItem(WINDOW_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeWindow(code: string): void {
  try {
    window.localStorage.setItem(WINDOW_KEY, code);
  } catch {
    // Not remembering the window only means typing it again.
  }
}

/** `/workbench/window-rating`: a clerk starts a counter-tablet rating for the person served. */
export function WindowRatingPage() {
  return (
    <RequireRole roles={['clerk']}>
      <WindowRating />
    </RequireRole>
  );
}

function WindowRating() {
  const { t, lang, locale } = useI18n();
  useDocumentTitle(text.title);
  const [form] = Form.useForm<{ windowCode: string; applicationNumber: string }>();
  const [visit, setVisit] = useState<CreatedVisit | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const link = visit ? `${window.location.origin}${visit.path}` : '';

  useEffect(() => {
    if (!link) {
      setQr(null);
      return;
    }
    let live = true;
    QRCode.toDataURL(link, { margin: 1, width: 240, errorCorrectionLevel: 'M' }).then(
      (url) => live && setQr(url),
      () => live && setQr(null),
    );
    return () => {
      live = false;
    };
  }, [link]);

  async function start(values: { windowCode: string; applicationNumber?: string }) {
    const windowCode = values.windowCode.trim();
    const applicationNumber = values.applicationNumber?.trim();
    setBusy(true);
    setProblem(null);
    try {
      const created = await openWindowVisit(
        { windowCode, ...(applicationNumber ? { applicationNumber } : {}) },
        lang,
      );
      storeWindow(windowCode);
      setVisit(created);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="window-rating">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <div className="ot-eval-window">
        <Card className="ot-eval-window-form">
          <Form
            form={form}
            layout="vertical"
            initialValues={{ windowCode: storedWindow(), applicationNumber: '' }}
            onFinish={(values) => void start(values)}
            onValuesChange={() => setVisit(null)}
          >
            <Form.Item
              name="windowCode"
              label={t(text.window)}
              extra={t(text.windowHint)}
              rules={[{ required: true, whitespace: true, message: t(text.windowRequired) }]}
            >
              <Input maxLength={20} style={{ maxWidth: 200 }} data-testid="window-code" />
            </Form.Item>
            <Form.Item
              name="applicationNumber"
              label={t(text.application)}
              extra={t(text.applicationHint)}
            >
              <Input maxLength={40} style={{ maxWidth: 320 }} data-testid="window-application" />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<PlayCircleOutlined />}
              loading={busy}
              data-testid="window-start"
            >
              {t(text.start)}
            </Button>
            {problem && <ProblemAlert problem={problem} />}
          </Form>
        </Card>
        {visit && (
          <Card className="ot-eval-window-visit" data-testid="window-visit">
            <Typography.Paragraph>{t(text.scan)}</Typography.Paragraph>
            <div className="ot-eval-qr">
              {qr && (
                <img src={qr} alt={t(text.qr)} width={240} height={240} data-testid="window-qr" />
              )}
            </div>
            <Typography.Paragraph type="secondary">
              {t(text.expires, { time: formatTime(visit.expiresAt, locale) })}
            </Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: link }} className="ot-eval-link">
              <a href={visit.path} target="_blank" rel="noreferrer" data-testid="window-link">
                {link}
              </a>
            </Typography.Paragraph>
            <Button
              type="primary"
              icon={<ExportOutlined />}
              onClick={() => window.open(visit.path, '_blank', 'noopener')}
              data-testid="window-open"
            >
              {t(text.openOnTablet)}
            </Button>
          </Card>
        )}
      </div>
    </div>
  );
}
