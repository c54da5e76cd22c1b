/**
 * Speed of the metrics layer, each line against the naive definitions of test/metrics/naive.ts (per team, per
 * query loops, no counts) measured in the same run on the same simulated pool (correlated failures, seeded Rng):
 *  - exhaustive scan of all 4,083 teams of N = 12 models over 10,000 queries, every metric + 3 accuracies;
 *  - sliding window of 500 queries, N = 12: per step push (with eviction) + every metric of one team.
 * The naive scan is timed on an evenly spaced sample of teams and scaled to all teams (said so in its line).
 */
import { METRIC_NAMES } from '../src/metrics/conventions';
import { predictionTable } from '../src/metrics/table';
import { SCAN_ACCURACY_COLUMNS, SCAN_DIVERSITY_COLUMNS, scanTeamMembers, scanTeams } from '../src/metrics/teams';
import { SlidingWindow } from '../src/metrics/window';
import { Rng } from '../src/util/rng';
import { naiveTeamMetrics, Pool } from '../test/metrics/naive';
import { randomPool, randomTeam, slicePool } from '../test/metrics/pools';

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

function benchWindow(pool: Pool, capacity: number, steps: number, naiveSteps: number): void {
  const N = pool.predictions[0].length;
  const T = pool.labels.length;
  const rng = new Rng(SEED).fork('window-teams');
  const teams = Array.from({ length: steps }, () => randomTeam(rng, N, 2 + rng.int(N - 1)));
  const window = new SlidingWindow({ nModels: N, capacity, maxChoices: pool.nChoices, convention: 'raw' });
  for (let t = 0; t < capacity; t++) window.push(pool.predictions[t], pool.labels[t]);
  const out = new Float64Array(METRIC_NAMES.length);
  let pushMs = 0;
  let metricsMs = 0;
  const c0 = process.cpuUsage();
  const loopStart = performance.now();
  for (let s = 0; s < steps; s++) {
    const t = capacity + (s % (T - capacity));
    const t0 = performance.now();
    window.push(pool.predictions[t], pool.labels[t]);
    const t1 = performance.now();
    window.teamMetrics(teams[s], METRIC_NAMES, out);
    metricsMs += performance.now() - t1;
    pushMs += t1 - t0;
  }
  const loopWall = performance.now() - loopStart;
  const loopCpu = process.cpuUsage(c0);
  let naiveMs = 0;
  for (let s = 0; s < naiveSteps; s++) {
    const t = capacity + s;
    const t0 = performance.now();
    naiveTeamMetrics(slicePool(pool, t + 1 - capacity, t + 1), teams[s]);
    naiveMs += performance.now() - t0;
  }
  const push = pushMs / steps;
  const metrics = metricsMs / steps;
  const naive = naiveMs / naiveSteps;
  console.log(`metrics: sliding window N=${N}, window ${capacity}, ${steps} steps (push with eviction + all ${METRIC_NAMES.length} metrics of a random team of 2..N)`);
  console.log(`  push                ${fmt(push)} per step`);
  console.log(`  teamMetrics         ${fmt(metrics)} per step`);
  console.log(`  naive recompute     ${fmt(naive)} per step (over ${naiveSteps} steps)`);
  console.log(`  ratio naive/fast    ${(naive / (push + metrics)).toFixed(0)}x   (fast loop: ${fmt(loopWall)} wall, ${fmt((loopCpu.user + loopCpu.system) / 1000)} process CPU)`);
}

export async function run(): Promise<void> {
  const pool = randomPool(new Rng(SEED).fork('pool'), { nModels: 12, nQueries: 10_000, nChoices: 4 });
  benchScan(pool);
  benchWindow(pool, 500, 5000, 200);
  const wide = randomPool(new Rng(SEED).fork('wide'), { nModels: 120, nQueries: 2_000, nChoices: 4, copies: 80 });
  benchWindow(wide, 500, 1000, 20);
}

if (require.main === module) void run();
