import assert from 'node:assert/strict';
import { choiceShares, type AlignedStream } from '../../src/sim/aligned-stream';
import { AlignedDecider, DEFAULT_ALIGNED_DECIDER, runAlignedPass } from '../../src/train/aligned-decider';

describe('train/aligned-decider', () => {
  it('the Decider learns a model that always scores when the others never do', () => {
    const T = 600;
    const scores = new Float64Array(T * 3);
    for (let t = 0; t < T; t++) scores[t * 3 + 2] = 1;
    const stream: AlignedStream = { scores, tasks: new Uint8Array(T).fill(1), length: T };
    const decider = new AlignedDecider({ ...DEFAULT_ALIGNED_DECIDER, lr: 1e-2, gamma: 0, seed: 3 });
    for (let e = 0; e < 4; e++) runAlignedPass(decider, stream, true);
    const shares = choiceShares(stream, runAlignedPass(decider, stream, false));
    assert.ok(shares[1][2] > 0.9, `share of the scoring model ${shares[1][2]}`);
  });

});
