import { useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App, Avatar, Button, Drawer, Layout, Menu, Select, Tag, Tooltip } from 'antd';
import type { MenuProps } from 'antd';
import {
  BankOutlined,
  LoginOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ActableSubject, Me } from '../features/platform/api';
import { fetchActableSubjects, organisationOf } from '../features/platform/api';
import { MessageBell } from '../features/platform/messages';
import { useDemoPlatform } from '../features/platform/platform-info';
import { passwordPathFor } from '../features/platform/password-page';
import { roleLabels } from '../features/platform/roles';
import { useAuth } from './auth';
import type { EntryKey } from './entries';
import { entries, mayEnter } from './entries';
import type { Text } from './i18n';
import { useI18n } from './i18n';
import { shellText } from './messages';

// 切换办事主体: the header's switch between acting as oneself and for a represented enterprise.
const actingText = {
  actingAs: { zh: '办事主体', en: 'Acting as' },
  actingAsLabel: { zh: '切换办事主体', en: 'Switch who you act as' },
  self: { zh: '本人', en: 'Myself' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  legalRep: { zh: '（法定代表人 {name}）', en: '(legal representative {name})' },
  switched: { zh: '已切换为「{name}」办事。', en: 'You now act as {name}.' },
} satisfies Record<string, Text>;

/** The entry a path belongs to, for highlighting it in the navigation. */
function entryKeyOfPath(pathname: string): EntryKey | null {
  const hall = [
    '/services',
    '/bundles',
    '/applications',
    '/status',
    '/licences',
    '/licence-shares',
    '/verify',
    '/hotline',
    '/evaluations',
    '/policies',
    '/supervision',
    '/account',
  ];
  if (pathname === '/' || hall.some((p) => pathname === p || pathname.startsWith(`${p}/`))) {
    return 'hall';
  }
  if (pathname === '/workbench' || pathname.startsWith('/workbench/')) return 'workbench';
  if (pathname === '/cockpit' || pathname.startsWith('/cockpit/')) return 'cockpit';
  return null;
}

/** Switches between zh-CN and English; the label names the language you switch to. */
function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'zh' ? 'en' : 'zh';
  return (
    <Button
      type="text"
      className="ot-header-button"
      lang={other === 'en' ? 'en' : 'zh-CN'}
      aria-label={t(shellText.switchToOtherLabel)}
      onClick={() => setLang(other)}
    >
      <span className="ot-desktop-only">{t(shellText.switchToOther)}</span>
      <span className="ot-mobile-only">{t(shellText.switchToOtherShort)}</span>
    </Button>
  );
}

/**
 * The subjects a citizen can act as (themselves and the enterprises they legally represent);
 * choosing one switches the session, refreshes the user and starts again from the hall, so every
 * page loads the new subject's data. Shown only to those who have a choice.
 */
function ActingSubjectSwitch({ user, testId }: { user: Me; testId: string }) {
  const { t, lang } = useI18n();
  const { switchSubject } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [subjects, setSubjects] = useState<ActableSubject[]>([]);
  const [busy, setBusy] = useState(false);
  // A session held back (temporary password, second factor to enrol) may not list subjects yet.
  const mayAct =
    (user.role === 'citizen' || !!user.acting) &&
    !user.passwordChangeRequired &&
    !user.secondFactorSetupRequired;

  useEffect(() => {
    if (!mayAct) return;
    const controller = new AbortController();
    fetchActableSubjects(lang, controller.signal).then(setSubjects, () => {
      // Without the list there is nothing to switch to; the header stays as it is.
      if (!controller.signal.aborted) setSubjects([]);
    });
    return () => controller.abort();
    // Asked again whenever the session's subject changes; the names need no language.
  }, [mayAct, user.subjectId]);

  if (!mayAct || subjects.length < 2) return null;
  const own = subjects[0]!;
  const current = subjects.find((subject) => subject.current) ?? own;

  const choose = (subjectId: string) => {
    if (subjectId === current.subjectId) return;
    setBusy(true);
    switchSubject(subjectId === own.subjectId ? null : subjectId).then(
      (next) => {
        setBusy(false);
        message.success(t(actingText.switched, { name: next.acting?.name ?? next.displayName }));
        navigate('/');
      },
      (error: unknown) => {
        setBusy(false);
        message.error(error instanceof Error ? error.message : String(error));
      },
    );
  };

  return (
    <Select
      className="ot-acting-select"
      popupMatchSelectWidth={false}
      data-testid={testId}
      aria-label={t(actingText.actingAsLabel)}
      prefix={<span className="ot-acting-prefix">{t(actingText.actingAs)}</span>}
      value={current.subjectId}
      loading={busy}
      disabled={busy}
      onChange={choose}
      options={subjects.map((subject) => ({
        value: subject.subjectId,
        label: subject.name,
        title: subject.name,
        'data-testid': `acting-subject-option-${subject.kind}`,
      }))}
      optionRender={(option) => {
        // The popup names each choice fully: who it is and what kind of subject.
        const subject = subjects.find((s) => s.subjectId === option.value) ?? own;
        return (
          <div className="ot-acting-option">
            {subject.kind === 'enterprise' ? <BankOutlined /> : <UserOutlined />}
            <span>{subject.name}</span>
            <Tag variant="filled">
              {t(subject.kind === 'enterprise' ? actingText.enterprise : actingText.self)}
            </Tag>
          </div>
        );
      }}
    />
  );
}

