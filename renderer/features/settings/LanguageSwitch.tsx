import { useContext } from 'react';
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import type { Language } from '../../../shared/contract';
import { LANGUAGES } from '../../i18n';
import { SessionContext } from '../session/context';

/** 简体中文 / English. Language names are shown in their own language, as everywhere. */
export function LanguageSwitch(props: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const session = useContext(SessionContext);
  const current = (session?.language ?? i18n.language) as Language;
  return (
    <Segmented<Language>
      size={props.compact ? 'small' : 'middle'}
      aria-label={t('settings.language')}
      value={current}
      options={LANGUAGES.map((lang) => ({ value: lang, label: t(`languageNames.${lang}`) }))}
      onChange={(lang) => {
        if (session) void session.setLanguage(lang);
        else void i18next.changeLanguage(lang);
      }}
    />
  );
}
