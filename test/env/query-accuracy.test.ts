import assert from 'node:assert/strict';
import { Dataset } from '../../src/data/dataset';
import { EnsembleEnv } from '../../src/env/ensemble-env';
import { DeciderLayout, FusionLayout, checkLayoutsMatch } from '../../src/env/observations';
import { chooseQueryNeighbours, QUERY_NEIGHBOUR_CANDIDATES, queryModelAccuracy } from '../../src/env/query-accuracy';
import { TfidfIndex } from '../../src/data/text-index';
import { syntheticPool } from '../train/synthetic-pool';
import { answersDataset } from '../baselines/helpers';

/** Two topics, each with its own expert, and question texts that name the topic. */
function pool(withText: boolean): Dataset {
  const base = syntheticPool({ topics: [{ name: 'chemistry', expert: 0, queries: 150 }, { name: 'finance', expert: 2, queries: 150 }], nModels: 4, nChoices: 4, seed: 11, expertAccuracy: 0.95 });
  if (!withText) return base;
  const questions = Array.from({ length: base.nQueries }, (_, t) => `${base.subtaskNames[base.subtaskIds[t]]} question ${t % 7} about ${base.subtaskNames[base.subtaskIds[t]]}`);
  return new Dataset({ ...(base as unknown as { columns(): ConstructorParameters<typeof Dataset>[0] }).columns(), questions });
}

describe('env: each model\'s accuracy near the query (deciderQueryAccuracy, query-vote)', () => {
  it('the topic\'s expert leads near every test query; only train labels are read', () => {
    const data = pool(true);
    const acc = queryModelAccuracy(data);
    const N = data.nModels;
    for (const t of data.splitIndices('test')) {
      const expert = data.subtaskIds[t] === 0 ? 0 : 2;
      const row = Array.from(acc.subarray(t * N, (t + 1) * N));
      assert.equal(row.indexOf(Math.max(...row)), expert, `query ${t}: ${row}`);
    }
    // Relabelling the test split changes nothing: its labels are never read.
    const flipped = new Dataset({ ...(data as unknown as { columns(): ConstructorParameters<typeof Dataset>[0] }).columns(), labels: data.labels.map((l, t) => (data.split[t] === 1 ? (l + 1) % 4 : l)) });
    assert.deepEqual(queryModelAccuracy(flipped), acc);
  });

  it('a train query never counts itself; without text every query gets the train accuracies', () => {
    const base = pool(true);
    const N = base.nModels;
    const t0 = base.splitIndices('train')[0];
    // A text no other question shares: counting itself would give its own right/wrong pattern, leaving itself out
    // leaves no neighbour, hence the train accuracies.
    const questions = base.questions!.map((q, t) => (t === t0 ? 'zzqx wvyk' : q));
    const data = new Dataset({ ...(base as unknown as { columns(): ConstructorParameters<typeof Dataset>[0] }).columns(), questions });
    const overall = Array.from(data.modelAccuracies(data.splitIndices('train')));
    assert.deepEqual(Array.from(queryModelAccuracy(data).subarray(t0 * N, (t0 + 1) * N)), overall);
    const plain = queryModelAccuracy(pool(false));
    for (let t = 0; t < 5; t++) assert.deepEqual(Array.from(plain.subarray(t * N, (t + 1) * N)), overall);
  });

  it('k nearest: each model\'s accuracy on exactly the k train questions the index ranks nearest', () => {
    const data = pool(true);
    const N = data.nModels;
    const train = data.splitIndices('train');
    const index = new TfidfIndex(Array.from(train, (t) => data.questions![t]));
    for (const k of [1, 5, 20]) {
      const acc = queryModelAccuracy(data, k);
      for (const t of [train[3], data.splitIndices('test')[2]]) {
        const own = Array.from(train).indexOf(t);
        const near = index.nearest(data.questions![t], k, own).map(({ doc }) => train[doc]);
        const expected = Array.from({ length: N }, (_, i) => near.reduce((n, s) => n + data.correct[s * N + i], 0) / near.length);
        assert.deepEqual(Array.from(acc.subarray(t * N, (t + 1) * N)), expected, `k = ${k}, query ${t}`);
      }
    }
    assert.throws(() => queryModelAccuracy(data, 0), /k must be an integer in \[1, 100\]/);
  });

  it('chooseQueryNeighbours: the count whose leave-one-out router is right most often on train', () => {
    // Each question repeats one other question's text word for word, and only that twin shares the right model:
    // the nearest neighbour alone routes right, more neighbours blur it.
    const T = 240;
    const N = 4;
    const answers: number[][] = [];
    const labels: number[] = [];
    const questions: string[] = [];
    for (let q = 0; q < T; q++) {
      const pair = Math.floor(q / 2);
      const expert = (pair * 7) % N;
      labels.push(0);
      answers.push(Array.from({ length: N }, (_, i) => (i === expert ? 0 : 1)));
      questions.push(`shared words every question has plus twin${pair} marker${pair} topic${pair % 3}`);
    }
    const base = answersDataset({ answers, labels, choices: 2, split: labels.map(() => 'train') });
    const data = new Dataset({ ...base.columns(), questions });
    const chosen = chooseQueryNeighbours(data);
    assert.equal(chosen.k, 1);
    assert.equal(chosen.accuracy, 1);
    assert.ok(QUERY_NEIGHBOUR_CANDIDATES.includes(chooseQueryNeighbours(pool(true)).k));
  });

  it('the environment writes them into o1 (and o2 with query-vote); agents without them are refused', () => {
    const data = pool(true);
    const N = data.nModels;
    const observation = { metrics: ['focal_diversity' as const], mode: 'separate' as const, teamSize: 'fraction' as const, queryAccuracy: true };
    const layouts = { decider: new DeciderLayout(N, observation), fusion: new FusionLayout(N, data.maxChoices, 0, true) };
    const env = new EnsembleEnv(data, { window: 5, alpha: 0, layouts });
    const acc = queryModelAccuracy(data);
    let o1 = env.reset();
    for (let step = 0; step < 3; step++) {
      const t = env.query;
      assert.deepEqual(Array.from(o1.subarray(layouts.decider.queryAccuracyOffset, layouts.decider.queryAccuracyOffset + N)), Array.from(acc.subarray(t * N, (t + 1) * N)));
      const turn = env.step({ decider: [1, 1, 0, 1] }) as { observation: Float64Array };
      assert.deepEqual(Array.from(turn.observation.subarray(layouts.fusion.queryAccuracy, layouts.fusion.queryAccuracy + N)), Array.from(acc.subarray(t * N, (t + 1) * N)));
      o1 = (env.step({ fusion: null }) as { observation: Float64Array }).observation;
    }
    const without = { deciderLayout: new DeciderLayout(N, { ...observation, queryAccuracy: false }), fusionLayout: layouts.fusion };
    assert.throws(() => checkLayoutsMatch(without, env), /deciderQueryAccuracy/);
  });
});