/** Who is signed in: name, role, region and department; while acting, the enterprise first. */
function Identity({ user, compact = false }: { user: Me; compact?: boolean }) {
  const { t } = useI18n();
  const organisation = t(organisationOf(user));
  const shownName = user.acting?.name ?? user.displayName;
  return (
    <div
      className={compact ? 'ot-identity ot-identity-compact' : 'ot-identity'}
      data-testid="identity"
    >
      <Avatar size={compact ? 28 : 36} icon={<UserOutlined />} className="ot-identity-avatar" />
      <div className="ot-identity-text">
        <div className="ot-identity-name">
          <span className="ot-identity-display" data-testid="identity-name" title={shownName}>
            {shownName}
          </span>
          <Tag
            color="gold"
            variant="filled"
            className="ot-identity-role"
            data-testid="identity-role"
          >
            {t(roleLabels[user.role])}
          </Tag>
        </div>
        {user.acting && (
          <div className="ot-identity-rep" data-testid="identity-acting-for">
            {t(actingText.legalRep, { name: user.displayName })}
          </div>
        )}
        <div className="ot-identity-org" data-testid="identity-org" title={organisation}>
          {organisation}
        </div>
      </div>
    </div>
  );
}

/** The page frame of every entry: header with name, navigation, language and user; then content. */
export function AppLayout() {
  const { t, lang } = useI18n();
  // The footer says "demo, synthetic data" only where the server runs the demo.
  const demo = useDemoPlatform(lang);
  const { state, user, signOut } = useAuth();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [drawerOpen, setDrawerOpen] = useState(false);

  const current = entryKeyOfPath(location.pathname);
  const onSignInPage = location.pathname === '/signin';
  // Anonymous visitors see every entry (the protected ones lead to sign-in);
  // a signed-in user sees the entries open to their role.
  const visible = entries.filter((entry) => !user || mayEnter(entry, user.role));
  const items: MenuProps['items'] = visible.map((entry) => ({
    key: entry.key,
    label: (
      <Link to={entry.path} onClick={() => setDrawerOpen(false)}>
        {t(entry.label)}
      </Link>
    ),
  }));

  const handleSignOut = () => {
    setDrawerOpen(false);
    // A protected entry sends the signed-out visitor to sign-in by itself (RequireEntry).
    signOut().then(
      () => message.success(t(shellText.signedOut)),
      (error: unknown) => message.error(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <Layout className="ot-app">
      <Layout.Header className="ot-header">
        <Link to="/" className="ot-brand" aria-label="一件事 · OneThing">
          <span className="ot-brand-mark" aria-hidden="true" />
          <span className="ot-brand-text">
            <span className="ot-brand-name">一件事 · OneThing</span>
            <span className="ot-brand-tagline ot-desktop-only">{t(shellText.tagline)}</span>
          </span>
        </Link>
        <nav className="ot-nav ot-desktop-only" aria-label={t(shellText.navLabel)}>
          <Menu
            mode="horizontal"
            theme="dark"
            selectedKeys={current ? [current] : []}
            items={items}
            className="ot-nav-menu"
          />
        </nav>
        <div className="ot-header-actions">
          <LanguageSwitch />
          {/* a session held back may only change its password or enrol: no messages yet */}
          {user && !user.passwordChangeRequired && !user.secondFactorSetupRequired && (
            <MessageBell key={user.id} />
          )}
          {user ? (
            <div className="ot-desktop-only ot-header-user">
              <ActingSubjectSwitch key={user.id} user={user} testId="acting-subject" />
              <Identity user={user} />
              <Tooltip title={t(shellText.changePassword)}>
                <Button
                  type="text"
                  className="ot-header-button"
                  icon={<KeyOutlined />}
                  aria-label={t(shellText.changePassword)}
                  data-testid="change-password"
                  onClick={() => navigate(passwordPathFor(user.role))}
                />
              </Tooltip>
              <Button
                type="text"
                className="ot-header-button"
                icon={<LogoutOutlined />}
                onClick={handleSignOut}
              >
                {t(shellText.signOut)}
              </Button>
            </div>
          ) : (
            state.status !== 'loading' &&
            !onSignInPage && (
              <Button
                type="primary"
                icon={<LoginOutlined />}
                className="ot-signin-button"
                onClick={() => navigate('/signin')}
              >
                {t(shellText.signIn)}
              </Button>
            )
          )}
          {visible.length > 1 && (
            <Button
              type="text"
              className="ot-header-button ot-mobile-only"
              icon={<MenuOutlined />}
              aria-label={t(shellText.menu)}
              onClick={() => setDrawerOpen(true)}
            />
          )}
        </div>
      </Layout.Header>

      {user && (
        <div className="ot-identity-bar ot-mobile-only">
          <Identity user={user} compact />
          <div className="ot-identity-bar-actions">
            <ActingSubjectSwitch key={user.id} user={user} testId="acting-subject-mobile" />
            <Button
              size="small"
              icon={<KeyOutlined />}
              aria-label={t(shellText.changePassword)}
              onClick={() => navigate(passwordPathFor(user.role))}
            />
            <Button size="small" icon={<LogoutOutlined />} onClick={handleSignOut}>
              {t(shellText.signOut)}
            </Button>
          </div>
        </div>
      )}

      <Drawer
        title="一件事 · OneThing"
        placement="right"
        size={280}
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
      >
        <nav aria-label={t(shellText.navLabel)}>
          <Menu
            mode="vertical"
            selectedKeys={current ? [current] : []}
            items={items}
            style={{ borderInlineEnd: 'none' }}
          />
        </nav>
      </Drawer>

      <Layout.Content className="ot-content">
        {/* A new subject (切换办事主体) remounts the page, so it loads that subject's data. */}
        <Outlet key={user?.acting?.subjectId ?? 'self'} />
      </Layout.Content>

      <Layout.Footer className="ot-footer">
        {t(demo ? shellText.footer : shellText.footerLive)}
      </Layout.Footer>
    </Layout>
  );
}
