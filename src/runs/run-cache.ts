/**
 * Finished training runs kept on disk, so that re-running a notebook cell after an edit (or after an interrupt)
 * recomputes only the runs whose job changed. A run is found by the hash of its job (data spec, config, seed, ...;
 * not its tags, which are labels) and of the library's own code, so a rebuilt library never reuses an old result.
 * Data folders are assumed unchanged (the real pools are read-only).
 *
 * Interactive sessions get one (`npm run notebook` sets RL_FOCAL_RUN_CACHE to build/run-cache); the notebook runner
 * does not, so the reproduction and CI always train from scratch and time what they measure.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic';

/** RL_FOCAL_RUN_CACHE, or null (no cache) when unset or empty. */
export function runCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = env.RL_FOCAL_RUN_CACHE;
  return dir === undefined || dir === '' ? null : dir;
}

/** JSON with sorted keys, so that equal jobs hash equally whatever order their fields were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return typeof value === 'number' && !Number.isFinite(value) ? `"${value}"` : JSON.stringify(value);
}

let codeHash: string | undefined;

/** Hash of every compiled (or, under tsx, source) file of the library: a different build is a different cache. */
function libraryCodeHash(): string {
  if (codeHash !== undefined) return codeHash;
  const root = path.dirname(__dirname);
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) hash.update(path.relative(root, file)).update(fs.readFileSync(file));
    }
  };
  walk(root);
  codeHash = hash.digest('hex');
  return codeHash;
}

// Non-finite numbers (an undefined macro accuracy is NaN) survive the JSON round trip as these strings.
const NON_FINITE: Record<string, number> = { __NaN__: NaN, __Infinity__: Infinity, '__-Infinity__': -Infinity };

export class RunCache {
  constructor(readonly dir: string) {}

  /** The file of a job: `<dir>/<hash of job without tags + library code>.json`. */
  fileOf(job: { tags?: unknown }): string {
    const { tags: _labels, ...identity } = job;
    const key = createHash('sha256').update(libraryCodeHash()).update(canonical(identity)).digest('hex').slice(0, 32);
    return path.join(this.dir, `${key}.json`);
  }

  get<R>(job: { tags?: unknown }): R | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.fileOf(job), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return (JSON.parse(text, (_, v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v)) as { outcome: R }).outcome;
    } catch {
      return undefined; // an unreadable entry is a miss; the run is redone and the entry rewritten
    }
  }

  /** Written atomically: an interrupt leaves the entry absent or complete. */
  put(job: { tags?: unknown }, outcome: unknown): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const text = JSON.stringify({ job, outcome }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? `__${v}__` : v));
    writeFileAtomic(this.fileOf(job), text + '\n');
  }
}
