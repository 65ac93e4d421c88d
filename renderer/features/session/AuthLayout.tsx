import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../settings/LanguageSwitch';

/** The centred card every signed-out screen uses. */
export function AuthLayout(props: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <div className="auth-logo" aria-hidden>
            {t('app.logoChar')}
          </div>
          <div>
            <div className="auth-product">{t('app.name')}</div>
            <div className="auth-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <h1 className="auth-title">{props.title}</h1>
        {props.subtitle ? <p className="auth-subtitle">{props.subtitle}</p> : null}
        {props.children}
      </div>
      <div className="auth-footer">
        <LanguageSwitch compact />
      </div>
    </div>
  );
}
