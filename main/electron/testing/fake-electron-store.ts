// An in-memory electron-store (the real one loads Electron at import time).
export default class FakeStore<T extends Record<string, unknown>> {
  static saved = new Map<string, unknown>();
  private readonly listeners = new Map<string, Set<(value: unknown) => void>>();
  constructor(options: { defaults: T }) {
    for (const [key, value] of Object.entries(options.defaults)) {
      if (!FakeStore.saved.has(key)) FakeStore.saved.set(key, value);
    }
  }
  get(key: string) {
    return FakeStore.saved.get(key);
  }
  set(key: string, value: unknown) {
    FakeStore.saved.set(key, value);
    for (const listener of this.listeners.get(key) ?? []) listener(value);
  }
  onDidChange(key: string, listener: (value: unknown) => void) {
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    return () => set.delete(listener);
  }
}
