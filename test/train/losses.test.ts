import assert from 'node:assert/strict';
import { tf } from '../tfjs';
import { Decider, teamIndex } from '../../src/agents/decider';
import { Fusion, type FusionArchitecture, type FusionFeature } from '../../src/agents/fusion';
import { Mlp } from '../../src/agents/mlp';
import { EnsembleEnv } from '../../src/env/ensemble-env';
import { FusionLayout } from '../../src/env/observations';
import { deciderPpoLoss, deciderReinforceLoss, fusionPpoLoss, fusionReinforceLoss, valueLoss } from '../../src/train/losses';
import { Rng } from '../../src/util/rng';
import { relativeError, tfGradients, tfMlp } from '../agents/tf-reference';
import { syntheticPool } from './synthetic-pool';

/** Every loss's gradient against tfjs autodiff of the same loss written with tf ops (float32 reference). */
const TOL = 1e-6;
const B = 6;
const N = 4;

function decisions(rng: Rng, d: Decider, obs: Float64Array) {
  const teams = new Uint8Array(B * N);
  const old = new Float64Array(B);
  const oldHeads = new Float64Array(B * N);
  const heads = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    const team = teams.subarray(b * N, b * N + N);
    // Old log-probs away from the current ones, so that some ratios fall outside the clip range.
    old[b] = d.act(obs.subarray(b * 5, b * 5 + 5), rng, team, heads) + 0.4 * rng.normal();
    for (let i = 0; i < N; i++) oldHeads[b * N + i] = heads[i] + 0.3 * rng.normal();
  }
  return { teams, old, oldHeads };
}

function tfSurrogate(logp: tf.Tensor, old: tf.Tensor, adv: tf.Tensor, eps: number): tf.Tensor {
  const ratio = tf.exp(tf.sub(logp, old));
  return tf.neg(tf.minimum(tf.mul(ratio, adv), tf.mul(tf.clipByValue(ratio, 1 - eps, 1 + eps), adv)));
}

