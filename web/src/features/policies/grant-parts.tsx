import { Empty, Tag, Timeline } from 'antd';
import { useI18n } from '../../shell/i18n';
import { formatDay, formatTime } from '../../shell/time';
import type { GrantView, LedgerEntry } from './api';
import { GRANT_STATE_COLORS, policyText, yuan } from './labels';

/** A grant's state as a coloured tag. */
export function GrantStateTag({ grant }: { grant: Pick<GrantView, 'state' | 'stateName'> }) {
  const { t } = useI18n();
  return (
    <Tag color={GRANT_STATE_COLORS[grant.state]} data-testid="grant-state" data-state={grant.state}>
      {t(grant.stateName)}
    </Tag>
  );
}

/** The date a grant is due, with a red tag once it is overdue. */
export function GrantDue({ grant }: { grant: Pick<GrantView, 'dueAt' | 'overdue'> }) {
  const { t, locale } = useI18n();
  return (
    <span className="ot-pol-due" data-testid="grant-due" data-overdue={grant.overdue}>
      <span className="ot-nowrap">{formatDay(grant.dueAt, locale)}</span>
      {grant.overdue && <Tag color="red">{t(policyText.overdue)}</Tag>}
    </span>
  );
}

/** An amount in yuan, or — when the benefit has none. */
export function Amount({ amount }: { amount: number | null }) {
  const { t, locale } = useI18n();
  return <span className="ot-pol-amount">{amount === null ? '—' : t(yuan(amount, locale))}</span>;
}

/** A grant's ledger (台账) as a timeline, oldest first. */
export function GrantLedger({ ledger }: { ledger: LedgerEntry[] }) {
  const { t, locale } = useI18n();
  if (ledger.length === 0)
    return <Empty description={t(policyText.noLedger)} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      data-testid="grant-ledger"
      items={ledger.map((entry, index) => ({
        key: index,
        color: entry.action === 'rejected' || entry.action === 'suspended' ? 'red' : 'green',
        content: (
          <div data-action={entry.action}>
            <div>
              <strong>{t(entry.actionName)}</strong>
              {entry.actorName && <span className="ot-muted"> · {entry.actorName}</span>}
              {entry.amount !== null && (
                <span className="ot-muted"> · {t(yuan(entry.amount, locale))}</span>
              )}
            </div>
            <div className="ot-muted">{formatTime(entry.at, locale)}</div>
            {entry.note && <div className="ot-pol-prewrap">{entry.note}</div>}
          </div>
        ),
      }))}
    />
  );
}
