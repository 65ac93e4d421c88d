// Without a relay of its own to connect to, the desktop starts one: the bundled relay
// (out/relay.js) in an Electron utility process, on loopback, storing in userData/relay.
import { utilityProcess, type UtilityProcess } from 'electron';
import { createLogger } from '../core/log';

const log = createLogger('electron.relay');
const START_TIMEOUT_MS = 30_000;

export interface EmbeddedRelay {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedRelayOptions {
  scriptPath: string;
  dataDir: string;
  port: number;
  /** An Electron-ABI better-sqlite3 binary (development); the relay bundle picks it up from the env. */
  nativeBinding?: string;
}

type ListeningMessage = { type: 'listening'; port: number };

function isListening(message: unknown): message is ListeningMessage {
  const m = message as Partial<ListeningMessage> | null;
  return typeof m === 'object' && m !== null && m.type === 'listening' && typeof m.port === 'number';
}

export function startEmbeddedRelay(options: EmbeddedRelayOptions): Promise<EmbeddedRelay> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  // A desktop's own relay never joins a cluster, whatever the user's shell has set.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (options.nativeBinding) env.QIXIN_SQLITE_BINDING = options.nativeBinding;

  const child: UtilityProcess = utilityProcess.fork(options.scriptPath, [], {
    env,
    serviceName: 'Qixin relay',
    stdio: 'inherit',
  });

  return new Promise<EmbeddedRelay>((resolve, reject) => {
    let exited = false;
    const exitedOnce = new Promise<void>((done) =>
      child.once('exit', (code) => {
        exited = true;
        log.info({ code }, 'embedded relay exited');
        done();
      }),
    );
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`embedded relay did not report listening within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded relay exited before listening (code ${code})`));
    });
    child.on('message', (message: unknown) => {
      if (!isListening(message)) return;
      clearTimeout(timer);
      const url = `http://127.0.0.1:${message.port}`;
      log.info({ url, pid: child.pid }, 'embedded relay listening');
      resolve({
        url,
        async stop() {
          if (exited) return;
          child.kill();
          await exitedOnce;
        },
      });
    });
  });
}
