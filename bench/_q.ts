import { METRIC_NAMES, type MetricName } from '../src/metrics/conventions';
import { SlidingWindow } from '../src/metrics/window';
import { Rng } from '../src/util/rng';
import { randomPool, randomTeam } from '../test/metrics/pools';
import { ReferenceSlidingWindow } from '../test/metrics/reference-window';
const ENV: MetricName[] = ['focal_diversity', 'plurality_accuracy'];
function run(N: number, copies: number, cap: number, flip: number, names: readonly MetricName[]) {
  const pool = randomPool(new Rng(1).fork('p'), { nModels: N, nQueries: 2000, nChoices: 4, copies });
  const rows = pool.predictions.map((r) => Int32Array.from(r));
  const rng = new Rng(2);
  const teams: number[][] = [];
  let inT = Array.from({ length: N }, () => rng.next() < 0.5);
  for (let s = 0; s < 1500; s++) { inT = inT.map((b) => (rng.next() < flip ? !b : b)); const t = inT.flatMap((b, i) => (b ? [i] : [])); teams.push(t.length >= 2 ? t : [0, 1]); }
  const res: number[] = [];
  for (const make of [() => new ReferenceSlidingWindow({ nModels: N, capacity: cap, maxChoices: 4 }), () => new SlidingWindow({ nModels: N, capacity: cap, maxChoices: 4 })]) {
    const ts: number[] = [];
    for (let r = 0; r < 3; r++) {
      const w = make(); for (let t = 0; t < cap; t++) w.push(rows[t], pool.labels[t]);
      const out = new Float64Array(names.length);
      const c0 = process.cpuUsage();
      for (let s = 0; s < teams.length; s++) { const t = cap + (s % (2000 - cap)); w.push(rows[t], pool.labels[t]); w.teamMetrics(teams[s], names, out); }
      const c = process.cpuUsage(c0); ts.push((c.user + c.system) / teams.length);
    }
    res.push(ts.sort((a, b) => a - b)[1]);
  }
  console.log(`N=${N} cap=${cap} flip=${flip} ${names.length} metrics: ref ${res[0].toFixed(1)}us tracked ${res[1].toFixed(1)}us ratio ${(res[0] / res[1]).toFixed(2)}`);
}
const Ns = (process.env.NS ?? '12,120').split(',').map(Number);
for (const N of Ns) for (const cap of [100, 500]) for (const flip of [0, 0.01, 0.05, 0.5]) run(N, N === 120 ? 80 : 0, cap, flip, ENV);
