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
  const N = 5;
  const Cmax = 4;
  const layout = new FusionLayout(N, Cmax, 0);
  const voting = () => {
    const fusion = new Fusion({ layout, architecture: 'per-choice', hidden: [], activation: 'sigmoid', features: ['prob', 'logprob', 'vote'], teamInput: true }, new Rng(1));
    fusion.startAsVote(1);
    return fusion;
  };
  /** Votes plus summed probability of each choice over the selected models (what startAsVote scores). */
  const scores = (obs: Float64Array, probs: number[][], team: boolean[], C: number) => {
    const out = new Array<number>(C).fill(0);
    probs.forEach((p, i) => {
      if (!team[i]) return;
      out[obs[layout.votes + i]] += 1;
      p.forEach((q, c) => (out[c] += q));
    });
    return out;
  };

  it('answers with the choice of most votes plus summed probability of the selected models', () => {
    const fusion = voting();
    const row = (C: number) => fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: C, maxLength: C }).map((w) => w.map((x) => x / w.reduce((a, b) => a + b, 0)));
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: Cmax }).chain((C) => fc.tuple(fc.constant(C), fc.array(row(C), { minLength: N, maxLength: N }), fc.array(fc.boolean(), { minLength: N, maxLength: N }))),
        ([C, probs, team]) => {
          fc.pre(team.some(Boolean));
          const obs = observation(layout, probs, team, C);
          const { choice } = fusion.act(obs, null);
          const s = scores(obs, probs, team, C);
          assert.ok(s[choice] >= Math.max(...s) - 1e-9, `choice ${choice} scores ${s[choice]}, the best ${Math.max(...s)}`);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('a confident minority outscores a hesitant majority (a hard and a soft vote added, not plurality)', () => {
    const probs = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.001, 0.999], [0.001, 0.999]];
    const team = [true, true, true, true, true];
    const obs = observation(layout, probs, team, 2);
    for (let i = 0; i < 3; i++) obs[layout.votes + i] = 0; // the three hesitant models vote A (argmax ties -> first)
    assert.equal(voting().act(obs, null).choice, 1, 'A: 3 votes + 1.502; B: 2 votes + 3.498');
  });

  it('needs the linear per-choice scorer', () => {
    const fusion = new Fusion({ layout: new FusionLayout(3, 4, 0), architecture: 'per-choice', hidden: [4], activation: 'sigmoid', features: ['prob'], teamInput: false }, new Rng(1));
    assert.throws(() => fusion.startAsVote(1), /fusionInit: 'vote' needs fusionArchitecture 'per-choice' and fusionHidden \[\]/);
  });
});
