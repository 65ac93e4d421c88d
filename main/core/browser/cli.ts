// `npm run web`: browser mode in one command. Starts a relay child process (unless
// QIXIN_RELAY_URL points at one), a desktop core, and the loopback bridge serving the renderer.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { hostname } from 'node:os';
import { startDesktopCore, type DesktopCore } from '../desktop-core';
import { createLogger } from '../log';
import { startBridgeServer, type BridgeServer } from './bridge-server';

const log = createLogger('core.cli');

/**
 * Starts `node --import tsx server/main.ts` and resolves with its URL once it is listening: the relay
 * says so over the IPC channel (its "relay listening" log line is below the WARN level we run it at).
 */
function spawnRelay(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.QIXIN_RELAY_DATA_DIR ?? path.resolve('.data/relay'),
      LOG_LEVEL: process.env.QIXIN_RELAY_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('the relay did not start within 30 s')), 30_000);
    const listening = (port: number) => {
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${port}` });
    };
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message?.type === 'listening' && message.port) listening(message.port);
    });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'relay listening' && entry.port) listening(entry.port);
      } catch {
        // not a log line of ours
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the relay exited with code ${code}`));
    });
  });
}

async function main(): Promise<void> {
  let relay: ChildProcess | null = null;
  let relayUrl = process.env.QIXIN_RELAY_URL;
  if (!relayUrl) {
    const started = await spawnRelay(Number(process.env.QIXIN_RELAY_PORT ?? 8090));
    relay = started.child;
    relayUrl = started.url;
  }
  const core: DesktopCore = await startDesktopCore({
    dataDir: path.resolve(process.env.QIXIN_DATA_DIR ?? '.data/desktop'),
    relayUrl,
    deviceName: `${hostname()} (browser)`,
    mode: 'browser',
  });
  const bridge: BridgeServer = await startBridgeServer({
    core,
    host: '127.0.0.1',
    port: Number(process.env.QIXIN_WEB_PORT ?? 5170),
    staticDir: path.resolve('dist/renderer'),
  });

  process.stdout.write(
    [
      '',
      '  企信 Qixin — 浏览器模式 / browser mode',
      `  中继 relay:  ${relayUrl}`,
      '  请在 Chromium 中打开 / open in Chromium:',
      '',
      `    ${bridge.url}`,
      '',
      '  按 Ctrl+C 停止 / press Ctrl+C to stop',
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await bridge.close().catch(() => undefined);
    await core.close().catch(() => undefined);
    if (relay && relay.exitCode === null) {
      const exited = new Promise((resolve) => relay!.once('exit', resolve));
      relay.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  relay?.once('exit', (code) => {
    if (!stopping) {
      log.error({ code }, 'the relay stopped unexpectedly');
      void stop('relay exit');
    }
  });
}

main().catch((err: Error) => {
  log.fatal({ err: err.message }, 'browser mode failed to start');
  process.exit(1);
});
