import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

/** The languages OneThing speaks; zh-CN comes first. */
export type Lang = 'zh' | 'en';

/** A user-facing text: zh-CN first, with its English translation (the same shape the server uses). */
export interface Text {
  zh: string;
  en: string;
}

/** Values to fill `{name}` placeholders in a text. */
export type TextValues = Record<string, string | number>;

/** What `useI18n()` gives a component. */
export interface I18n {
  lang: Lang;
  /** The BCP 47 tag for `lang`, as sent in `Accept-Language` and set on `<html lang>`. */
  locale: 'zh-CN' | 'en';
  setLang(lang: Lang): void;
  /** Picks the current language's side of a text and fills its `{name}` placeholders. */
  t(text: Text, values?: TextValues): string;
}

const storageKey = 'onething.lang';

/** The BCP 47 tag for a language. */
export function localeOf(lang: Lang): 'zh-CN' | 'en' {
  return lang === 'en' ? 'en' : 'zh-CN';
}

/** Fills `{name}` placeholders; unknown names stay visible so a missing value is noticed. */
export function translate(lang: Lang, text: Text, values?: TextValues): string {
  const template = text[lang];
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

function readStoredLang(): Lang {
  try {
    return window.localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh';
  } catch {
    // Storage can be blocked (private mode, policies); Chinese is the default anyway.
    return 'zh';
  }
}

function storeLang(lang: Lang): void {
  try {
    window.localStorage.setItem(storageKey, lang);
  } catch {
    // Not persisting the choice is acceptable; the switch still works for this page view.
  }
}

const I18nContext = createContext<I18n | null>(null);

/** Holds the UI language: zh-CN by default, English when chosen, remembered in localStorage. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);

  const setLang = useCallback((next: Lang) => {
    storeLang(next);
    setLangState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = localeOf(lang);
  }, [lang]);

  const value = useMemo<I18n>(
    () => ({
      lang,
      locale: localeOf(lang),
      setLang,
      t: (text, values) => translate(lang, text, values),
    }),
    [lang, setLang],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and the `t()` that renders texts in it. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n() must be used inside <I18nProvider>');
  return i18n;
}

/** Sets the browser tab's title to `page · 一件事` in the current language. */
export function useDocumentTitle(page: Text | null): void {
  const { t } = useI18n();
  const appName: Text = { zh: '一件事', en: 'OneThing' };
  const title = page ? `${t(page)} · ${t(appName)}` : `${t(appName)}`;
  useEffect(() => {
    document.title = title;
  }, [title]);
}
