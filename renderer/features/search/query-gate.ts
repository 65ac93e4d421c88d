/**
 * Decides when typed text becomes a search: after a short pause, and never while an IME
 * composition is open — typing "shanghai" to get 上海 must not search for "s", "sh", "sha"…
 * The composition's end counts as the last keystroke. Clearing the field clears at once.
 */
export class QueryGate {
  private composing = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly emit: (query: string) => void,
    private readonly delayMs = 250,
  ) {}

  input(text: string): void {
    if (!text.trim()) {
      this.cancel();
      this.emit('');
    } else if (!this.composing) {
      this.schedule(text);
    }
  }

  compositionStart(): void {
    this.composing = true;
    this.cancel();
  }

  compositionEnd(text: string): void {
    this.composing = false;
    this.input(text);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(text: string): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.emit(text.trim());
    }, this.delayMs);
  }
}
