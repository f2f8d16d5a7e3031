import { RouterProvider } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
// Chinese weekday and month names, and weeks from Monday, in antd's calendars and date pickers
// (antd asks dayjs for the locale its own locale names; not loaded, dayjs falls back to English).
import 'dayjs/locale/zh-cn';
import { AuthProvider } from './auth';
import { I18nProvider, useI18n } from './i18n';
import { router } from './router';

/** Government blue on white; the header is the one dark band. */
const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1b5fbf',
    borderRadius: 6,
    // Latin fonts first so English punctuation is not drawn with full-width CJK glyphs.
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif",
  },
  components: {
    Layout: {
      headerBg: '#0b3a75',
      headerPadding: '0 24px',
      bodyBg: '#f4f6fa',
      footerBg: '#f4f6fa',
    },
    Menu: {
      darkItemBg: '#0b3a75',
      darkItemSelectedBg: '#1b5fbf',
      darkItemColor: 'rgba(255, 255, 255, 0.85)',
    },
  },
};

/** Ant Design in the UI language (its built-in texts, dates and pagination follow it). */
function LocalizedApp() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={theme}
      // "登录", not "登 录": the header and the form should spell a label the same way.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The whole web app: language, theme, signed-in user, routes. */
export function OneThingApp() {
  return (
    <I18nProvider>
      <LocalizedApp />
    </I18nProvider>
  );
}
