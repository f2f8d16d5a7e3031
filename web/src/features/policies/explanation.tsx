import { useI18n } from '../../shell/i18n';
import type { Explanation } from './api';

/**
 * Why a subject meets a policy or not: each condition and group on its own line, indented by its
 * depth, green ✓ or red ✗ (the server's words), then the one-line summary when asked for.
 */
export function ExplanationLines({
  explanation,
  summary = false,
}: {
  explanation: Explanation;
  summary?: boolean;
}) {
  const { t } = useI18n();
  // A root "all of" says nothing its parts do not; the parts carry the reasons.
  const lines = explanation.lines.filter((line) => line.path !== '' || line.kind !== 'all');
  const base = lines.length ? Math.min(...lines.map((line) => line.depth)) : 0;
  return (
    <div className="ot-pol-explain" data-testid="policy-explanation">
      <ul>
        {lines.map((line) => (
          <li
            key={line.path}
            className={line.ok ? 'ot-pol-ok' : 'ot-pol-no'}
            style={{ paddingInlineStart: (line.depth - base) * 18 }}
            data-ok={line.ok}
          >
            {t(line.text)}
          </li>
        ))}
      </ul>
      {summary && <div className="ot-pol-summary">{t(explanation.summary)}</div>}
    </div>
  );
}
