import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { createContractClient, type ContractClient, type EventName, type EventPayload } from '../../shared/contract';
import type { BrowserTransport } from './transport';

type QixinContextValue = {
  client: ContractClient;
  browser: BrowserTransport | null;
  pathForFile: ((file: File) => string) | null;
};

const QixinContext = createContext<QixinContextValue | null>(null);

export function QixinProvider(props: {
  transport: Parameters<typeof createContractClient>[0];
  browser: BrowserTransport | null;
  children: ReactNode;
}) {
  const valueRef = useRef<QixinContextValue | null>(null);
  if (!valueRef.current) {
    const { transport } = props;
    valueRef.current = {
      client: createContractClient(transport),
      browser: props.browser,
      pathForFile: transport.pathForFile ? (file) => transport.pathForFile?.(file) ?? '' : null,
    };
  }
  return <QixinContext.Provider value={valueRef.current}>{props.children}</QixinContext.Provider>;
}

function useContextValue(): QixinContextValue {
  const value = useContext(QixinContext);
  if (!value) throw new Error('useQixin outside <QixinProvider>');
  return value;
}

/** The typed contract client: `useQixin().call('messages.send', {...})`. */
export function useQixin(): ContractClient {
  return useContextValue().client;
}

/**
 * Electron: the path on disk of a dropped or picked File, so the core reads it itself; null in
 * browser mode, where files are staged through `files.stageUrl` instead.
 */
export function usePathForFile(): ((file: File) => string) | null {
  return useContextValue().pathForFile;
}

/** Subscribes to one contract event for the component's lifetime; the latest handler runs. */
export function useQixinEvent<N extends EventName>(name: N, handler: (payload: EventPayload<N>) => void): void {
  const client = useQixin();
  const handlerRef = useRef(handler);
  useEffect(() => {
    handlerRef.current = handler;
  });
  useEffect(() => client.on(name, (payload) => handlerRef.current(payload)), [client, name]);
}

/** Runs `handler` whenever the browser-mode socket to the core reopens after a drop. */
export function useBridgeReopen(handler: () => void): void {
  const { browser } = useContextValue();
  const handlerRef = useRef(handler);
  useEffect(() => {
    handlerRef.current = handler;
  });
  useEffect(() => {
    if (!browser) return;
    return browser.onSocketState((state) => {
      if (state === 'open') handlerRef.current();
    });
  }, [browser]);
}