describe('train/losses: gradients equal tfjs autodiff', () => {
  for (const [ratio, headOutputs] of [
    ['joint', 1],
    ['per-head', 1],
    ['joint', 2],
  ] as const) {
    it(`Decider PPO clipped surrogate + entropy (ratio ${ratio}, ${headOutputs} output(s) per head)`, () => {
      const rng = new Rng(21);
      const d = new Decider({ nModels: N, inputSize: 5, hidden: [8, 6], activation: 'sigmoid', head: 'branching', headOutputs }, rng.fork('init'));
      const obs = Float64Array.from({ length: B * 5 }, () => rng.normal());
      const { teams, old, oldHeads } = decisions(rng.fork('act'), d, obs);
      const adv = Float64Array.from({ length: B }, () => rng.normal());
      const index = Int32Array.from([3, 0, 5, 1, 4, 2]);
      const scale = { mean: 0.2, std: 1.3 };
      d.net.zeroGrad();
      const stats = deciderPpoLoss(
        d,
        { obs, obsSize: 5, teams, oldLogProbs: old, oldHeadLogProbs: oldHeads, advantages: adv },
        index,
        B,
        { epsilon: 0.2, entropyCoef: 0.05, ratio, advantageScale: scale },
        { obs: new Float64Array(B * 5), grad: new Float64Array(B * N) },
      );
      const ref = tfMlp(d.net);
      const rows = Array.from(index);
      const x = tf.tensor2d(rows.flatMap((r) => Array.from(obs.subarray(r * 5, r * 5 + 5))), [B, 5]);
      const a = tf.tensor2d(rows.flatMap((r) => Array.from(teams.subarray(r * N, r * N + N))), [B, N]);
      const A = tf.tensor1d(rows.map((r) => (adv[r] - scale.mean) / scale.std));
      const { value, grads } = tfGradients(ref, () => {
        let z = ref.forward(x);
        if (headOutputs === 2) {
          const pairs = tf.reshape(z, [B, N, 2]);
          z = tf.reshape(tf.sub(tf.slice(pairs, [0, 0, 1], [B, N, 1]), tf.slice(pairs, [0, 0, 0], [B, N, 1])), [B, N]);
        }
        const lpHeads = tf.add(tf.mul(a, tf.neg(tf.softplus(tf.neg(z)))), tf.mul(tf.sub(1, a), tf.neg(tf.softplus(z))));
        const p = tf.sigmoid(z);
        const entropy = tf.sum(tf.add(tf.mul(p, tf.softplus(tf.neg(z))), tf.mul(tf.sub(1, p), tf.softplus(z))), 1);
        const policy =
          ratio === 'joint'
            ? tfSurrogate(tf.sum(lpHeads, 1), tf.tensor1d(rows.map((r) => old[r])), A, 0.2)
            : tf.mean(tfSurrogate(lpHeads, tf.tensor2d(rows.flatMap((r) => Array.from(oldHeads.subarray(r * N, r * N + N))), [B, N]), tf.reshape(A, [B, 1]), 0.2), 1);
        return tf.sub(tf.mean(policy), tf.mul(0.05, tf.mean(entropy))) as tf.Scalar;
      });
      assert.ok(Math.abs(stats.loss - value) < 1e-5, `loss ${stats.loss} vs ${value}`);
      assert.ok(relativeError(d.net.grads, grads) < TOL, `rel. error ${relativeError(d.net.grads, grads)}`);
      assert.ok(stats.clipFraction > 0, 'the test should exercise clipping');
      ref.dispose();
    });
  }

  it("Decider 'joint' head (softmax over all 2^N teams)", () => {
    const rng = new Rng(4);
    const d = new Decider({ nModels: 3, inputSize: 5, hidden: [7], activation: 'tanh', head: 'joint', headOutputs: 1 }, rng.fork('init'));
    const obs = Float64Array.from({ length: B * 5 }, () => rng.normal());
    const teams = new Uint8Array(B * 3);
    const old = new Float64Array(B);
    for (let b = 0; b < B; b++) old[b] = d.act(obs.subarray(b * 5, b * 5 + 5), rng, teams.subarray(b * 3, b * 3 + 3)) + 0.5 * rng.normal();
    const adv = Float64Array.from({ length: B }, () => rng.normal());
    const index = Int32Array.from({ length: B }, (_, k) => k);
    d.net.zeroGrad();
    deciderPpoLoss(
      d,
      { obs, obsSize: 5, teams, oldLogProbs: old, oldHeadLogProbs: new Float64Array(B * 3), advantages: adv },
      index,
      B,
      { epsilon: 0.2, entropyCoef: 0.03, ratio: 'joint' },
      { obs: new Float64Array(B * 5), grad: new Float64Array(B * 8) },
    );
    const ref = tfMlp(d.net);
    const x = tf.tensor2d(Array.from(obs), [B, 5]);
    const actions = tf.tensor1d(Array.from({ length: B }, (_, b) => teamIndex(teams, b * 3, 3)), 'int32');
    const { grads } = tfGradients(ref, () => {
      const lp = tf.logSoftmax(ref.forward(x));
      const taken = tf.sum(tf.mul(lp, tf.oneHot(actions, 8)), 1);
      const entropy = tf.neg(tf.sum(tf.mul(tf.exp(lp), lp), 1));
      return tf.sub(tf.mean(tfSurrogate(taken, tf.tensor1d(Array.from(old)), tf.tensor1d(Array.from(adv)), 0.2)), tf.mul(0.03, tf.mean(entropy))) as tf.Scalar;
    });
    assert.ok(relativeError(d.net.grads, grads) < TOL, `rel. error ${relativeError(d.net.grads, grads)}`);
    ref.dispose();
  });

  for (const architecture of ['flat', 'per-choice'] as FusionArchitecture[]) {
    it(`Fusion PPO clipped surrogate + entropy over variable choice counts (${architecture})`, () => {
      const { obs, layout } = fusionObservations(B);
      const rng = new Rng(8);
      const features: FusionFeature[] = ['prob', 'logprob', 'vote'];
      const fusion = new Fusion({ layout, architecture, hidden: [9], activation: 'sigmoid', features, teamInput: true }, rng.fork('init'));
      const actions = new Int32Array(B);
      const old = new Float64Array(B);
      for (let b = 0; b < B; b++) {
        const act = fusion.act(obs.subarray(b * layout.size, (b + 1) * layout.size), rng);
        actions[b] = act.choice;
        old[b] = act.logProb + 0.4 * rng.normal();
      }
      const adv = Float64Array.from({ length: B }, () => rng.normal());
      const index = Int32Array.from({ length: B }, (_, k) => k);
      fusion.net.zeroGrad();
      const stats = fusionPpoLoss(
        fusion,
        { obs, obsSize: layout.size, actions, oldLogProbs: old, advantages: adv },
        index,
        B,
        { epsilon: 0.2, entropyCoef: 0.02 },
        { obs: new Float64Array(B * layout.size), grad: new Float64Array(B * layout.maxChoices), logp: new Float64Array(B * layout.maxChoices) },
      );
      const ref = tfMlp(fusion.net);
      const { grads, value } = tfGradients(ref, () => {
        const lp = tfFusionLogProbs(ref, obs, layout, features, architecture);
        const taken = tf.sum(tf.mul(lp, tf.oneHot(tf.tensor1d(Array.from(actions), 'int32'), layout.maxChoices)), 1);
        const entropy = tf.neg(tf.sum(tf.mul(tf.exp(lp), lp), 1));
        return tf.sub(tf.mean(tfSurrogate(taken, tf.tensor1d(Array.from(old)), tf.tensor1d(Array.from(adv)), 0.2)), tf.mul(0.02, tf.mean(entropy))) as tf.Scalar;
      });
      assert.ok(Math.abs(stats.loss - value) < 1e-5, `loss ${stats.loss} vs ${value}`);
      assert.ok(relativeError(fusion.net.grads, grads) < TOL, `rel. error ${relativeError(fusion.net.grads, grads)}`);
      ref.dispose();
    });
  }

  it('critic MSE (0.5 * mean (V - R)^2)', () => {
    const rng = new Rng(2);
    const net = new Mlp({ sizes: [6, 8, 1], hiddenActivation: 'tanh' }, rng);
    const states = Float64Array.from({ length: B * 6 }, () => rng.normal());
    const returns = Float64Array.from({ length: B }, () => rng.normal());
    const index = Int32Array.from([5, 4, 3, 2, 1, 0]);
    net.zeroGrad();
    const mse = valueLoss(net, states, 6, returns, index, B, { obs: new Float64Array(B * 6), grad: new Float64Array(B) });
    const ref = tfMlp(net);
    const rows = Array.from(index);
    const x = tf.tensor2d(rows.flatMap((r) => Array.from(states.subarray(r * 6, r * 6 + 6))), [B, 6]);
    const R = tf.tensor2d(rows.map((r) => [returns[r]]), [B, 1]);
    const { value, grads } = tfGradients(ref, () => tf.mul(0.5, tf.mean(tf.square(tf.sub(ref.forward(x), R)))) as tf.Scalar);
    assert.ok(Math.abs(mse / 2 - value) < 1e-6);
    assert.ok(relativeError(net.grads, grads) < TOL, `rel. error ${relativeError(net.grads, grads)}`);
    ref.dispose();
  });

  it("authors' Decider loss: mean over (step, head) of -A * rho with rho = 1 (gradient of -A log pi)", () => {
    const rng = new Rng(12);
    const d = new Decider({ nModels: N, inputSize: 5, hidden: [8], activation: 'relu', head: 'branching', headOutputs: 2 }, rng.fork('init'));
    const obs = Float64Array.from({ length: B * 5 }, () => rng.normal());
    const { teams } = decisions(rng, d, obs);
    const adv = Float64Array.from({ length: B }, () => rng.normal());
    d.net.zeroGrad();
    deciderReinforceLoss(d, { obs, teams, advantages: adv }, B, { grad: new Float64Array(B * N) });
    const ref = tfMlp(d.net);
    const x = tf.tensor2d(Array.from(obs), [B, 5]);
    const a = tf.tensor2d(Array.from(teams), [B, N]);
    const { grads } = tfGradients(ref, () => {
      // Per head: a 2-way softmax, log-prob of the taken action.
      const lp = tf.logSoftmax(tf.reshape(ref.forward(x), [B, N, 2]));
      const taken = tf.sum(tf.mul(lp, tf.oneHot(tf.cast(a, 'int32'), 2)), 2);
      return tf.neg(tf.mean(tf.mul(taken, tf.reshape(tf.tensor1d(Array.from(adv)), [B, 1])))) as tf.Scalar;
    });
    assert.ok(relativeError(d.net.grads, grads) < TOL, `rel. error ${relativeError(d.net.grads, grads)}`);
    ref.dispose();
  });

  it("authors' Fusion loss: -sum A * pi(answer) (probability, not log-probability)", () => {
    const { obs, layout } = fusionObservations(B);
    const rng = new Rng(5);
    const features: FusionFeature[] = ['exp-prob'];
    const fusion = new Fusion({ layout, architecture: 'flat', hidden: [7, 5], activation: 'sigmoid', features, teamInput: false, biasInit: 0.01 }, rng);
    const actions = Int32Array.from({ length: B }, (_, b) => fusion.act(obs.subarray(b * layout.size, (b + 1) * layout.size), null).choice);
    const adv = Float64Array.from({ length: B }, () => rng.normal());
    fusion.net.zeroGrad();
    fusionReinforceLoss(fusion, { obs, actions, advantages: adv }, B, { grad: new Float64Array(B * layout.maxChoices), logp: new Float64Array(B * layout.maxChoices) });
    const ref = tfMlp(fusion.net);
    const { grads } = tfGradients(ref, () => {
      const p = tf.exp(tfFusionLogProbs(ref, obs, layout, features, 'flat'));
      const taken = tf.sum(tf.mul(p, tf.oneHot(tf.tensor1d(Array.from(actions), 'int32'), layout.maxChoices)), 1);
      return tf.neg(tf.sum(tf.mul(taken, tf.tensor1d(Array.from(adv))))) as tf.Scalar;
    });
    assert.ok(relativeError(fusion.net.grads, grads) < TOL, `rel. error ${relativeError(fusion.net.grads, grads)}`);
    ref.dispose();
  });
});

