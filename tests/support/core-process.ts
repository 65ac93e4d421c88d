// A desktop core in its own process, so a test can SIGKILL it mid-flush and start it again.
// Usage: node --import tsx tests/support/core-process.ts <dataDir> <relayUrl> [conversationId count prefix]
// Prints JSON lines: {"queued":n} once the messages are in the outbox, {"idle":true} whenever nothing is pending.
import { dispatchCall } from '../../shared/contract';
import { startDesktopCore } from '../../main/core/desktop-core';

const [dataDir, relayUrl, conversationId, countText, prefix] = process.argv.slice(2);
if (!dataDir || !relayUrl) throw new Error('usage: core-process.ts <dataDir> <relayUrl> [conversationId count prefix]');

const core = await startDesktopCore({
  dataDir,
  relayUrl,
  deviceName: 'child process',
  mode: 'browser',
  reconnect: { baseMs: 50, capMs: 400 },
  heartbeatMs: 2_000,
});
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

if (conversationId && countText) {
  for (let i = 1; i <= Number(countText); i++) {
    const r = await dispatchCall(core.service, 'messages.send', { conversationId, text: `${prefix} ${i}` });
    if (!r.ok) throw new Error(r.error.message);
  }
  say({ queued: Number(countText) });
}

const pending = async (id: string) => {
  const r = await dispatchCall(core.service, 'messages.page', { conversationId: id, limit: 1 });
  return r.ok
    ? (r.value as { messages: { status: string }[] }).messages.filter((m) => m.status === 'sending').length
    : -1;
};
if (conversationId) {
  setInterval(() => {
    void pending(conversationId).then((n) => n === 0 && say({ idle: true }));
  }, 50);
}
process.on('SIGTERM', () => void core.close().then(() => process.exit(0)));
