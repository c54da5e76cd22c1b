import assert from 'node:assert/strict';
import fc from 'fast-check';
import { explainedVariance } from '../../src/train/mappo';
import { normalisedReturns } from '../../src/train/reinforce';
import { RolloutBuffer } from '../../src/train/rollout-buffer';

function buffer(rewards: number[], vD: number[], vF: number[], dones: number[]): RolloutBuffer {
  const b = new RolloutBuffer({ capacity: rewards.length, nModels: 1, deciderObs: 1, deciderState: 1, fusionObs: 1, fusionState: 1 });
  rewards.forEach((r, t) => {
    const decider = { obs: [0], state: [0], value: vD[t], team: [1], logProb: 0, headLogProbs: [0] };
    b.add(decider, { obs: [0], state: [0], value: vF[t], action: 0, logProb: 0, acted: true }, r, dones[t] === 1);
  });
  return b;
}

describe('train/gae', () => {
  it("Decider advantages are ordinary GAE on the Decider's values, the Fusion agent's follow from its own value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.record({
            rewards: fc.array(fc.double({ min: -2, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
            vD: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
            vF: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
            dones: fc.array(fc.constantFrom(0, 0, 0, 1), { minLength: n, maxLength: n }),
            next: fc.double({ min: -2, max: 2, noNaN: true }),
            gamma: fc.double({ min: 0, max: 1, noNaN: true }),
            lambda: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
        ),
        ({ rewards, vD, vF, dones, next, gamma, lambda }) => {
          const n = rewards.length;
          const b = buffer(rewards, vD, vF, dones);
          b.computeReturnsAndAdvantages(next, gamma, lambda);
          const valueAfter = (t: number): number => (dones[t] ? 0 : t + 1 < n ? vD[t + 1] : next);
          for (let t = 0; t < n; t++) {
            // Direct sum: A_D(t) = sum_l (gamma lambda)^l delta_{t+l}, stopping after a done step.
            let a = 0;
            let w = 1;
            for (let k = t; k < n; k++) {
              a += w * (rewards[k] + gamma * valueAfter(k) - vD[k]);
              if (dones[k]) break;
              w *= gamma * lambda;
            }
            assert.ok(Math.abs(b.deciderAdvantages[t] - a) < 1e-9, `A_D(${t})`);
            const aNext = dones[t] || t + 1 >= n ? 0 : b.deciderAdvantages[t + 1];
            const aF = rewards[t] + gamma * valueAfter(t) - vF[t] + gamma * lambda * aNext;
            assert.ok(Math.abs(b.fusionAdvantages[t] - aF) < 1e-9, `A_F(${t})`);
            assert.ok(Math.abs(b.deciderReturns[t] - (b.deciderAdvantages[t] + vD[t])) < 1e-12);
            assert.ok(Math.abs(b.fusionReturns[t] - (b.fusionAdvantages[t] + vF[t])) < 1e-12);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("authors' returns: discounted over the batch, normalised with the Bessel-corrected std (torch)", () => {
    const out = normalisedReturns([1, -1, 1], 3, 0.5, new Float64Array(3));
    const g = [1 + 0.5 * (-1 + 0.5 * 1), -1 + 0.5 * 1, 1];
    const mean = (g[0] + g[1] + g[2]) / 3;
    const std = Math.sqrt(g.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    g.forEach((x, t) => assert.ok(Math.abs(out[t] - (x - mean) / (std + 1e-9)) < 1e-12));
  });

  it('explained variance is 1 for perfect values and 0 for the constant mean', () => {
    const R = Float64Array.from([1, -1, 0.5, 2]);
    assert.equal(explainedVariance(R, R, 4), 1);
    assert.ok(Math.abs(explainedVariance(new Float64Array(4).fill(0.625), R, 4)) < 1e-12);
  });
});