/** B fusion observations from the environment: random teams (never empty), choice counts 2..5 padded to 5. */
function fusionObservations(n: number): { obs: Float64Array; layout: FusionLayout } {
  const data = syntheticPool({ topics: [{ name: 'a', expert: 1, queries: 40 }], nModels: N, nChoices: [2, 3, 5], seed: 9 });
  const env = new EnsembleEnv(data, { window: 3, observation: { metrics: ['focal_diversity'], mode: 'separate', teamSize: 'fraction' }, fusionRecentRewards: 1, alpha: 0 });
  const layout = env.fusionLayout;
  const obs = new Float64Array(n * layout.size);
  const rng = new Rng(1);
  env.reset();
  for (let b = 0; b < n; b++) {
    const team = Array.from({ length: N }, () => (rng.next() < 0.6 ? 1 : 0));
    team[b % N] = 1;
    obs.set(env.step({ decider: team }).observation, b * layout.size);
    env.step({ fusion: null });
  }
  return { obs, layout };
}

/** The Fusion network's log-probabilities written independently with tf ops (features rebuilt from the layout). */
function tfFusionLogProbs(ref: ReturnType<typeof tfMlp>, obs: Float64Array, L: FusionLayout, features: FusionFeature[], architecture: FusionArchitecture): tf.Tensor2D {
  const Cmax = L.maxChoices;
  const n = obs.length / L.size;
  const feature = (f: FusionFeature, o: number, i: number, c: number): number => {
    if (obs[o + L.team + i] !== 1 || obs[o + L.choiceMask + c] !== 1) return 0;
    const p = obs[o + i * Cmax + c];
    if (f === 'prob') return p;
    if (f === 'exp-prob') return Math.exp(p);
    if (f === 'vote') return obs[o + L.votes + i] === c ? 1 : 0;
    return p > 0 ? Math.max(0, 1 + Math.log(p) / 10) : 0;
  };
  const context = (o: number): number[] => {
    const out: number[] = [];
    if (ref.variables[0].shape[1] !== undefined) {
      const inputs = ref.variables[0].shape[1]!;
      const base = architecture === 'flat' ? features.length * L.nModels * Cmax : features.length * L.nModels;
      if (inputs - base - L.recentRewards === L.nModels) for (let i = 0; i < L.nModels; i++) out.push(obs[o + L.team + i]);
    }
    for (let r = 0; r < L.recentRewards; r++) out.push(obs[o + L.rewards + r]);
    return out;
  };
  const mask: number[] = [];
  for (let b = 0; b < n; b++) for (let c = 0; c < Cmax; c++) mask.push(obs[b * L.size + L.choiceMask + c] === 1 ? 0 : -1e9);
  let logits: tf.Tensor2D;
  if (architecture === 'flat') {
    const rows: number[][] = [];
    for (let b = 0; b < n; b++) {
      const o = b * L.size;
      const row: number[] = [];
      for (const f of features) for (let i = 0; i < L.nModels; i++) for (let c = 0; c < Cmax; c++) row.push(feature(f, o, i, c));
      rows.push([...row, ...context(o)]);
    }
    logits = ref.forward(tf.tensor2d(rows));
  } else {
    const rows: number[][] = [];
    const at: number[] = [];
    for (let b = 0; b < n; b++) {
      const o = b * L.size;
      for (let c = 0; c < Cmax; c++) {
        if (obs[o + L.choiceMask + c] !== 1) {
          at.push(0);
          continue;
        }
        at.push(rows.length);
        const row: number[] = [];
        for (const f of features) for (let i = 0; i < L.nModels; i++) row.push(feature(f, o, i, c));
        rows.push([...row, ...context(o)]);
      }
    }
    const perRow = tf.reshape(ref.forward(tf.tensor2d(rows)), [rows.length]);
    logits = tf.reshape(tf.gather(perRow, tf.tensor1d(at, 'int32')), [n, Cmax]);
  }
  return tf.logSoftmax(tf.add(logits, tf.tensor2d(mask, [n, Cmax]))) as tf.Tensor2D;
}
