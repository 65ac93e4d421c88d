import { useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import type { Language, SessionInfo } from '../shared/contract';
import { useBridgeReopen, useQixin, useQixinEvent } from './bridge/context';
import { applyLanguage } from './i18n';
import { SessionContext, type SessionContextValue } from './features/session/context';
import { SetupScreen } from './features/session/SetupScreen';
import { SignInScreen } from './features/session/SignInScreen';
import { RelayUnreachableScreen } from './features/session/RelayUnreachableScreen';
import { Shell } from './features/shell/Shell';

const theme = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif',
  },
};

export function Root(props: { initialLanguage: Language }) {
  const qixin = useQixin();
  const [language, setLanguageState] = useState<Language>(props.initialLanguage);
  const [session, setSession] = useState<SessionInfo | null>(null);

  const refreshSession = useCallback(async () => {
    setSession(await qixin.call('session.status', {}));
  }, [qixin]);

  useEffect(() => {
    void refreshSession().catch(() => undefined);
  }, [refreshSession]);
  useQixinEvent('session', setSession);
  useBridgeReopen(() => void refreshSession().catch(() => undefined));

  const setLanguage = useCallback(
    async (next: Language) => {
      const saved = await qixin.call('settings.set', { language: next });
      await applyLanguage(saved.language);
      setLanguageState(saved.language);
    },
    [qixin],
  );

  const value = useMemo<SessionContextValue | null>(
    () => (session ? { session, setSession, refreshSession, language, setLanguage } : null),
    [session, refreshSession, language, setLanguage],
  );

  let screen;
  if (!value) {
    screen = (
      <div className="boot">
        <Spin size="large" />
      </div>
    );
  } else if (value.session.state === 'needs-setup') {
    screen = <SetupScreen />;
  } else if (value.session.state === 'signed-out') {
    screen = <SignInScreen />;
  } else if (value.session.state === 'relay-unreachable') {
    screen = <RelayUnreachableScreen />;
  } else {
    // Keyed by user so nothing of a previous account survives a sign-in as someone else.
    screen = <Shell key={value.session.user?.id ?? 'none'} />;
  }

  return (
    <ConfigProvider locale={language === 'en-US' ? enUS : zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp className="app-root">
        {value ? <SessionContext.Provider value={value}>{screen}</SessionContext.Provider> : screen}
      </AntApp>
    </ConfigProvider>
  );
}
