/**
 * Progress reporting for long runs (training episodes, sweep cells, file imports).
 *
 * On a terminal it redraws one line in place: a bar, the count, the rate and the ETA. Anywhere else (CI logs,
 * files, pipes) it prints plain lines at most every `intervalMs`, because carriage returns turn a log into one
 * unreadable line. The final state is always printed, so a log ends with the totals.
 */

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** What is being counted, shown first ("train seed 0", "sweep"). */
  label: string;
  /** Expected number of steps; without it there is no bar and no ETA. */
  total?: number;
  /** Unit of a step ("episodes", "cells"), used in the rate. */
  unit?: string;
  /** Where to write; stderr by default so that stdout stays machine-readable. */
  stream?: ProgressStream;
  /** Force terminal (redraw) or plain (line) mode; detected from the stream by default. */
  tty?: boolean;
  /** Minimum time between two plain lines (default 5 s) or two redraws on a terminal (fixed 100 ms). */
  intervalMs?: number;
  /** Nothing is written when false (e.g. `--quiet`). */
  enabled?: boolean;
  /** Clock in milliseconds; injectable so tests do not depend on real time. */
  now?: () => number;
}

const REDRAW_MS = 100;
/** Share of the total done before an ETA is shown (`etaSeconds`). */
const ETA_AFTER = 0.01;
const BAR_WIDTH = 24;

export class Progress {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly enabled: boolean;
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastWriteAt = -Infinity;
  /** State of the last plain line, so that finish() does not print the same final state twice. */
  private printed: { done: number; note: string } | undefined;
  private doneSteps = 0;
  private note = '';
  private finished = false;

  readonly label: string;
  total: number | undefined;
  readonly unit: string;

  constructor(options: ProgressOptions) {
    this.label = options.label;
    this.total = options.total;
    this.unit = options.unit ?? 'steps';
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? Boolean(this.stream.isTTY);
    this.intervalMs = options.intervalMs ?? 5000;
    this.enabled = options.enabled ?? true;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  get done(): number {
    return this.doneSteps;
  }

  /** Steps per second since the start (NaN before any time has passed). */
  get rate(): number {
    const seconds = (this.now() - this.startedAt) / 1000;
    return seconds > 0 ? this.doneSteps / seconds : NaN;
  }

  /**
   * Seconds left at the current rate; NaN when unknown, and before 1 % of the total is done: a run whose first step
   * waits on set-up work (RL-Focal's guard searches its teams before the first episode; 26 s on a 26-model pool)
   * would otherwise open with an ETA of hours.
   */
  get etaSeconds(): number {
    if (this.total === undefined || this.doneSteps < ETA_AFTER * this.total) return NaN;
    const rate = this.rate;
    return rate > 0 ? Math.max(0, this.total - this.doneSteps) / rate : NaN;
  }

  /** Advance by `steps`; `note` replaces the free text shown after the numbers (e.g. the last accuracy). */
  tick(steps = 1, note?: string): void {
    this.update(this.doneSteps + steps, note);
  }

  /** Set the absolute number of steps done. */
  update(done: number, note?: string): void {
    if (this.finished) return;
    this.doneSteps = done;
    if (note !== undefined) this.note = note;
    const now = this.now();
    const due = now - this.lastWriteAt >= (this.tty ? REDRAW_MS : this.intervalMs);
    if (due) this.write(now, false);
  }

  /** Print the final state (always) and end the line. Later updates are ignored. */
  finish(note?: string): void {
    if (this.finished) return;
    if (note !== undefined) this.note = note;
    this.write(this.now(), true);
    this.finished = true;
  }

  /** The status text without bar or terminal control codes (what plain mode prints). */
  line(): string {
    const parts = [this.label];
    const total = this.total;
    if (total !== undefined && total > 0) {
      const percent = (100 * this.doneSteps) / total;
      parts.push(`${this.doneSteps}/${total} ${this.unit} (${percent.toFixed(percent < 10 ? 1 : 0)}%)`);
    } else {
      parts.push(`${this.doneSteps} ${this.unit}`);
    }
    const rate = this.rate;
    if (Number.isFinite(rate)) parts.push(formatRate(rate, this.unit));
    const eta = this.etaSeconds;
    if (total !== undefined && this.doneSteps < total && Number.isFinite(eta)) parts.push(`ETA ${formatDuration(eta)}`);
    else if (total !== undefined && this.doneSteps >= total) parts.push(`in ${formatDuration((this.now() - this.startedAt) / 1000)}`);
    if (this.note) parts.push(this.note);
    return parts.join('  ');
  }

  private write(now: number, final: boolean): void {
    this.lastWriteAt = now;
    if (!this.enabled) return;
    if (!this.tty) {
      const unchanged = this.printed?.done === this.doneSteps && this.printed.note === this.note;
      if (!(final && unchanged)) this.stream.write(this.line() + '\n');
      this.printed = { done: this.doneSteps, note: this.note };
      return;
    }
    let text = this.line();
    if (this.total !== undefined && this.total > 0) {
      const fraction = Math.min(1, Math.max(0, this.doneSteps / this.total));
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = '[' + '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled) + ']';
      const space = text.indexOf('  ');
      text = space < 0 ? `${text} ${bar}` : `${text.slice(0, space)} ${bar}${text.slice(space)}`;
    }
    const columns = this.stream.columns;
    if (columns && text.length >= columns) text = text.slice(0, columns - 1);
    // \r + erase-to-end-of-line redraws in place without leaving the tail of a longer previous line.
    this.stream.write('\r' + text + '\x1b[K' + (final ? '\n' : ''));
  }
}

/** "12.3 episodes/s", or "4.0 s/episode" when slower than one per second (easier to read for slow steps). */
export function formatRate(stepsPerSecond: number, unit: string): string {
  if (stepsPerSecond >= 1 || stepsPerSecond === 0) return `${stepsPerSecond.toFixed(stepsPerSecond >= 100 ? 0 : 1)} ${unit}/s`;
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  return `${(1 / stepsPerSecond).toFixed(1)} s/${singular}`;
}

/** "45s", "3m05s", "1h02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
