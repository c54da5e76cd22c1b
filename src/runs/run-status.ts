/**
 * The live status line of a batch of training runs (a sweep cell), and the short errors such a batch ends with.
 * Notebook cells show it in place (`statusLine()`); it is redrawn about once a second from the start, so a long cell
 * is never silent, and the ETA uses the runs' own progress (episodes), not only finished runs.
 */
import { formatDuration } from '../util/progress';

/**
 * An error that is its message: printed (by tslab, by the CLI) as one line, without the frames of the worker or of
 * node:internal that say nothing about what went wrong.
 */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
// On the prototype, not the instance: an own `name` would be printed as a property after the message.
RunError.prototype.name = 'RunError';

/** The runs were interrupted; the finished ones are kept (in the run cache, when there is one). */
export class RunInterrupted extends RunError {}
RunInterrupted.prototype.name = 'RunInterrupted';

const REDRAW_MS = 1000;

export class RunStatus {
  private readonly running = new Map<number, number>();
  private done = 0;
  private cached = 0;
  private startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly onStatus?: (line: string, final: boolean) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.startedAt = this.now();
    if (this.onStatus === undefined) return;
    this.draw();
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    this.timer.unref();
  }

  started(job: number): void {
    this.running.set(job, 0);
  }

  progress(job: number, fraction: number): void {
    if (this.running.has(job)) this.running.set(job, fraction);
  }

  finished(job: number, fromCache: boolean): void {
    this.running.delete(job);
    this.done++;
    if (fromCache) this.cached++;
  }

  /** The current line: "α sweep: 3 of 15 runs done (2 from the cache), 2 running · 27 % · 12 s elapsed · ETA 32 s". */
  line(): string {
    const toRun = this.total - this.cached;
    const ran = this.done - this.cached;
    let inFlight = 0;
    for (const f of this.running.values()) inFlight += f;
    const fraction = toRun > 0 ? (ran + inFlight) / toRun : 1;
    const elapsed = (this.now() - this.startedAt) / 1000;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    const cached = this.cached > 0 ? ` (${this.cached} from the cache)` : '';
    return (
      `${this.label}: ${this.done} of ${this.total} runs done${cached}, ${this.running.size} running · ` +
      `${Math.floor(100 * fraction)} % · ${formatDuration(elapsed)} elapsed · ETA ${fraction > 0 ? formatDuration(eta) : '…'}`
    );
  }

  private draw(): void {
    if (!this.ended) this.onStatus?.(this.line(), false);
  }

  private end(line: string): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.ended) this.onStatus?.(line, true);
    this.ended = true;
  }

  /** Ends the line with the interruption and returns the error to throw. */
  interrupted(cacheDir: string | null): RunInterrupted {
    const kept = cacheDir === null ? 'not kept (no run cache: RL_FOCAL_RUN_CACHE is unset)' : `kept in ${cacheDir}`;
    const message = `interrupted: ${this.done} of ${this.total} runs finished, ${kept}`;
    this.end(message);
    return new RunInterrupted(message);
  }

  /** Ends the line (a no-op after `interrupted`). */
  stop(): void {
    const cached = this.cached > 0 ? ` (${this.cached} from the cache)` : '';
    const elapsed = formatDuration((this.now() - this.startedAt) / 1000);
    this.end(
      this.done === this.total
        ? `${this.label}: ${this.total} runs done${cached} in ${elapsed}`
        : `${this.label}: stopped after ${this.done} of ${this.total} runs${cached}, ${elapsed}`,
    );
  }
}
