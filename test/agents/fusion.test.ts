import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Fusion } from '../../src/agents/fusion';
import { FusionLayout } from '../../src/env/observations';
import { Rng } from '../../src/util/rng';

/** One Fusion observation: `team` members' probability rows over `C` of `Cmax` choices, their votes = argmax. */
function observation(layout: FusionLayout, probs: number[][], team: boolean[], C: number): Float64Array {
  const o = new Float64Array(layout.size);
  probs.forEach((row, i) => {
    if (!team[i]) {
      o[layout.votes + i] = -1;
      return;
    }
    row.forEach((p, c) => (o[i * layout.maxChoices + c] = p));
    o[layout.team + i] = 1;
    o[layout.votes + i] = row.indexOf(Math.max(...row));
  });
  for (let c = 0; c < C; c++) o[layout.choiceMask + c] = 1;
  return o;
}

describe('agents: Fusion.startAsVote', () => {
  it('answers with a plurality winner of the selected models, ties broken by summed probability', () => {
    const N = 5;
    const Cmax = 4;
    const layout = new FusionLayout(N, Cmax, 0);
    const fusion = new Fusion({ layout, architecture: 'per-choice', hidden: [], activation: 'sigmoid', features: ['prob', 'logprob', 'vote'], teamInput: true }, new Rng(1));
    fusion.startAsVote(1);
    const row = (C: number) => fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: C, maxLength: C }).map((w) => w.map((x) => x / w.reduce((a, b) => a + b, 0)));
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: Cmax }).chain((C) => fc.tuple(fc.constant(C), fc.array(row(C), { minLength: N, maxLength: N }), fc.array(fc.boolean(), { minLength: N, maxLength: N }))),
        ([C, probs, team]) => {
          fc.pre(team.some(Boolean));
          const obs = observation(layout, probs, team, C);
          const { choice } = fusion.act(obs, null);
          const votes = new Array<number>(C).fill(0);
          const mass = new Array<number>(C).fill(0);
          probs.forEach((p, i) => {
            if (!team[i]) return;
            votes[obs[layout.votes + i]] += 1;
            p.forEach((q, c) => (mass[c] += q));
          });
          const most = Math.max(...votes);
          assert.equal(votes[choice], most, `choice ${choice} has ${votes[choice]} votes, the plurality has ${most}`);
          for (let c = 0; c < C; c++) if (votes[c] === most) assert.ok(mass[choice] >= mass[c] - 1e-12);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('needs the linear per-choice scorer', () => {
    const layout = new FusionLayout(3, 4, 0);
    const fusion = new Fusion({ layout, architecture: 'per-choice', hidden: [4], activation: 'sigmoid', features: ['prob'], teamInput: false }, new Rng(1));
    assert.throws(() => fusion.startAsVote(1), /fusionInit: 'vote' needs fusionArchitecture 'per-choice' and fusionHidden \[\]/);
  });
});
