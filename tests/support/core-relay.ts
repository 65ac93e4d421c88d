// A relay for desktop-core tests: an in-process relay on port 0 with a temp SQLite store.
import { startRelay } from '../../server/relay';
import { tempDir } from './core';

export type RelayForCores = { url: string; port: number; close(): Promise<void> };

export async function startRelayForCores(): Promise<RelayForCores> {
  return startRelay({ port: 0, host: '127.0.0.1', dataDir: tempDir('qixin-relay-'), logLevel: 'silent' });
}
