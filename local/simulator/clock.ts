/**
 * The simulator's clock. Bulk job progress, lead ages and every timestamp the simulator writes come
 * from it, so a test can move time forward instead of sleeping.
 */

export interface ClockReading {
  readonly now: string;
  readonly nowMs: number;
  readonly frozen: boolean;
  /** Simulator time minus wall time, in milliseconds (meaningful while running). */
  readonly offsetMs: number;
}

/**
 * Wall time plus an offset, or a fixed instant when frozen. Advancing never goes backwards on its
 * own; setting `nowIso` may, which is how a test rewinds after a reset.
 */
export class SimulatorClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(
    private readonly startMs: number | undefined,
    private readonly startFrozen: boolean,
  ) {
    this.reset();
  }

  /** Back to the start instant and mode given at construction. */
  reset(): void {
    const wall = Date.now();
    this.offsetMs = this.startMs === undefined ? 0 : this.startMs - wall;
    this.frozenAt = this.startFrozen ? wall + this.offsetMs : undefined;
  }

  /** Simulator time in epoch milliseconds. */
  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /** Moves time forward (or back, for a negative value). */
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Jumps to an instant. */
  set(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt = ms;
    else this.offsetMs = ms - Date.now();
  }

  /** Freezes at the current instant, or lets time run again from it. */
  setFrozen(frozen: boolean): void {
    const now = this.now();
    this.frozenAt = frozen ? now : undefined;
    this.offsetMs = now - Date.now();
  }

  /** The clock's state as the admin API shows it. */
  read(): ClockReading {
    const nowMs = this.now();
    return { now: new Date(nowMs).toISOString(), nowMs, frozen: this.frozenAt !== undefined, offsetMs: nowMs - Date.now() };
  }
}
