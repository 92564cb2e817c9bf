/**
 * Timers for SLAs of any length: Node's `setTimeout` overflows past 2^31-1 ms (24.8 days) and then fires
 * at once, so a long wait is armed in chunks.
 */

/** Node's timer ceiling: a longer delay overflows. */
export const maxTimerMs = 2 ** 31 - 1;
const maxTimerChunkMs = 20 * 24 * 60 * 60 * 1000;

export class ChunkedTimers {
  private readonly armed = new Set<() => void>();

  /** `timeScale` multiplies scaled timers: 0.001 turns a 1000-second SLA into one second. */
  constructor(private readonly timeScale: number) {}

  /** When a timer of `seconds` armed now fires (epoch milliseconds). */
  dueAt(seconds: number, scaled: boolean): number {
    return Date.now() + seconds * 1000 * (scaled ? this.timeScale : 1);
  }

  /**
   * Calls `fire` after `seconds` (SLAs times the time scale), in chunks of at most 20 days so long SLAs do
   * not overflow Node's timer; unref'd, so a waiting execution never keeps the process alive.
   */
  after(seconds: number, scaled: boolean, fire: () => void): () => void {
    const due = this.dueAt(seconds, scaled);
    let handle: NodeJS.Timeout | undefined;
    const cancel = () => {
      clearTimeout(handle);
      this.armed.delete(cancel);
    };
    const arm = () => {
      const left = due - Date.now();
      if (left <= 0) {
        cancel();
        fire();
        return;
      }
      handle = setTimeout(arm, Math.min(left, maxTimerChunkMs));
      handle.unref();
    };
    this.armed.add(cancel);
    handle = setTimeout(arm, Math.max(0, Math.min(due - Date.now(), maxTimerChunkMs)));
    handle.unref();
    return cancel;
  }

  /** Clears every timer still armed. */
  cancelAll(): void {
    for (const cancel of [...this.armed]) cancel();
  }
}
