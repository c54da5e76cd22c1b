/**
 * RL-Focal speed: environment steps per second, per-query inference latency (paper Table 7: 0.014 s), the cost of
 * our typed-array networks against tfjs doing the same maths, and the full BBH schedule (24 subtasks, window 10,
 * 15 + 15 episodes; the authors' code needs 114 s).
 */
import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../src/agents/mlp';
import { bbhLeaderboardAvailable, loadBbhLeaderboard } from '../src/data/bbh';
import { Dataset, TRAIN } from '../src/data/dataset';
import { EnsembleEnv } from '../src/env/ensemble-env';
import { createAgents } from '../src/train/agents';
import { resolveConfig } from '../src/train/config';
import { authorsCodeBbh, bbhLeaderboard } from '../src/train/presets';
import { trainPerSubtask } from '../src/train/train-rl-focal';
import { Rng } from '../src/util/rng';

function syntheticDataset(N: number, C: number, T: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const probs = new Float64Array(T * N * C);
  for (let k = 0; k < probs.length; k += C) {
    let s = 0;
    for (let c = 0; c < C; c++) s += probs[k + c] = rng.next();
    for (let c = 0; c < C; c++) probs[k + c] /= s;
  }
  return new Dataset({
    models: Array.from({ length: N }, (_, i) => ({ id: `m${i}`, priceCents: 0.1 })),
    choiceCounts: new Uint8Array(T).fill(C),
    labels: Int32Array.from({ length: T }, () => rng.int(C)),
    probs,
    taskIds: new Uint16Array(T),
    taskNames: ['bench'],
    subtaskIds: new Uint16Array(T),
    subtaskNames: ['bench'],
    split: new Uint8Array(T).fill(TRAIN),
    provenance: { kind: 'synthetic', source: 'bench/rl.ts' },
  });
}

function timeIt(fn: () => void, minMs = 300): number {
  fn();
  let n = 0;
  const t0 = performance.now();
  do {
    fn();
    n++;
  } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / n;
}

