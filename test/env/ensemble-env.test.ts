import assert from 'node:assert/strict';
import { EnsembleEnv, type EnsembleEnvOptions } from '../../src/env/ensemble-env';
import { checkLayoutsMatch, DeciderLayout, FusionLayout } from '../../src/env/observations';
import { ensembleReward } from '../../src/env/reward';
import { pluralityVote } from '../../src/metrics/voting';
import { SlidingWindow } from '../../src/metrics/window';
import { Rng } from '../../src/util/rng';
import { syntheticPool } from '../train/synthetic-pool';

const data = syntheticPool({
  topics: [{ name: 'a', expert: 0, queries: 30 }],
  nModels: 4,
  nChoices: [2, 3, 5],
  seed: 3,
  expertAccuracy: 0.7,
});

const options = (over: Partial<EnsembleEnvOptions> = {}): EnsembleEnvOptions => ({
  window: 5,
  observation: { metrics: ['focal_diversity', 'plurality_accuracy', 'fleiss_kappa'], mode: 'separate', teamSize: 'fraction' },
  fusionRecentRewards: 2,
  alpha: 0.6,
  ...over,
});

describe('env/EnsembleEnv', () => {
  it('has the documented observation and state sizes', () => {
    const env = new EnsembleEnv(data, options());
    const N = 4;
    const Cmax = data.maxChoices;
    assert.equal(Cmax, 5);
    assert.equal(env.deciderLayout.size, N + 3 + 1);
    assert.equal(env.fusionLayout.size, N * Cmax + N + Cmax + N + 2);
    assert.equal(env.deciderStateSize, env.deciderLayout.size + N);
    assert.equal(env.fusionStateSize, env.deciderLayout.size + env.fusionLayout.size);
    assert.equal(env.episodeLength, data.nQueries - 5);
    const o1 = env.reset();
    assert.equal(o1.length, env.deciderLayout.size);
    assert.deepEqual(Array.from(o1.subarray(0, N)), [1, 1, 1, 1]);
    assert.equal(o1[N + 3], 1, 'team size m / N of the full initial team');
    assert.equal(env.state().length, env.deciderStateSize);
  });

  it('with modelAccuracy, o1 ends with every model\'s accuracy on the window', () => {
    const env = new EnsembleEnv(data, options({ observation: { metrics: ['focal_diversity'], mode: 'separate', teamSize: 'fraction', modelAccuracy: true } }));
    const N = env.nModels;
    assert.equal(env.deciderLayout.size, N + 1 + 1 + N);
    const rng = new Rng(4);
    let o1 = env.reset();
    for (let t = 5; t < data.nQueries; t++) {
      const expected = Array.from({ length: N }, (_, i) => {
        let hits = 0;
        for (let q = t - 5; q < t; q++) hits += data.predictions[q * N + i] === data.labels[q] ? 1 : 0;
        return hits / 5;
      });
      assert.deepEqual(Array.from(o1.subarray(N + 2)), expected, `query ${t}`);
      env.step({ decider: Array.from({ length: N }, () => (rng.next() < 0.5 ? 1 : 0)) });
      o1 = env.step({ fusion: null }).observation;
    }
  });

  it('replays every query: masks, padding, votes, interim plurality, Eq. 6 rewards, window metrics and cost', () => {
    const env = new EnsembleEnv(data, options());
    const N = env.nModels;
    const L = env.fusionLayout;
    const window = new SlidingWindow({ nModels: N, capacity: 5, maxChoices: data.maxChoices });
    for (let t = 0; t < 5; t++) window.push(data.predictions.subarray(t * N, t * N + N), data.labels[t]);
    const rng = new Rng(11);
    const calls = new Float64Array(N);
    const recent: number[] = [0, 0];
    let o1 = env.reset();
    let prevTeam = [1, 1, 1, 1];
    for (let t = 5; t < data.nQueries; t++) {
      // Decider observation = previous team and its metrics over the last 5 queries.
      const members = prevTeam.flatMap((b, i) => (b ? [i] : []));
      const expected = window.teamMetrics(members, ['focal_diversity', 'plurality_accuracy', 'fleiss_kappa']);
      for (let k = 0; k < 3; k++) assert.equal(o1[N + k], Number.isNaN(expected[k]) ? 0 : expected[k], `query ${t} metric ${k}`);
      assert.equal(o1[N + 3], members.length / N);
      const team = Array.from({ length: N }, () => (rng.next() < 0.5 ? 1 : 0));
      const turn = env.step({ decider: team });
      const C = data.choiceCounts[t];
      const m = team.reduce((a: number, b) => a + b, 0);
      const o2 = turn.observation;
      assert.equal(turn.nChoices, C);
      assert.equal(L.choiceCount(o2), C);
      const votes: number[] = [];
      for (let i = 0; i < N; i++) {
        assert.equal(o2[L.team + i], team[i]);
        const vote = team[i] ? data.predictions[t * N + i] : -1;
        votes.push(vote);
        assert.equal(o2[L.votes + i], vote);
        for (let c = 0; c < L.maxChoices; c++) {
          const want = team[i] && c < C ? data.probRow(t, i)[c] : 0;
          assert.equal(o2[i * L.maxChoices + c], want, `prob (${i}, ${c}) of query ${t}`);
        }
      }
      for (let c = 0; c < L.maxChoices; c++) assert.equal(o2[L.choiceMask + c], c < C ? 1 : 0);
      assert.deepEqual(Array.from(o2.subarray(L.rewards, L.rewards + 2)), recent);
      const interim = m > 0 ? pluralityVote(votes, C) : -1;
      assert.equal(turn.interimAnswer, interim);
      assert.equal(env.state().length, env.fusionStateSize);
      // Alternate between the interim vote and an explicit (deliberately wrong) fusion answer.
      const useInterim = t % 2 === 0;
      const wrong = (data.labels[t] + 1) % C;
      const out = useInterim ? env.step({ fusion: null }) : env.step({ fusion: wrong });
      const answer = m === 0 ? -1 : useInterim ? interim : wrong;
      assert.equal(out.answer, answer);
      assert.equal(out.correct, answer === data.labels[t]);
      const reward = answer === data.labels[t] ? 1 : useInterim && m > 0 ? -1 - (0.6 * m) / N : -1;
      assert.equal(out.reward, reward);
      assert.equal(out.reward, ensembleReward(out.correct, m, N, useInterim, 0.6));
      assert.equal(out.done, t === data.nQueries - 1);
      recent.unshift(reward);
      recent.pop();
      for (let i = 0; i < N; i++) calls[i] += team[i];
      window.push(data.predictions.subarray(t * N, t * N + N), data.labels[t]);
      prevTeam = team;
      o1 = out.observation;
    }
    const cost = env.cost();
    assert.equal(cost.queries, env.episodeLength);
    assert.deepEqual(cost.callsPerModel, Array.from(calls));
    const cents = calls.reduce((s, c, i) => s + c * data.models[i].priceCents!, 0);
    assert.ok(Math.abs(cost.costPer1000 - (1000 * cents) / env.episodeLength) < 1e-9);
  });

  it('scores an empty team as wrong with reward -1, calls nobody, and ignores a fusion answer', () => {
    const env = new EnsembleEnv(data, options());
    env.reset();
    const turn = env.step({ decider: [0, 0, 0, 0] });
    assert.equal(turn.teamSize, 0);
    assert.equal(turn.interimAnswer, -1);
    const out = env.step({ fusion: data.labels[env.query] });
    assert.equal(out.answer, -1);
    assert.equal(out.correct, false);
    assert.equal(out.reward, -1);
    assert.deepEqual(env.cost().callsPerModel, [0, 0, 0, 0]);
  });

  it('rewards per Eq. 6: +1 right; -1 - alpha m/N wrong under the interim vote; -1 wrong when the Fusion agent answers', () => {
    assert.equal(ensembleReward(true, 3, 5, true, 0.6), 1);
    assert.equal(ensembleReward(false, 3, 5, true, 0.6), -1 - 0.36);
    assert.equal(ensembleReward(false, 3, 5, false, 0.6), -1);
    assert.equal(ensembleReward(false, 0, 5, true, 0.6), -1);
  });

  it("encodes the authors' weighted score, -99 below two members, and the raw team size", () => {
    const env = new EnsembleEnv(
      data,
      options({ observation: { metrics: ['focal_diversity', 'plurality_accuracy'], mode: 'weighted', weights: [0.5, 0.5], teamSize: 'count' } }),
    );
    const N = env.nModels;
    assert.equal(env.deciderLayout.size, N + 2);
    const o1 = env.reset();
    const raw = new SlidingWindow({ nModels: N, capacity: 5, maxChoices: data.maxChoices, convention: 'raw' });
    for (let t = 0; t < 5; t++) raw.push(data.predictions.subarray(t * N, t * N + N), data.labels[t]);
    const [focal, plurality] = raw.teamMetrics([0, 1, 2, 3], ['focal_diversity', 'plurality_accuracy']);
    assert.ok(Math.abs(o1[N] - (0.5 * focal + 0.5 * plurality)) < 1e-12);
    assert.equal(o1[N + 1], 4);
    env.step({ decider: [0, 1, 0, 0] });
    const out = env.step({ fusion: null });
    assert.equal(out.observation[N], -99);
    assert.equal(out.observation[N + 1], 1);
  });

  it('enforces the move order and the action shapes', () => {
    const env = new EnsembleEnv(data, options());
    env.reset();
    assert.throws(() => env.step({ fusion: 0 }), /decider agent's move/);
    assert.throws(() => env.step({ decider: [1, 1] }), /expected 4/);
    env.step({ decider: [1, 1, 1, 1] });
    assert.throws(() => env.step({ decider: [1, 1, 1, 1] }), /fusion agent's move/);
    assert.throws(() => env.step({ fusion: 7 }), /not a choice/);
  });

  it('serves [start, end), prefilling the window with the queries before start', () => {
    const env = new EnsembleEnv(data, options({ start: 8, end: 12 }));
    env.reset();
    let served = 0;
    for (;;) {
      env.step({ decider: [1, 1, 1, 1] });
      const out = env.step({ fusion: null });
      assert.equal(out.query, 8 + served);
      served++;
      if (out.done) break;
    }
    assert.equal(served, 4);
    assert.throws(() => env.step({ decider: [1, 1, 1, 1] }), /call reset/);
  });

  it('draws a random initial team from the reset seed when asked', () => {
    const env = new EnsembleEnv(data, options({ initialTeam: 'random' }));
    const a = Array.from(env.reset(5).subarray(0, 4));
    const b = Array.from(env.reset(5).subarray(0, 4));
    assert.deepEqual(a, b);
    const teams = new Set(Array.from({ length: 20 }, (_, s) => Array.from(env.reset(s).subarray(0, 4)).join('')));
    assert.ok(teams.size > 3);
  });

  it('takes given layouts (a configuration\'s) as the layouts it writes by, and refuses layouts of another pool', () => {
    const o = options();
    const layouts = { decider: new DeciderLayout(4, o.observation!), fusion: new FusionLayout(4, data.maxChoices, 2) };
    const given = new EnsembleEnv(data, { window: 5, alpha: 0.6, layouts });
    const built = new EnsembleEnv(data, o);
    assert.equal(given.deciderLayout, layouts.decider);
    assert.equal(given.fusionLayout, layouts.fusion);
    checkLayoutsMatch(given, built);
    assert.deepEqual(Array.from(given.reset()), Array.from(built.reset()));
    for (let t = 0; t < given.episodeLength; t++) {
      const team = [1, t % 2, 1, (t >> 1) % 2];
      assert.deepEqual(Array.from(given.step({ decider: team }).observation), Array.from(built.step({ decider: team }).observation));
      assert.deepEqual(Array.from(given.state()), Array.from(built.state()));
      const a = given.step({ fusion: null });
      const b = built.step({ fusion: null });
      assert.deepEqual([a.reward, Array.from(a.observation)], [b.reward, Array.from(b.observation)]);
    }
    const three = { decider: new DeciderLayout(3, o.observation!), fusion: new FusionLayout(3, data.maxChoices, 2) };
    assert.throws(() => new EnsembleEnv(data, { window: 5, alpha: 0.6, layouts: three }), /EnsembleEnv: the observation layouts are for 3 models, the dataset has 4/);
    const narrow = { decider: layouts.decider, fusion: new FusionLayout(4, 3, 2) };
    assert.throws(() => new EnsembleEnv(data, { window: 5, alpha: 0.6, layouts: narrow }), /maxChoices must be an integer >= the dataset's 5, got 3/);
  });
});
