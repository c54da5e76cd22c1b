import assert from 'node:assert/strict';
import { costSummary } from '../../src/data/cost';
import { findMethod, isMethod, type MethodIdentity } from '../../src/eval/method-kind';
import { withIdentity, type MethodResult } from '../../src/eval/result';

const result = (identity: MethodIdentity): MethodResult => ({
  ...identity,
  split: 'test',
  accuracy: 1,
  correct: Uint8Array.of(1),
  predictions: Int32Array.of(0),
  cost: costSummary([{ id: 'a', priceCents: 1 }], [1], 1),
  details: { note: 'kept' },
});

describe('eval/method-kind', () => {
  const soft = result({ kind: 'vote', rule: 'soft', method: 'soft vote: all 3 models' });
  const plurality = result({ kind: 'vote', rule: 'plurality', method: 'plurality vote: all 3 models' });
  const teamPer = result({ kind: 'best-team', rule: 'soft', perSubtask: true, method: 'best soft-vote team per subtask' });
  const teamAll = result({ kind: 'best-team', rule: 'soft', perSubtask: false, method: 'best soft-vote team overall' });
  const best = result({ kind: 'best-single', method: 'best single' });
  const all = [soft, plurality, teamAll, teamPer, best];

  it('a query matches on kind and on each variant it names, whatever the label says', () => {
    assert.equal(findMethod(all, { kind: 'vote', rule: 'plurality' }), plurality);
    assert.equal(findMethod(all, { kind: 'vote' }), soft, 'no rule named: the first vote');
    assert.equal(findMethod(all, { kind: 'best-team', rule: 'soft', perSubtask: true }), teamPer);
    assert.equal(findMethod(all, { kind: 'best-team', perSubtask: false }), teamAll);
    assert.equal(findMethod(all, { kind: 'oracle' }), undefined);
    const renamed: MethodResult = { ...soft, method: 'renamed' };
    assert.ok(isMethod(renamed, { kind: 'vote', rule: 'soft' }), 'the label plays no part');
  });

  it('an absent perSubtask counts as a choice made once overall', () => {
    assert.ok(isMethod(best, { kind: 'best-single', perSubtask: false }));
    assert.ok(!isMethod(best, { kind: 'best-single', perSubtask: true }));
  });

  it('withIdentity replaces kind, variants and label and keeps everything else', () => {
    const served = withIdentity(teamPer, { kind: 'rl-focal', method: 'RL-Focal' });
    assert.equal(served.kind, 'rl-focal');
    assert.equal(served.method, 'RL-Focal');
    assert.ok(!('rule' in served) && !('perSubtask' in served), 'the team\'s variants do not leak into RL-Focal');
    assert.equal(served.correct, teamPer.correct);
    assert.deepEqual(served.details, { note: 'kept' });
    assert.deepEqual(withIdentity(soft, { kind: 'top-k-vote', rule: 'soft', method: 'top 2' }).rule, 'soft');
  });
});
