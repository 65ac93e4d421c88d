// This desktop's transfers, live: loaded once with `files.transfers`, then kept current by the
// `files.transfer` event. One store per contract client, so every card and the 传输列表 share one
// subscription instead of each loading the list.
import { useSyncExternalStore } from 'react';
import type { ContractClient, Transfer } from '../../../shared/contract';
import { coalesce } from '../../bridge/coalesce';
import { useBridgeReopen, useQixin } from '../../bridge/context';
import { newer } from './match';

export class TransferStore {
  private readonly byId = new Map<string, Transfer>();
  private readonly listeners = new Set<() => void>();
  private snapshot: readonly Transfer[] = [];
  private readonly reloadJob;

  constructor(private readonly client: ContractClient) {
    client.on('files.transfer', ({ transfer }) => this.put([transfer]));
    this.reloadJob = coalesce(async () => this.put((await this.client.call('files.transfers', {})).transfers));
    this.reloadJob.schedule();
  }

  /** Reads the list again (after the bridge socket came back: events may have been missed). */
  reload(): void {
    this.reloadJob.schedule();
  }

  /** A transfer the renderer just learned of from a call's answer (files.send, files.download). */
  put(transfers: readonly Transfer[]): void {
    let changed = false;
    for (const t of transfers) {
      if (!newer(this.byId.get(t.id), t)) continue;
      this.byId.set(t.id, t);
      changed = true;
    }
    if (!changed) return;
    this.snapshot = [...this.byId.values()].sort((a, b) => b.createdAt - a.createdAt);
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Every known transfer, newest first; a new array only when something changed. */
  getSnapshot = (): readonly Transfer[] => this.snapshot;
}

const stores = new WeakMap<ContractClient, TransferStore>();

/** The shared store; reloads it when the browser-mode bridge socket reopens. */
export function useTransferStore(): TransferStore {
  const client = useQixin();
  let store = stores.get(client);
  if (!store) {
    store = new TransferStore(client);
    stores.set(client, store);
  }
  const current = store;
  useBridgeReopen(() => current.reload());
  return current;
}

/**
 * One value derived from the transfers (a card's transfer, a count); the component renders again
 * only when it changes. `select` must return a stored object or a primitive, never a new object.
 */
export function useTransferSelect<T>(select: (transfers: readonly Transfer[]) => T): T {
  const store = useTransferStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}

/** Every transfer, newest first. */
export function useTransfers(): readonly Transfer[] {
  return useTransferSelect((all) => all);
}
