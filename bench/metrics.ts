/**
 * Speed of the metrics layer, each line against the naive definitions of test/metrics/naive.ts (per team, per
 * query loops, no counts) measured in the same run on the same simulated pool (correlated failures, seeded Rng):
 *  - exhaustive scan of all 4,083 teams of N = 12 models over 10,000 queries, every metric + 3 accuracies;
 *  - sliding window of 500 queries (and 100 at N = 120), N = 12, 43 and 120: per step push (with eviction) + the metrics of that step's
 *    team, the window of src against today's path before issue 11 (test/metrics/previous-window.ts: no failure
 *    classes, focal sums moved slot by slot) and the all-pairs window before that (test/metrics/reference-window.ts),
 *    for three team processes (one team; one member in or out per step, as a Decider's team drifts; a fresh random
 *    team per step, the worst case) and two metric sets (all 11; focal + plurality, the env's default). N = 120 runs
 *    on a replicated pool (80 copies of one model, as Figure 6 replicates its pool) and on 120 distinct models.
 * The naive scan is timed on an evenly spaced sample of teams and scaled to all teams (said so in its line).
 */
import { METRIC_NAMES, type MetricName } from '../src/metrics/conventions';
import { predictionTable } from '../src/metrics/table';
import { SCAN_ACCURACY_COLUMNS, SCAN_DIVERSITY_COLUMNS, scanTeamMembers, scanTeams } from '../src/metrics/teams';
import { SlidingWindow } from '../src/metrics/window';
import { Rng } from '../src/util/rng';
import { naiveTeamMetrics, Pool } from '../test/metrics/naive';
import { randomPool, randomTeam, slicePool } from '../test/metrics/pools';
import { PreviousSlidingWindow } from '../test/metrics/previous-window';
import { ReferenceSlidingWindow } from '../test/metrics/reference-window';

