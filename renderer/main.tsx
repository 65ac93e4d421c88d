import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createContractClient, type Language } from '../shared/contract';
import { QixinProvider } from './bridge/context';
import { pickTransport } from './bridge/transport';
import { applyLanguage, initI18n } from './i18n';
import { Root } from './App';
import './styles.css';

async function boot() {
  const { transport, browser } = pickTransport();
  let language: Language = 'zh-CN';
  try {
    language = (await createContractClient(transport).call('settings.get', {})).language;
  } catch {
    // The core answers once it is up; until then Chinese is the default.
  }
  await initI18n(language);
  await applyLanguage(language);
  const container = document.getElementById('root');
  if (!container) return;
  createRoot(container).render(
    <StrictMode>
      <QixinProvider transport={transport} browser={browser}>
        <Root initialLanguage={language} />
      </QixinProvider>
    </StrictMode>,
  );
}

void boot();
