/**
 * Speed of the validation guard's searches (src/train/guard.ts), on a synthetic pool shaped like the larger pools a
 * user may bring (26 models, 4 answer letters, correlated skills; seeded), each line against the previous path
 * measured in the same run:
 *  - the best soft-vote team of at most 6 of 26 models on 3,000 queries (all teams of size <= 4, then the beam):
 *    the per-model column objective of src against the objective that read `Dataset.probRow` views
 *    (test/baselines/previous-vote-objective.ts); both must choose the same team;
 *  - RL-Focal's defaults per subtask on 4 subtasks for 3 seeds, the seeds sharing one pool object (so its subtask
 *    slices, validation splits, folds and their teams are cut and searched once) against each seed on a fresh copy
 *    of the pool (each seed repeats the searches, as before session 10; within a seed the fused team shares the
 *    soft-vote team's search either way); both must serve the same answers.
 */
import { bestVoteTeam } from '../src/baselines/best-team';
import { Dataset, TEST, TRAIN } from '../src/data/dataset';
import { searchTeams } from '../src/metrics/team-search';
import { trainPerSubtask } from '../src/train/train-rl-focal';
import { Rng } from '../src/util/rng';
import { previousSoftVoteObjective } from '../test/baselines/previous-vote-objective';

function correlatedPool(N: number, T: number, subtasks: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const C = 4;
  const gauss = () => Math.sqrt(-2 * Math.log(rng.next() + 1e-12)) * Math.cos(2 * Math.PI * rng.next());
  const skill = Array.from({ length: N }, () => 0.8 * gauss());
  const subtaskSkill = Array.from({ length: N * subtasks }, () => 0.4 * gauss());
  const labels = Int32Array.from({ length: T }, () => rng.int(C));
  const probs = new Float64Array(T * N * C);
  for (let t = 0; t < T; t++) {
    const difficulty = gauss();
    for (let i = 0; i < N; i++) {
      const margin = skill[i] + subtaskSkill[i * subtasks + (t % subtasks)] - difficulty + 0.3;
      const e = Array.from({ length: C }, (_, c) => Math.exp((c === labels[t] ? margin : 0) + 1.2 * gauss()));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < C; c++) probs[(t * N + i) * C + c] = e[c] / sum;
    }
  }
  return new Dataset({
    models: Array.from({ length: N }, (_, i) => ({ id: `m${i}`, priceCents: 0.1 })),
    choiceCounts: new Uint8Array(T).fill(C),
    labels,
    probs,
    taskIds: new Uint16Array(T),
    taskNames: ['bench'],
    subtaskIds: Uint16Array.from({ length: T }, (_, t) => t % subtasks),
    subtaskNames: Array.from({ length: subtasks }, (_, s) => `s${s}`),
    split: Uint8Array.from({ length: T }, () => (rng.next() < 0.5 ? TRAIN : TEST)),
    provenance: { kind: 'synthetic', source: 'bench/guard.ts' },
  });
}

function seconds(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

export async function run(): Promise<void> {
  const search = correlatedPool(26, 6000, 1, 20261207);
  const queries = search.splitIndices('train');
  const sizes = { minSize: 1, maxSize: 6 };
  let team = new Int32Array();
  let previous = new Int32Array();
  const ours = seconds(() => (team = bestVoteTeam(search, 'soft', queries, sizes).team));
  const before = seconds(() => {
    const { bestPerSize } = searchTeams(search.nModels, previousSoftVoteObjective(search, queries), sizes);
    previous = bestPerSize.reduce((a, b) => (b.key[0] > a.key[0] ? b : a)).team;
  });
  if (team.join() !== previous.join()) throw new Error(`bench/guard: the two objectives chose different teams (${team} vs ${previous})`);
  console.log(`soft-vote team search (26 models, ${queries.length} queries, sizes <= 6): ${ours.toFixed(2)} s vs ${before.toFixed(2)} s reading probRow views (${(before / ours).toFixed(1)}x)`);

  const pool = correlatedPool(26, 3000, 4, 7);
  const seeds = [0, 1, 2];
  const served: string[] = [];
  const fresh: string[] = [];
  const shared = seconds(() => seeds.forEach((seed) => served.push(trainPerSubtask(pool, { seed }).test.correct.join(''))));
  const copies = seconds(() => seeds.forEach((seed) => fresh.push(trainPerSubtask(pool.selectQueries(Int32Array.from({ length: pool.nQueries }, (_, t) => t)), { seed }).test.correct.join(''))));
  if (served.join() !== fresh.join()) throw new Error('bench/guard: seeds on a shared pool served other answers than seeds on fresh copies');
  console.log(`RL-Focal defaults per subtask (26 models, 4 subtasks, ${pool.nQueries} queries), 3 seeds: ${shared.toFixed(1)} s sharing one pool vs ${copies.toFixed(1)} s on a fresh copy per seed (${(copies / shared).toFixed(1)}x)`);
}
