// Entry point: `tsx server/main.ts`. Settings come from the environment (config.ts).
import { configFromEnv } from './config';
import { createAnnouncer, createLogger } from './log';
import { startRelay } from './relay';

const log = createLogger('relay.main');

interface ParentPort {
  postMessage(message: unknown): void;
}

async function main() {
  const options = configFromEnv();
  const relay = await startRelay(options);
  // Other tools (tests, the desktop shell, the benchmark) read this exact message to learn the port.
  createAnnouncer('relay.main').info(
    { port: relay.port, url: relay.url, store: options.databaseUrl ? 'postgres' : 'sqlite' },
    'relay listening',
  );
  const listening = { type: 'listening', port: relay.port };
  if (process.send) process.send(listening);
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) parentPort.postMessage(listening);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'relay stopping');
    relay.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'relay did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  log.fatal({ err }, 'relay failed to start');
  process.exitCode = 1;
});
