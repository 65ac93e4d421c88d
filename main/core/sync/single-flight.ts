/** Runs one job at a time per key; a request arriving meanwhile makes it run once more. */
export class SingleFlight {
  private running = new Map<string, { again: boolean; done: Promise<void> }>();

  run(key: string, job: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await job();
        } while (entry.again);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, entry);
    return entry.done;
  }
}
