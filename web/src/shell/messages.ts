import type { Text } from './i18n';

/**
 * The shell's dictionary. Every text carries both languages side by side, so a missing
 * translation is a type error rather than a blank on screen; features keep their own.
 */
export const shellText = {
  appName: { zh: '一件事', en: 'OneThing' },
  tagline: { zh: '政务服务一体化平台', en: 'Integrated government services' },
  navLabel: { zh: '主导航', en: 'Main navigation' },
  menu: { zh: '菜单', en: 'Menu' },
  signIn: { zh: '登录', en: 'Sign in' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  changePassword: { zh: '修改密码', en: 'Change password' },
  signedOut: { zh: '已退出登录。', en: 'You have signed out.' },
  signedInAs: { zh: '当前用户', en: 'Signed in as' },
  notSignedIn: { zh: '未登录', en: 'Not signed in' },
  switchToOther: { zh: 'English', en: '中文' },
  switchToOtherShort: { zh: 'EN', en: '中' },
  switchToOtherLabel: { zh: 'Switch to English', en: '切换到中文' },
  comingSoon: { zh: '未开放', en: 'Not yet open' },
  footer: {
    zh: '一件事 · 政务服务一体化平台（演示环境，数据均为合成数据）',
    en: 'OneThing · integrated government-service platform (demo environment, all data synthetic)',
  },
  /** The footer of a deployment that does not run the demo (ONETHING_DEMO=off). */
  footerLive: {
    zh: '一件事 · 政务服务一体化平台',
    en: 'OneThing · integrated government-service platform',
  },
  checkingSession: { zh: '正在确认登录状态…', en: 'Checking who is signed in…' },
  sessionUnknownTitle: { zh: '无法确认登录状态', en: 'Cannot tell who is signed in' },
  retry: { zh: '重试', en: 'Try again' },
  forbiddenTitle: { zh: '无权进入{entry}', en: 'The {entry} is not open to you' },
  forbiddenBody: {
    zh: '{entry}仅供以下岗位使用：{roles}。您当前以「{role}」身份登录。',
    en: 'The {entry} is for these roles only: {roles}. You are signed in as {role}.',
  },
  goToMyEntry: { zh: '前往{entry}', en: 'Go to the {entry}' },
  switchAccount: { zh: '切换账号', en: 'Switch account' },
  listSeparator: { zh: '、', en: ', ' },
  notFoundTitle: { zh: '页面不存在', en: 'Page not found' },
  notFoundBody: {
    zh: '您访问的地址不存在，可能已被移动或输入有误。',
    en: 'There is nothing at this address; it may have moved or been mistyped.',
  },
  backToHall: { zh: '返回办事大厅', en: 'Back to the service hall' },
} satisfies Record<string, Text>;
