import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { LoadDatasetOptions } from '../sources/data-source';
import { writeFileAtomic } from '../util/atomic';
import { InputError } from '../util/input-error';
import { toJson } from '../util/json';
import { canonicalJson, type ConfigOverrides, type SweepCell } from './grid';

/**
 * The on-disk layout of a sweep, shared by every shard that writes into it:
 *
 *   <out>/sweep.json            what was swept (data, base config, grid, seeds); identical for all shards
 *   <out>/cells/<cell id>.json  one finished cell; written to a temp file then renamed, so it is complete or absent
 *   <out>/sweep-log.jsonl       append-only events (start / done / failed / skipped), one JSON object per line
 *   <out>/cells/<cell id>.claim a cell some process is running now: {pid, host, time}; removed when it finishes
 *
 * A cell file exists only once its run finished, so "resume" is "skip the cells whose file exists", and a killed
 * run loses at most the cells that were in flight. Two runs sharing a folder (shards, or the same command started
 * twice) never compute one cell both: a run claims a cell (exclusive create) before starting it and skips cells
 * claimed by a live process; a claim whose process is gone (killed) is stale and taken over.
 */

export interface SweepManifest {
  version: 1;
  data: string;
  /** --models / --subtasks applied to the data. */
  dataOptions: LoadDatasetOptions;
  perSubtask: boolean;
  /** Config applied to every cell before the cell's own overrides (from --config, --set and the grid's base). */
  base: ConfigOverrides;
  grid: Array<[string, unknown[]]>;
  seeds: number[];
  /** Custom cell module, when not the default (RL-Focal training). */
  cellModule?: string;
  cells: number;
}

export interface CellResult {
  cell: { id: string; index: number; configId: string; overrides: ConfigOverrides; seed: number };
  /** The numbers a report aggregates over seeds (test_accuracy, ...). */
  metrics: Record<string, number>;
  timing: { wallSeconds: number; finishedAt: string };
  details?: Record<string, unknown>;
}

export type SweepEvent =
  | { event: 'run'; shard: string; cells: number; todo: number; workers: number }
  | { event: 'start' | 'done' | 'failed'; cell: string; worker: number; message?: string; seconds?: number }
  | { event: 'skipped'; cells: number }
  | { event: 'interrupted'; cells: number };

/** Manifest fields that make two sweeps different sweeps (results of one must not be mixed into the other). */
export const SWEEP_IDENTITY = ['data', 'dataOptions', 'perSubtask', 'base', 'grid', 'seeds', 'cellModule'] as const;

/** The first identity field in which two manifests differ (they hold different sweeps), or undefined. */
export function differingIdentity(a: SweepManifest, b: SweepManifest): (typeof SWEEP_IDENTITY)[number] | undefined {
  return SWEEP_IDENTITY.find((key) => canonicalJson(a[key] ?? null) !== canonicalJson(b[key] ?? null));
}

export class SweepStore {
  readonly cellsDir: string;
  readonly manifestFile: string;
  readonly logFile: string;

  constructor(readonly dir: string) {
    this.cellsDir = path.join(dir, 'cells');
    this.manifestFile = path.join(dir, 'sweep.json');
    this.logFile = path.join(dir, 'sweep-log.jsonl');
  }

  /**
   * Create the layout, or check that an existing one holds the same sweep: mixing results of another grid or
   * another dataset into one folder would make the report average unrelated runs.
   */
  open(manifest: SweepManifest): void {
    fs.mkdirSync(this.cellsDir, { recursive: true });
    if (fs.existsSync(this.manifestFile)) {
      const existing = this.readManifest();
      const differences = SWEEP_IDENTITY.filter(
        (key) => canonicalJson(existing[key] ?? null) !== canonicalJson(manifest[key] ?? null),
      );
      if (differences.length > 0) {
        throw new InputError(
          `this folder holds a different sweep (${differences.join(', ')} differ); use another --out, or the same --data/--grid/--config/--set`,
          { file: this.manifestFile, field: differences[0] },
        );
      }
      return;
    }
    writeFileAtomic(this.manifestFile, toJson(manifest, 2) + '\n');
  }

