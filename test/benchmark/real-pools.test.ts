import assert from 'node:assert/strict';
import { cascadeApplicability } from '../../src/baselines/cascade';
import { knnRouterBaseline } from '../../src/baselines/knn-router';
import { loadSharedPool, sharedPoolAvailable, SHARED_POOL_NAMES, type SharedPoolName } from '../../src/data/shared-pools';

/** Properties of the benchmark's inputs on the real shared pools; each pool is skipped when ../shared is absent. */
const CONFIDENCE: Record<SharedPoolName, boolean> = {
  'bbh-leaderboard': true, // per-choice log-likelihoods
  'emotion-11': true, // per-option logits
  'mmlu-redux-14': false, // answer letters
  'mmlu-helm-10': false,
  'gsm8k-zeroeval-43': false, // one greedy answer each
};

describe('benchmark inputs on the real pools (skipped without ../shared)', function () {
  this.timeout(120000);
  for (const name of SHARED_POOL_NAMES) {
    it(`${name}: every record carries its question; the cascade applies exactly where confidence was recorded`, async function () {
      if (!sharedPoolAvailable(name)) this.skip();
      const data = await loadSharedPool(name);
      assert.ok(data.questions, 'a questions column');
      assert.equal(data.questions!.filter((q) => typeof q === 'string' && q.length > 0).length, data.nQueries);
      assert.equal(cascadeApplicability(data).applicable, CONFIDENCE[name]);
    });
  }

  it('bbh-leaderboard: the kNN router makes one call per query and never falls back (every question has text)', async function () {
    if (!sharedPoolAvailable('bbh-leaderboard')) this.skip();
    const r = knnRouterBaseline(await loadSharedPool('bbh-leaderboard'));
    assert.equal(r.cost.callsPerQuery, 1);
    assert.equal(r.details!.fallbacks, 0);
  });
});
