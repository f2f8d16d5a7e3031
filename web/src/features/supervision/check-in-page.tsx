import { useState } from 'react';
import { Navigate, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Result, Skeleton } from 'antd';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { inspectionStep } from './api';
import { ProblemAlert } from './draw-view';
import './supervision.css';

const text = {
  title: { zh: '扫码入企', en: 'Check in' },
  ask: {
    zh: '确认已到达企业现场并开始检查？',
    en: 'Confirm you are at the enterprise and starting the inspection?',
  },
  confirm: { zh: '确认入企', en: 'Check in' },
  notInspector: {
    zh: '此二维码供被抽派的检查人员扫码登记入企。',
    en: 'This code is for the assigned inspectors to check in.',
  },
} satisfies Record<string, Text>;

/**
 * `/supervision/check-in/:id?token=`: where the enterprise's QR code leads. An inspector signed in
 * confirms and is checked in; anyone else is told whose code it is.
 */
export function CheckInLinkPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const { t, lang } = useI18n();
  const { user, state } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(text.title);
  if (state.status === 'anonymous')
    return (
      <Navigate
        to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  if (!user) return <Skeleton active />;
  if (user.role !== 'inspector')
    return <Result status="info" title={t(text.title)} subTitle={t(text.notInspector)} />;
  return (
    <div className="ot-page-width ot-section" data-testid="check-in-link">
      <Result
        status="info"
        title={t(text.title)}
        subTitle={t(text.ask)}
        extra={
          <Button
            type="primary"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await inspectionStep(id, 'check-in', { token }, lang);
                navigate(`/workbench/inspections/${id}`);
              } catch (caught) {
                setError(caught);
                setBusy(false);
              }
            }}
          >
            {t(text.confirm)}
          </Button>
        }
      />
      <ProblemAlert error={error} />
    </div>
  );
}
