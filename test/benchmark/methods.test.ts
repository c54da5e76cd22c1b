import assert from 'node:assert/strict';
import { METHOD_FAMILIES, methodRow, storedRowKind, type MethodRow } from '../../src/benchmark/methods';
import { handDataset } from '../baselines/helpers';

describe('benchmark/methods', () => {
  it('every row carries the kind of the result it came from', () => {
    const data = handDataset({
      labels: [0, 1, 0, 1, 0, 1],
      probs: [0, 1, 2, 3, 4, 5].map((q) => [[q % 2 ? 0.2 : 0.9, q % 2 ? 0.8 : 0.1], [0.6, 0.4], [0.3, 0.7]]),
      split: ['train', 'train', 'train', 'train', 'test', 'test'],
    });
    const options = { rl: {}, fusion: false as const };
    for (const name of ['single', 'vote-all', 'oracle']) {
      const rows = METHOD_FAMILIES.find((f) => f.name === name)!.run(data, 0, options).rows;
      assert.ok(rows.length > 0, name);
      for (const r of rows) assert.equal(storedRowKind(r), r.kind);
    }
    const single = METHOD_FAMILIES.find((f) => f.name === 'single')!.run(data, 0, options).rows;
    assert.deepEqual(single.map((r) => r.kind), ['single', 'single', 'single', 'best-single']);
  });

  it('rows stored before rows had a kind get it from their family (and label, for single and fusion)', () => {
    const legacy = (family: string, method: string) => {
      const { kind: _kind, ...row } = methodRow({ kind: 'oracle', method, split: 'test', accuracy: 1, correct: new Uint8Array(), predictions: new Int32Array(), cost: { queries: 0, callsPerQuery: 1, costPer1000: 1, callsPerModel: [] } }, family);
      return row as Omit<MethodRow, 'kind'>;
    };
    assert.equal(storedRowKind(legacy('single', 'single: phi-2')), 'single');
    assert.equal(storedRowKind(legacy('single', 'best single (chosen on train)')), 'best-single');
    assert.equal(storedRowKind(legacy('fusion', 'static focal team + fusion MLP (team overall, chosen on train)')), 'static-team-fusion');
    assert.equal(storedRowKind(legacy('fusion', 'fusion MLP (one network): all 5 models')), 'fusion-mlp');
    assert.equal(storedRowKind(legacy('vote-all', 'soft vote: all 5 models')), 'vote');
    assert.equal(storedRowKind(legacy('rl-focal', 'RL-Focal (library defaults)')), 'rl-focal');
    assert.throws(() => storedRowKind(legacy('nope', 'x')), /unknown method family "nope"/);
  });
});
