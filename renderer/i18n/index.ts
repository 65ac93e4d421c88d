import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/contract';
import zhCN from './zh-CN.json';
import enUS from './en-US.json';

export const LANGUAGES: readonly Language[] = ['zh-CN', 'en-US'];

/** Initialises i18next once; Chinese is the default until `settings.get` answers. */
export async function initI18n(language: Language = 'zh-CN') {
  if (i18next.isInitialized) {
    await i18next.changeLanguage(language);
    return i18next;
  }
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export function applyLanguage(language: Language) {
  document.documentElement.lang = language;
  return i18next.changeLanguage(language);
}