  readManifest(): SweepManifest {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(this.manifestFile, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? 'not a sweep folder (no sweep.json)' : `unreadable sweep manifest: ${(error as Error).message}`, {
        file: this.manifestFile,
      });
    }
    const manifest = parsed as SweepManifest;
    if (manifest.version !== 1 || !Array.isArray(manifest.grid) || !Array.isArray(manifest.seeds)) {
      throw new InputError('not a sweep manifest of this version', { file: this.manifestFile, field: 'version' });
    }
    return manifest;
  }

  cellFile(cellId: string): string {
    return path.join(this.cellsDir, `${cellId}.json`);
  }

  /** Ids of the cells whose result file exists (temp files of interrupted writes are not results). */
  finishedCellIds(): Set<string> {
    if (!fs.existsSync(this.cellsDir)) return new Set();
    return new Set(
      fs
        .readdirSync(this.cellsDir)
        .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
        .map((name) => name.slice(0, -'.json'.length)),
    );
  }

  claimFile(cellId: string): string {
    return path.join(this.cellsDir, `${cellId}.claim`);
  }

  /**
   * Claims a cell for this process: false when it is finished or claimed by another live process. A claim left by
   * a process that no longer runs (on this host) is taken over. Claims of other hosts are respected: their
   * processes cannot be checked from here.
   */
  claim(cellId: string): boolean {
    const file = this.claimFile(cellId);
    const mine = JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString() }) + '\n';
    for (let attempt = 0; attempt < 2; attempt++) {
      if (fs.existsSync(this.cellFile(cellId))) return false;
      try {
        fs.writeFileSync(file, mine, { flag: 'wx' });
        // Finished (and released) by another run between the check above and the claim.
        if (fs.existsSync(this.cellFile(cellId))) {
          this.release(cellId);
          return false;
        }
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (!this.isStale(file)) return false;
      fs.rmSync(file, { force: true });
    }
    return false;
  }

  release(cellId: string): void {
    fs.rmSync(this.claimFile(cellId), { force: true });
  }

  /** A claim of this host whose process has exited (or an unreadable, half-written claim). */
  private isStale(file: string): boolean {
    let owner: { pid?: unknown; host?: unknown };
    try {
      owner = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown };
    } catch (error) {
      // Gone meanwhile (released): not stale, just retry; unparsable: its writer died mid-write.
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    if (owner.host !== hostname() || typeof owner.pid !== 'number') return false;
    if (owner.pid === process.pid) return false;
    try {
      process.kill(owner.pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  writeResult(result: CellResult): void {
    writeFileAtomic(this.cellFile(result.cell.id), toJson(result, 2) + '\n');
  }

  readResult(cellId: string): CellResult {
    const file = this.cellFile(cellId);
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as CellResult;
    } catch (error) {
      throw new InputError(`unreadable cell result: ${(error as Error).message}`, { file });
    }
  }

  /** One line per event; O_APPEND keeps lines of concurrent shards whole. */
  log(event: SweepEvent): void {
    fs.appendFileSync(this.logFile, toJson({ time: new Date().toISOString(), pid: process.pid, ...event }) + '\n');
  }
}

/** The cells of `cells` that still need a run. */
/**
 * The folders of one sweep (its shards), checked to hold the same sweep as the first (`kind` names it in the error:
 * "sweep", "benchmark"); `checkFirst` may refuse the first folder's manifest before the others are compared.
 */
export function openSameSweep(
  dirs: readonly string[],
  kind: string,
  checkFirst?: (manifest: SweepManifest, store: SweepStore) => void,
): { stores: SweepStore[]; manifest: SweepManifest } {
  if (dirs.length === 0) throw new InputError(`name at least one ${kind} folder`);
  const stores = dirs.map((dir) => new SweepStore(dir));
  const manifest = stores[0].readManifest();
  checkFirst?.(manifest, stores[0]);
  for (const store of stores.slice(1)) {
    const differing = differingIdentity(manifest, store.readManifest());
    if (differing !== undefined) {
      throw new InputError(`not the same ${kind} as ${stores[0].manifestFile} (${differing} differs)`, { file: store.manifestFile, field: differing });
    }
  }
  return { stores, manifest };
}

/** The finished results of `cells` over the folders; a cell several folders hold counts once (the first folder's). */
export function collectResults(stores: readonly SweepStore[], cells: readonly SweepCell[]): { results: Map<string, CellResult>; duplicates: number } {
  const results = new Map<string, CellResult>();
  let duplicates = 0;
  for (const store of stores) {
    const finished = store.finishedCellIds();
    for (const cell of cells) {
      if (!finished.has(cell.id)) continue;
      if (results.has(cell.id)) duplicates++;
      else results.set(cell.id, store.readResult(cell.id));
    }
  }
  return { results, duplicates };
}

export function pendingCells(cells: readonly SweepCell[], finished: ReadonlySet<string>): SweepCell[] {
  return cells.filter((cell) => !finished.has(cell.id));
}

/** What one run over a shard of a store did (the last stdout line of `rl-focal sweep` and `rl-focal benchmark`). */
export interface ShardRunSummary {
  out: string;
  shard: string;
  /** Cells of the whole grid, of this shard, already finished before this run, run now, failed now. */
  cells_total: number;
  cells_in_shard: number;
  skipped: number;
  ran: number;
  /** Cells skipped because another live run had claimed them (it writes their results). */
  claimed_elsewhere: number;
  failed: number;
  failures: Array<{ cell: string; message: string }>;
  /** Stopped by Ctrl-C (or the abort signal) before every cell ran; the finished cells are kept. */
  interrupted: boolean;
  wall_seconds: number;
}