const SEED = 20250204;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} us`;
}

function benchScan(pool: Pool): void {
  const table = predictionTable(pool.predictions, pool.labels);
  const times: number[] = [];
  const cpu: number[] = [];
  let scan = scanTeams(table, { convention: 'raw' });
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    scan = scanTeams(table, { convention: 'raw' });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const fast = median(times);
  const rows = scan.table.objects() as Array<Record<string, number | string>>;
  const stride = 41;
  let naiveMs = 0;
  let sampled = 0;
  let maxDiff = 0;
  for (let r = 0; r < rows.length; r += stride) {
    const team = scanTeamMembers(rows[r].team as string);
    const t0 = performance.now();
    const want = naiveTeamMetrics(pool, team);
    naiveMs += performance.now() - t0;
    sampled++;
    for (const name of [...SCAN_DIVERSITY_COLUMNS, ...SCAN_ACCURACY_COLUMNS]) {
      const a = rows[r][name] as number;
      if (!(Number.isNaN(a) && Number.isNaN(want[name]))) maxDiff = Math.max(maxDiff, Math.abs(a - want[name]));
    }
  }
  const naive = (naiveMs / sampled) * rows.length;
  console.log(`metrics: exhaustive scan N=12, T=${pool.labels.length}, ${rows.length} teams, 9 diversity metrics + plurality/majority/oracle accuracy`);
  console.log(`  fast scanTeams      ${fmt(fast)} wall, ${fmt(median(cpu))} process CPU (medians of 5; ${fmt(fast / rows.length)} per team)`);
  console.log(`  naive definitions   ${fmt(naive)} (${fmt(naiveMs / sampled)} per team x ${rows.length}, timed on ${sampled} evenly spaced teams)`);
  console.log(`  ratio naive/fast    ${(naive / fast).toFixed(0)}x   (max |fast - naive| on the sample: ${maxDiff.toExponential(1)})`);
}

type TeamProcess = 'fixed' | 'drift' | 'fresh';

const TEAM_PROCESSES: Record<TeamProcess, string> = {
  fixed: 'one team throughout',
  drift: 'one member in or out per step',
  fresh: 'fresh random team per step',
};

/** The team asked about at each step (members of 2..N), from one of the three processes. */
function teamSequence(rng: Rng, N: number, steps: number, process: TeamProcess): number[][] {
  const teams: number[][] = [];
  let team = randomTeam(rng, N, Math.max(2, Math.round(N / 2)));
  for (let s = 0; s < steps; s++) {
    if (process === 'fresh') team = randomTeam(rng, N, 2 + rng.int(N - 1));
    else if (process === 'drift') {
      const i = rng.int(N);
      team = team.includes(i) ? (team.length > 2 ? team.filter((x) => x !== i) : team) : [...team, i];
    }
    teams.push(team);
  }
  return teams;
}

interface WindowLike {
  push(predictions: ArrayLike<number>, label: number): void;
  teamMetrics(team: ArrayLike<number>, names: readonly MetricName[], out?: Float64Array): Float64Array;
}

/**
 * Process CPU microseconds per step (push with eviction + the metrics of that step's team), median of `repeats`
 * runs: CPU time rather than wall time, because the bench shares its cores with other work.
 */
function stepMicros(make: () => WindowLike, pool: Pool, capacity: number, teams: number[][], names: readonly MetricName[], repeats: number): { us: number; last: Float64Array } {
  const T = pool.labels.length;
  const rows = pool.predictions.map((row) => Int32Array.from(row));
  const out = new Float64Array(names.length);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const window = make();
    for (let t = 0; t < capacity; t++) window.push(rows[t], pool.labels[t]);
    const c0 = process.cpuUsage();
    for (let s = 0; s < teams.length; s++) {
      const t = capacity + (s % (T - capacity));
      window.push(rows[t], pool.labels[t]);
      window.teamMetrics(teams[s], names, out);
    }
    const cpu = process.cpuUsage(c0);
    times.push((cpu.user + cpu.system) / teams.length);
  }
  return { us: median(times), last: out };
}

/** The Decider's default observation metrics (src/train/config.ts `deciderMetrics`). */
const ENV_METRICS: readonly MetricName[] = ['focal_diversity', 'plurality_accuracy'];

interface WindowRow {
  process: TeamProcess;
  metrics: string;
  /** Process CPU microseconds per step: all-pairs window, today's path before issue 11, the window of src. */
  reference: number;
  previous: number;
  tracked: number;
}

/**
 * One sliding-window step (push with eviction + team metrics): the window of src against today's path (the
 * tracked-team window before failure classes, test/metrics/previous-window.ts) and the all-pairs window before
 * that (test/metrics/reference-window.ts), same pool, same teams, same run. Returns the rows it printed.
 */
function benchWindow(label: string, pool: Pool, capacity: number, steps: number): WindowRow[] {
  const N = pool.predictions[0].length;
  const maxChoices = pool.nChoices;
  const rows: WindowRow[] = [];
  console.log(`metrics: sliding window N=${N} (${label}), window ${capacity}, ${steps} steps of push (with eviction) + team metrics`);
  for (const process of Object.keys(TEAM_PROCESSES) as TeamProcess[]) {
    const teams = teamSequence(new Rng(SEED).fork(`teams-${N}-${process}`), N, steps, process);
    for (const [metrics, names] of [['all 11', METRIC_NAMES], ['focal + plurality (env default)', ENV_METRICS]] as const) {
      const options = { nModels: N, capacity, maxChoices, convention: 'raw' as const };
      const reference = stepMicros(() => new ReferenceSlidingWindow(options), pool, capacity, teams, names, 3);
      const previous = stepMicros(() => new PreviousSlidingWindow(options), pool, capacity, teams, names, 3);
      const tracked = stepMicros(() => new SlidingWindow(options), pool, capacity, teams, names, 3);
      let maxDiff = 0;
      names.forEach((_, k) => {
        for (const other of [reference.last[k], previous.last[k]]) {
          const a = tracked.last[k];
          if (!(Number.isNaN(a) && Number.isNaN(other))) maxDiff = Math.max(maxDiff, Math.abs(a - other));
        }
      });
      console.log(
        `  ${TEAM_PROCESSES[process].padEnd(30)} ${metrics.padEnd(32)} all-pairs ${fmt(reference.us / 1000).padStart(9)}  today's path ${fmt(previous.us / 1000).padStart(9)}  src ${fmt(tracked.us / 1000).padStart(9)}  ratio today's/src ${(previous.us / tracked.us).toFixed(1).padStart(5)}x  all-pairs/src ${(reference.us / tracked.us).toFixed(1).padStart(5)}x  (last step max |diff| ${maxDiff.toExponential(0)})`,
      );
      rows.push({ process, metrics, reference: reference.us, previous: previous.us, tracked: tracked.us });
    }
  }
  return rows;
}

function benchNaiveWindow(pool: Pool, capacity: number, steps: number): void {
  const N = pool.predictions[0].length;
  const teams = teamSequence(new Rng(SEED).fork('naive-teams'), N, steps, 'fresh');
  const tracked = stepMicros(() => new SlidingWindow({ nModels: N, capacity, maxChoices: pool.nChoices, convention: 'raw' }), pool, capacity, teams, METRIC_NAMES, 3);
  let naiveMs = 0;
  for (let s = 0; s < steps; s++) {
    const t = capacity + s;
    const t0 = performance.now();
    naiveTeamMetrics(slicePool(pool, t + 1 - capacity, t + 1), teams[s]);
    naiveMs += performance.now() - t0;
  }
  const naive = naiveMs / steps;
  console.log(`  naive recompute of all 11 metrics per step (fresh random team, ${steps} steps): ${fmt(naive)}; ratio naive/tracked ${(naive / (tracked.us / 1000)).toFixed(0)}x`);
}

/** The issue 11 target: one N = 120 step (push + the env's default metrics) in at most this many microseconds. */
const TARGET_US = 20;

export async function run(): Promise<void> {
  const pool = randomPool(new Rng(SEED).fork('pool'), { nModels: 12, nQueries: 10_000, nChoices: 4 });
  benchScan(pool);
  benchWindow('independent models', pool, 500, 5000);
  benchNaiveWindow(pool, 500, 200);
  const mid = randomPool(new Rng(SEED).fork('mid'), { nModels: 43, nQueries: 2_000, nChoices: 4 });
  benchWindow('independent models, as many as the GSM8K pool', mid, 500, 2000);
  const wide = randomPool(new Rng(SEED).fork('wide'), { nModels: 120, nQueries: 2_000, nChoices: 4, copies: 80 });
  const replicated500 = benchWindow('80 copies of one model, as a replicated pool', wide, 500, 1000);
  benchNaiveWindow(wide, 500, 20);
  const replicated100 = benchWindow('the same pool, window 100 (the training default)', wide, 100, 2000);
  const distinct = randomPool(new Rng(SEED).fork('distinct'), { nModels: 120, nQueries: 2_000, nChoices: 4 });
  const distinct500 = benchWindow('120 distinct models, no replicas', distinct, 500, 1000);
  console.log(`metrics: N=120 step (push + focal + plurality, the env default), src vs today's path (issue 11 target <= ${TARGET_US} us per step):`);
  for (const [label, rows] of [
    ['replicated pool, window 500', replicated500],
    ['replicated pool, window 100', replicated100],
    ['120 distinct models, window 500', distinct500],
  ] as const) {
    for (const r of rows.filter((x) => x.metrics.startsWith('focal'))) {
      const verdict = r.tracked <= TARGET_US ? 'within target' : 'above target';
      console.log(`  ${label.padEnd(32)} ${TEAM_PROCESSES[r.process].padEnd(30)} src ${fmt(r.tracked / 1000).padStart(9)}  today's path ${fmt(r.previous / 1000).padStart(9)}  ratio ${(r.previous / r.tracked).toFixed(1)}x  (${verdict})`);
    }
  }
}

if (require.main === module) void run();
