import { SlidingWindow } from '../src/metrics/window';
import { Rng } from '../src/util/rng';
import { randomPool } from '../test/metrics/pools';
const N = Number(process.env.N ?? 12), cap = 500, copies = N === 120 ? 80 : 0;
const pool = randomPool(new Rng(1).fork('p'), { nModels: N, nQueries: 2000, nChoices: 4, copies });
const rows = pool.predictions.map((r) => Int32Array.from(r));
const rng = new Rng(2);
const teams: number[][] = [];
let inT = Array.from({ length: N }, () => rng.next() < 0.5);
for (let s = 0; s < 1500; s++) { inT = inT.map((b) => (rng.next() < 0.5 ? !b : b)); const t = inT.flatMap((b, i) => (b ? [i] : [])); teams.push(t.length >= 2 ? t : [0, 1]); }
const w = new SlidingWindow({ nModels: N, capacity: cap, maxChoices: 4 });
for (let t = 0; t < cap; t++) w.push(rows[t], pool.labels[t]);
const out = new Float64Array(2);
for (let rep = 0; rep < 10; rep++) for (let s = 0; s < teams.length; s++) { const t = cap + (s % (2000 - cap)); w.push(rows[t], pool.labels[t]); w.teamMetrics(teams[s], ['focal_diversity', 'plurality_accuracy'], out); }
