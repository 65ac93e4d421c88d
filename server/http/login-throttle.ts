/** Counts sign-in attempts per login in a sliding minute, so passwords cannot be guessed quickly. */
export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records an attempt; false when this login already used its attempts of the last minute. */
  allow(login: string): boolean {
    const now = this.clock();
    const key = login.toLowerCase();
    const recent = (this.attempts.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.perMinute) {
      this.attempts.set(key, recent);
      return false;
    }
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.prune(now);
    return true;
  }

  private prune(now: number) {
    for (const [key, times] of this.attempts) if (times.every((t) => now - t >= 60_000)) this.attempts.delete(key);
  }
}
