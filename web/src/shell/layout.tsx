import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App, Avatar, Button, Drawer, Layout, Menu, Tag } from 'antd';
import type { MenuProps } from 'antd';
import { LoginOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import type { Me } from '../features/platform/api';
import { organisationOf } from '../features/platform/api';
import { MessageBell } from '../features/platform/messages';
import { roleLabels } from '../features/platform/roles';
import { useAuth } from './auth';
import type { EntryKey } from './entries';
import { entries, mayEnter } from './entries';
import { useI18n } from './i18n';
import { shellText } from './messages';

/** The entry a path belongs to, for highlighting it in the navigation. */
function entryKeyOfPath(pathname: string): EntryKey | null {
  const hall = ['/services', '/bundles', '/applications', '/status'];
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

/** Who is signed in: name, role, region and department. */
function Identity({ user, compact = false }: { user: Me; compact?: boolean }) {
  const { t } = useI18n();
  const organisation = t(organisationOf(user));
  return (
    <div
      className={compact ? 'ot-identity ot-identity-compact' : 'ot-identity'}
      data-testid="identity"
    >
      <Avatar size={compact ? 28 : 36} icon={<UserOutlined />} className="ot-identity-avatar" />
      <div className="ot-identity-text">
        <div className="ot-identity-name">
          <span
            className="ot-identity-display"
            data-testid="identity-name"
            title={user.displayName}
          >
            {user.displayName}
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
        <div className="ot-identity-org" data-testid="identity-org" title={organisation}>
          {organisation}
        </div>
      </div>
    </div>
  );
}

/** The page frame of every entry: header with name, navigation, language and user; then content. */
export function AppLayout() {
  const { t } = useI18n();
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
          {user && <MessageBell key={user.id} />}
          {user ? (
            <div className="ot-desktop-only ot-header-user">
              <Identity user={user} />
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
          <Button size="small" icon={<LogoutOutlined />} onClick={handleSignOut}>
            {t(shellText.signOut)}
          </Button>
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
        <Outlet />
      </Layout.Content>

      <Layout.Footer className="ot-footer">{t(shellText.footer)}</Layout.Footer>
    </Layout>
  );
}