export async function run(): Promise<void> {
  const N = 5;
  const C = 4;
  const config = resolveConfig({ ...bbhLeaderboard });
  const data = syntheticDataset(N, C, 2000, 1);
  const env = new EnsembleEnv(data, {
    window: 10,
    observation: { metrics: config.deciderMetrics, mode: config.deciderObservation, weights: config.deciderMetricWeights, teamSize: config.teamSizeScale },
    fusionRecentRewards: 0,
    alpha: 0.6,
  });
  const rng = new Rng(2);
  const team = new Uint8Array(N);

  // 1. Environment alone: random teams, interim plurality answers, window metrics every step.
  const episode = (): void => {
    env.reset();
    for (;;) {
      for (let i = 0; i < N; i++) team[i] = rng.next() < 0.6 ? 1 : 0;
      env.step({ decider: team });
      if (env.step({ fusion: null }).done) break;
    }
  };
  const msPerEpisode = timeIt(episode);
  console.log(`env: ${((env.episodeLength / msPerEpisode) * 1000).toFixed(0)} steps/s (N = ${N}, C = ${C}, w = 10, metrics ${config.deciderMetrics.join('+')})`);

  // 2. Per-query inference latency of the trained system: Decider, environment, Fusion agent.
  const agents = createAgents(config, N, C);
  const serve = (): void => {
    let o1 = env.reset();
    for (;;) {
      agents.decider.act(o1, null, team);
      const turn = env.step({ decider: team });
      const answer = turn.teamSize > 0 ? agents.fusion.act(turn.observation, null).choice : -1;
      const out = env.step({ fusion: answer });
      if (out.done) break;
      o1 = out.observation;
    }
  };
  const usPerQuery = (timeIt(serve) / env.episodeLength) * 1000;
  console.log(`inference: ${usPerQuery.toFixed(1)} us per query (Decider + env + Fusion); paper Table 7: 14 ms -> ${(14000 / usPerQuery).toFixed(0)}x`);

  // 3. Our networks vs tfjs on the same maths: per-step forward (batch 1) and a minibatch forward+backward.
  await tf.ready();
  const sizes = [agents.fusionLayout.size + agents.deciderLayout.size, ...config.criticHidden, 1];
  const net = new Mlp({ sizes, hiddenActivation: 'tanh' }, new Rng(3));
  const x1 = Float64Array.from({ length: sizes[0] }, () => rng.normal());
  const B = config.minibatchSize;
  const xb = Float64Array.from({ length: B * sizes[0] }, () => rng.normal());
  const gb = new Float64Array(B).fill(0.1);
  const ws: tf.Variable[] = [];
  for (let l = 1; l < sizes.length; l++) {
    ws.push(tf.variable(tf.randomNormal([sizes[l - 1], sizes[l]], 0, 0.1)));
    ws.push(tf.variable(tf.zeros([sizes[l]])));
  }
  const tfForward = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    for (let l = 0; l < ws.length; l += 2) {
      h = tf.add(tf.matMul(h, ws[l] as unknown as tf.Tensor2D), ws[l + 1]);
      if (l + 2 < ws.length) h = tf.tanh(h);
    }
    return h;
  };
  const oursStep = timeIt(() => net.forward(x1, 1));
  const x1f = Float32Array.from(x1);
  const tfStep = timeIt(() => tf.tidy(() => tfForward(tf.tensor2d(x1f, [1, sizes[0]])).dataSync()));
  const oursUpdate = timeIt(() => {
    net.forward(xb, B);
    net.backward(gb, B);
  });
  const g1 = Float64Array.of(0.1);
  const oursStepBackward = timeIt(() => {
    net.forward(x1, 1);
    net.backward(g1, 1);
  });
  const tfBackward = (x: tf.Tensor2D) => (): void => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tfForward(x)) as tf.Scalar, ws);
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
  };
  const x1t = tf.tensor2d(x1f, [1, sizes[0]]);
  const xbt = tf.tensor2d(Float32Array.from(xb), [B, sizes[0]]);
  const tfStepBackward = timeIt(tfBackward(x1t));
  const tfUpdate = timeIt(tfBackward(xbt));
  const us = (ms: number): string => `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} us`;
  console.log(`networks vs tfjs (${tf.getBackend()} backend, float32), critic ${sizes.join('-')}:`);
  console.log(`  per-step forward           ${us(oursStep)} vs ${us(tfStep)} (tfjs/ours ${(tfStep / oursStep).toFixed(0)}x)`);
  console.log(`  per-step forward+backward  ${us(oursStepBackward)} vs ${us(tfStepBackward)} (tfjs/ours ${(tfStepBackward / oursStepBackward).toFixed(0)}x)`);
  console.log(`  minibatch ${B} fwd+backward  ${us(oursUpdate)} vs ${us(tfUpdate)} (tfjs/ours ${(tfUpdate / oursUpdate).toFixed(0)}x)`);
  ws.forEach((w) => w.dispose());
  x1t.dispose();
  xbt.dispose();

  // 4. The full BBH schedule.
  if (!bbhLeaderboardAvailable()) {
    console.log('BBH schedule: skipped (shared/data/bbh-leaderboard not found)');
    return;
  }
  const bbh = await loadBbhLeaderboard();
  for (const [name, preset] of [
    ['presets.bbhLeaderboard (MAPPO)', bbhLeaderboard],
    ["presets.authorsCodeBbh (authors' REINFORCE)", authorsCodeBbh],
  ] as const) {
    const cpu0 = process.cpuUsage();
    const result = trainPerSubtask(bbh, { ...preset, seed: 0 });
    const cpu = process.cpuUsage(cpu0);
    const cfg = resolveConfig(preset);
    console.log(
      `BBH schedule, ${name}: 24 subtasks, w = ${cfg.window}, ${cfg.deciderEpisodes} + ${cfg.fusionEpisodes} episodes: ${result.wallSeconds.toFixed(2)} s wall, ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (authors' code: 114 s -> ${(114 / result.wallSeconds).toFixed(0)}x); test micro accuracy ${result.test.accuracy.toFixed(4)} (seed 0)`,
    );
  }
}
