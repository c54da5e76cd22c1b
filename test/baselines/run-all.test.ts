import assert from 'node:assert/strict';
import { resultRows, subtaskBreakdown } from '../../src/baselines/report';
import { runAllBaselines } from '../../src/baselines/run-all';
import { findMethod, type MethodQuery } from '../../src/eval/method-kind';
import { Rng } from '../../src/util/rng';
import { handDataset } from './helpers';

/** 4 models x 3 subtasks x 40 queries (3 choices); each model's skill depends on the subtask. */
function syntheticPool(seed: number) {
  const rng = new Rng(seed);
  const skill = [
    [0.8, 0.3, 0.5],
    [0.4, 0.8, 0.5],
    [0.5, 0.5, 0.7],
    [0.6, 0.6, 0.3],
  ];
  const labels: number[] = [];
  const probs: number[][][] = [];
  const subtasks: string[] = [];
  const split: Array<'train' | 'test'> = [];
  for (let s = 0; s < 3; s++) {
    for (let q = 0; q < 40; q++) {
      const y = rng.int(3);
      labels.push(y);
      subtasks.push(`s${s}`);
      split.push(q < 30 ? 'train' : 'test');
      probs.push(
        skill.map((row) => {
          const favoured = rng.next() < row[s] ? y : rng.int(3);
          const p = [rng.next(), rng.next(), rng.next()];
          p[favoured] += 2;
          const sum = p[0] + p[1] + p[2];
          return p.map((v) => v / sum);
        }),
      );
    }
  }
  return handDataset({ labels, probs, subtasks, split });
}

describe('baselines/runAllBaselines', () => {
  const pool = syntheticPool(3);
  const fusion = { epochs: 5 };

  it('runs every baseline on the same split with the shared result shape', () => {
    const seen: string[] = [];
    const results = runAllBaselines(pool, { seed: 1, fusion, onResult: (r) => seen.push(r.method) });
    const methods = results.map((r) => r.method);
    assert.deepEqual(seen, methods);
    assert.equal(new Set(methods).size, methods.length, 'method names are unique');
    for (const r of results) {
      assert.equal(r.split, 'test');
      assert.equal(r.correct.length, 30);
      assert.equal(r.predictions.length, 30);
      assert.equal(r.cost.queries, 30);
      assert.ok(r.accuracyMacro !== undefined && r.accuracy >= 0 && r.accuracy <= 1);
    }
    // 4 singles, best single (+ per subtask), 3 votes, greedy k = 2..4 twice, static team x2, best team x2,
    // fusion x3, 3 routers, oracle.
    assert.equal(results.length, 4 + 2 + 3 + 6 + 2 + 2 + 3 + 3 + 1);
    const rows = resultRows(results);
    assert.equal(rows.length, results.length);
    assert.equal(subtaskBreakdown(pool, results[0]).length, 3);
  });

  it('on the train split, choices made on train rank as they must, and the oracle bounds every non-learned method', () => {
    const results = runAllBaselines(pool, { split: 'train', seed: 1, fusion: false, router: false });
    const acc = (prefix: string) => results.find((r) => r.method.startsWith(prefix))!.accuracy;
    const oracle = acc('oracle');
    for (const r of results) assert.ok(r.accuracy <= oracle, `${r.method} above the oracle`);
    const singles = results.filter((r) => r.method.startsWith('single:')).map((r) => r.accuracy);
    assert.equal(acc('best single (chosen'), Math.max(...singles));
    assert.ok(acc('best single per subtask') >= acc('best single (chosen'));
    assert.ok(acc('best soft-vote team per subtask') >= acc('best single per subtask'));
    assert.ok(acc('best soft-vote team per subtask') >= acc('best soft-vote team overall'));
    assert.ok(acc('best soft-vote team overall') >= acc('soft vote: all'));
  });

  it('each result carries its kind: a kind lookup finds what the label lookup found', () => {
    const results = runAllBaselines(pool, { seed: 1, fusion, selfConsistencySamples: 3 });
    const byLabel = (prefix: string) => results.find((r) => r.method.startsWith(prefix));
    const pairs: Array<[string, MethodQuery]> = [
      ['oracle', { kind: 'oracle' }],
      ['soft vote', { kind: 'vote', rule: 'soft' }],
      ['plurality vote', { kind: 'vote', rule: 'plurality' }],
      ['majority vote', { kind: 'vote', rule: 'majority' }],
      ['best single (chosen on train)', { kind: 'best-single', perSubtask: false }],
      ['best single per subtask', { kind: 'best-single', perSubtask: true }],
      ['best soft-vote team per subtask', { kind: 'best-team', rule: 'soft', perSubtask: true }],
      ['best soft-vote team overall', { kind: 'best-team', rule: 'soft', perSubtask: false }],
      ['static focal team + plurality (overall', { kind: 'static-team', perSubtask: false }],
      ['static focal team + plurality (per subtask', { kind: 'static-team', perSubtask: true }],
      ['static focal team + fusion MLP (team overall', { kind: 'static-team-fusion', perSubtask: false }],
      ['static focal team + fusion MLP (team per subtask', { kind: 'static-team-fusion', perSubtask: true }],
      ['fusion MLP', { kind: 'fusion-mlp' }],
      ['random select', { kind: 'random-select' }],
      ['latest correct', { kind: 'latest-correct' }],
      ['router:', { kind: 'threshold-router' }],
      ['self-consistency', { kind: 'self-consistency' }],
      ['single:', { kind: 'single' }],
    ];
    for (const [prefix, query] of pairs) {
      const expected = byLabel(prefix);
      assert.ok(expected, `no result labelled "${prefix}..."`);
      assert.equal(findMethod(results, query), expected, `${JSON.stringify(query)} vs "${prefix}"`);
    }
    const kinds = (test: (m: string) => boolean) => new Set(results.filter((r) => test(r.method)).map((r) => r.kind));
    assert.deepEqual(kinds((m) => m.startsWith('single:')), new Set(['single']));
    assert.deepEqual(kinds((m) => m.startsWith('random select') || m.startsWith('latest correct')), new Set(['random-select', 'latest-correct']));
  });

  it('options switch groups off and add self-consistency', () => {
    const results = runAllBaselines(pool, { fusion: false, router: false, greedyK: [], singles: false, perSubtask: false, selfConsistencySamples: 5 });
    const methods = results.map((r) => r.method);
    assert.ok(!methods.some((m) => /fusion|router|random|latest|per subtask|^single/.test(m)));
    assert.equal(methods.filter((m) => m.startsWith('self-consistency')).length, 4);
    assert.equal(results.find((r) => r.method.startsWith('self-consistency'))!.cost.callsPerQuery, 5);
  });
});
