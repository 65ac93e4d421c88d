// A desktop core in a process of its own, driven over stdin/stdout, so a test can SIGKILL it in
// the middle of a transfer and start it again on the same data dir (see core-child.ts).
// Usage: node --import tsx tests/support/core-child-main.ts <dataDir> <relayUrl>
// stdin: one JSON line per call {id, call, args}; stdout: {id, result} answers (envelopes) and
// {event, payload} for every event, plus {rss} every 250 ms.
import { createInterface } from 'node:readline';
import { dispatchCall } from '../../shared/contract';
import { startDesktopCore } from '../../main/core/desktop-core';

const [dataDir, relayUrl] = process.argv.slice(2);
if (!dataDir || !relayUrl) throw new Error('usage: core-child-main.ts <dataDir> <relayUrl>');

const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const core = await startDesktopCore({
  dataDir,
  relayUrl,
  deviceName: 'child process',
  mode: 'browser',
  reconnect: { baseMs: 50, capMs: 400 },
  heartbeatMs: 2_000,
});
core.onEvent((event, payload) => say({ event, payload }));
say({ event: 'connection', payload: core.connection() });

createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, call, args } = JSON.parse(line) as { id: number; call: string; args: unknown };
  void dispatchCall(core.service, call, args).then((result) => say({ id, result }));
});
setInterval(() => say({ rss: process.memoryUsage().rss }), 250).unref();
process.on('SIGTERM', () => void core.close().then(() => process.exit(0)));
say({ ready: true });
