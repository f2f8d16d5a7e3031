import { useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { Alert, Button, Card, Drawer, Layout, Menu, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { LockOutlined, MenuOutlined } from '@ant-design/icons';
import { organisationOf } from '../features/platform/api';
import { roleDuties, roleLabels } from '../features/platform/roles';
import { useAuth } from './auth';
import type { Text } from './i18n';
import { useDocumentTitle, useI18n } from './i18n';
import { shellText } from './messages';
import { NotFoundPage } from './not-found-page';
import { workbenchMenu } from './workbench-menu';

const text = {
  title: { zh: '工作台', en: 'Workbench' },
  menuLabel: { zh: '功能菜单', en: 'Function menu' },
  menuNote: {
    zh: '灰色的功能尚未开放，或不属于您的岗位',
    en: 'Greyed-out functions are not open yet or not for your role',
  },
  home: { zh: '工作台首页', en: 'Workbench home' },
  intro: {
    zh: '工作台是工作人员办理业务的地方：综合窗口受理、部门审批、12345 工单、执法检查、效能督办和系统管理都在这里完成，每位工作人员看到的是本岗位、本部门的工作。',
    en: 'The workbench is where staff do their work: counter intake, department review, 12345 tickets, inspections, supervision and administration. Each person sees the work of their own role and department.',
  },
  notice: {
    zh: '工作台正在建设中。已开放的功能可从菜单进入，其余功能均未开放；此处不展示任何示例数据。',
    en: 'The workbench is being built. Open functions can be reached from the menu; the rest are not open yet, and no sample data is shown here.',
  },
  yourRole: { zh: '您的岗位', en: 'Your role' },
  yourFunctions: { zh: '与您岗位相关的功能', en: 'Functions for your role' },
  open: { zh: '进入', en: 'Open' },
  none: { zh: '暂无', en: 'None' },
} satisfies Record<string, Text>;

/** The staff workbench at `/workbench/*`: the function menu beside the page of the function. */
export function WorkbenchPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  if (!user) return null;

  const items: MenuProps['items'] = workbenchMenu.map((group) => ({
    type: 'group',
    key: group.capability,
    label: t(group.label),
    children: group.items.map((item) => {
      const open = !!item.path && item.roles.includes(user.role);
      return {
        key: `${group.capability}.${item.key}`,
        disabled: !open,
        label:
          open && item.path ? (
            <Link to={item.path} onClick={() => setMenuOpen(false)}>
              {t(item.label)}
            </Link>
          ) : (
            t(item.label)
          ),
      };
    }),
  }));
  // The entry whose path is the longest prefix of the page: /workbench/intake/new is 帮办代办,
  // not also 窗口受理.
  const matches = workbenchMenu.flatMap((group) =>
    group.items
      .filter(
        (item) =>
          item.path &&
          (location.pathname === item.path || location.pathname.startsWith(`${item.path}/`)),
      )
      .map((item) => ({ key: `${group.capability}.${item.key}`, length: item.path!.length })),
  );
  const longest = Math.max(0, ...matches.map((m) => m.length));
  const selected = matches.filter((m) => m.length === longest).map((m) => m.key);

  const menu = (
    <nav aria-label={t(text.menuLabel)}>
      <div className="ot-workbench-menu-note">
        <LockOutlined aria-hidden="true" /> {t(text.menuNote)}
      </div>
      <Menu
        mode="inline"
        items={[
          {
            key: 'home',
            label: (
              <Link to="/workbench" onClick={() => setMenuOpen(false)}>
                {t(text.home)}
              </Link>
            ),
          },
          ...items,
        ]}
        selectedKeys={location.pathname === '/workbench' ? ['home'] : selected}
        className="ot-workbench-menu"
      />
    </nav>
  );

  // Wide screens keep the menu beside the content; narrower ones (tablet, phone) open it in a drawer.
  return (
    <Layout className="ot-workbench" hasSider>
      <Layout.Sider theme="light" width={248} className="ot-workbench-sider">
        {menu}
      </Layout.Sider>
      <Drawer
        title={t(text.menuLabel)}
        placement="left"
        size={280}
        open={menuOpen}
        onClose={() => setMenuOpen(false)}
        styles={{ body: { padding: 0 } }}
      >
        {menu}
      </Drawer>
      <Layout.Content className="ot-workbench-content">
        <Button
          icon={<MenuOutlined />}
          className="ot-workbench-menu-button"
          onClick={() => setMenuOpen(true)}
          style={{ marginBottom: 12 }}
        >
          {t(text.menuLabel)}
        </Button>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}

/** The workbench home at `/workbench`: the user's role and the functions of that role. */
export function WorkbenchHome() {
  const { t } = useI18n();
  const { user } = useAuth();
  useDocumentTitle(text.title);
  if (!user) return null;

  const mine = workbenchMenu.flatMap((group) =>
    group.items
      .filter((item) => item.roles.includes(user.role))
      .map((item) => ({ ...item, key: `${group.capability}.${item.key}`, group: group.label })),
  );

  return (
    <>
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <Alert type="info" showIcon title={t(text.notice)} className="ot-block" />

      <Card title={t(text.yourRole)} className="ot-block">
        <div className="ot-role-line">
          <Tag color="blue" variant="filled">
            {t(roleLabels[user.role])}
          </Tag>
          <span className="ot-muted">{t(organisationOf(user))}</span>
        </div>
        <Typography.Paragraph className="ot-role-duty">
          {t(roleDuties[user.role])}
        </Typography.Paragraph>
      </Card>

      <Card title={t(text.yourFunctions)} className="ot-block">
        {mine.length === 0 ? (
          <span className="ot-muted">{t(text.none)}</span>
        ) : (
          <ul className="ot-function-list">
            {mine.map((item) => (
              <li key={item.key}>
                <span className="ot-muted">{t(item.group)}</span>
                {item.path ? (
                  <>
                    <Link to={item.path} className="ot-function-name">
                      {t(item.label)}
                    </Link>
                    <Link to={item.path}>{t(text.open)} →</Link>
                  </>
                ) : (
                  <>
                    <span className="ot-function-name">{t(item.label)}</span>
                    <Tag className="ot-soon-tag">{t(shellText.comingSoon)}</Tag>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

/** An unknown path under `/workbench`, shown beside the menu. */
export function WorkbenchNotFound() {
  return <NotFoundPage />;
}
