import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { App, Button, Result, Spin } from 'antd';
import { roleLabels } from '../features/platform/roles';
import { SECOND_FACTOR_PATH } from '../features/platform/second-factor-page';
import { passwordPathFor } from '../features/platform/password-page';
import { useAuth } from './auth';
import type { EntryKey } from './entries';
import { entryOf, homeEntryOf, mayEnter } from './entries';
import { useI18n } from './i18n';
import { shellText } from './messages';

/**
 * Lets only the roles of an entry in: anonymous visitors go to sign-in with `next` set to
 * where they were going; signed-in users of another role are told why they cannot enter.
 */
export function RequireEntry({ entry: key, children }: { entry: EntryKey; children: ReactNode }) {
  const { t } = useI18n();
  const { state, signOut, reload } = useAuth();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const entry = entryOf(key);
  const here = `${location.pathname}${location.search}`;

  if (state.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(shellText.checkingSession)}</div>
      </div>
    );
  }

  if (state.status === 'unknown') {
    return (
      <Result
        status="warning"
        title={t(shellText.sessionUnknownTitle)}
        subTitle={state.message}
        extra={
          <Button type="primary" onClick={reload}>
            {t(shellText.retry)}
          </Button>
        }
      />
    );
  }

  if (state.status === 'anonymous') {
    // Someone who just signed out here is not sent back here by the next sign-in.
    const next = state.signedOut ? state.signedOut.next : here;
    return <Navigate to={next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'} replace />;
  }

  const { user } = state;
  // An account holding a temporary password changes it before anything else.
  const passwordPath = passwordPathFor(user.role);
  if (user.passwordChangeRequired) {
    return location.pathname === passwordPath ? (
      <>{children}</>
    ) : (
      <Navigate to={passwordPath} replace />
    );
  }
  // A staff session that must enrol a second factor may do nothing else first.
  if (user.secondFactorSetupRequired && location.pathname !== SECOND_FACTOR_PATH) {
    return <Navigate to={SECOND_FACTOR_PATH} replace />;
  }
  if (mayEnter(entry, user.role)) return <>{children}</>;

  const home = homeEntryOf(user.role);
  const allowed = (entry.roles ?? []).map((role) => t(roleLabels[role]));
  const switchAccount = () => {
    signOut(here).catch((error: unknown) =>
      message.error(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <div data-testid="entry-refused">
      <Result
        status="403"
        title={t(shellText.forbiddenTitle, { entry: t(entry.label) })}
        subTitle={t(shellText.forbiddenBody, {
          entry: t(entry.label),
          roles: allowed.join(t(shellText.listSeparator)),
          role: t(roleLabels[user.role]),
        })}
        extra={[
          <Button key="home" type="primary" onClick={() => navigate(home.path)}>
            {t(shellText.goToMyEntry, { entry: t(home.label) })}
          </Button>,
          <Button key="switch" onClick={switchAccount}>
            {t(shellText.switchAccount)}
          </Button>,
        ]}
      />
    </div>
  );
}
