import { Adam } from '../agents/adam';
import { Mlp } from '../agents/mlp';
import type { Dataset } from '../data/dataset';
import { Rng } from '../util/rng';
import { choosePerSubtask, evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import type { EvalOptions } from './single';
import { allModels, checkTeam, teamLabel } from './team';

/**
 * Supervised fusion in the style of LLM-TOPLA (Tekin et al. 2024a): a small MLP reads the team members'
 * probability vectors, concatenated and zero-padded to a common width, and outputs one logit per choice. Padded
 * choices get a large negative bias, so neither the loss nor the answer can land on a choice the query lacks.
 * Trained by cross-entropy on train with Adam, on the library's typed-array `Mlp` (Xavier-uniform weights from the
 * seeded Rng, zero biases) and mini-batches in an Rng-shuffled order, so a seed fixes the result bit for bit.
 */
export interface FusionMlpConfig {
  /** Hidden layer widths (ReLU). Default [32]. */
  hidden?: number[];
  /** Passes over the training queries. Default 60. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam learning rate. Default 0.01. */
  learningRate?: number;
  /** L2 penalty on the weight matrices (not biases). Default 1e-4. */
  l2?: number;
}

const PAD_BIAS = -1e9;
/** Adam's epsilon: tfjs' float32 default, which this network was first trained with. */
const ADAM_EPS = 1e-7;

interface Features {
  /** n x (m * width) member probabilities, zero-padded. */
  x: Float64Array;
  /** n x width: 0 for a real choice, PAD_BIAS for padding. */
  mask: Float64Array;
  n: number;
}

function buildFeatures(dataset: Dataset, team: Int32Array, queries: ArrayLike<number>, width: number): Features {
  const n = queries.length;
  const m = team.length;
  const x = new Float64Array(n * m * width);
  const mask = new Float64Array(n * width);
  for (let q = 0; q < n; q++) {
    const t = queries[q];
    const c = dataset.choiceCounts[t];
    if (c > width) throw new RangeError(`fusion MLP: query ${t} has ${c} choices, the network is ${width} wide`);
    for (let j = 0; j < m; j++) x.set(dataset.probRow(t, team[j]), (q * m + j) * width);
    mask.fill(PAD_BIAS, q * width + c, (q + 1) * width);
  }
  return { x, mask, n };
}

/** One trained fusion network for a fixed team and width. */
export class FusionMlp {
  private readonly net: Mlp;
  /** [start, end) of each weight matrix in `net.params` (the L2 penalty skips the biases between them). */
  private readonly weightRanges: Array<[number, number]> = [];

  constructor(
    readonly inputDim: number,
    readonly width: number,
    readonly config: Required<FusionMlpConfig>,
    rng: Rng,
  ) {
    const sizes = [inputDim, ...config.hidden, width];
    this.net = new Mlp({ sizes, hiddenActivation: 'relu', outputActivation: 'identity', biasInit: 0 }, rng);
    // Mlp's flat layout: per layer, the weights W[out][in] and then the biases.
    let offset = 0;
    for (let l = 1; l < sizes.length; l++) {
      this.weightRanges.push([offset, offset + sizes[l] * sizes[l - 1]]);
      offset += sizes[l] * sizes[l - 1] + sizes[l];
    }
  }

  /** Trains on the given features and labels; returns the mean training loss of the last epoch. */
  fit(features: Features, labels: Int32Array, rng: Rng): number {
    const { n } = features;
    if (n === 0) throw new RangeError('FusionMlp.fit: no training queries');
    const { epochs, batchSize, learningRate, l2 } = this.config;
    const { inputDim, width, net } = this;
    const optimizer = new Adam(net.nParams, { lr: learningRate, eps: ADAM_EPS });
    const xb = new Float64Array(batchSize * inputDim);
    const mb = new Float64Array(batchSize * width);
    const yb = new Int32Array(batchSize);
    const dLogits = new Float64Array(batchSize * width);
    const order = Int32Array.from({ length: n }, (_, q) => q);
    let lastEpochLoss = NaN;
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      let lossSum = 0;
      for (let start = 0; start < n; start += batchSize) {
        const b = Math.min(n, start + batchSize) - start;
        for (let r = 0; r < b; r++) {
          const q = order[start + r];
          xb.set(features.x.subarray(q * inputDim, (q + 1) * inputDim), r * inputDim);
          mb.set(features.mask.subarray(q * width, (q + 1) * width), r * width);
          yb[r] = labels[q];
        }
        net.zeroGrad();
        const logits = net.forward(xb, b);
        const loss = maskedSoftmaxCrossEntropy(logits, mb, yb, b, width, dLogits) + this.l2Penalty(l2);
        net.backward(dLogits, b);
        optimizer.step(net.params, net.grads);
        lossSum += loss * b;
      }
      lastEpochLoss = lossSum / n;
    }
    return lastEpochLoss;
  }

  /** l2 * sum of squared weights; adds its gradient (2 l2 w) to the network's gradients. */
  private l2Penalty(l2: number): number {
    if (l2 === 0) return 0;
    const { params, grads } = this.net;
    let squares = 0;
    for (const [from, to] of this.weightRanges) {
      for (let k = from; k < to; k++) {
        squares += params[k] * params[k];
        grads[k] += 2 * l2 * params[k];
      }
    }
    return l2 * squares;
  }

  /** Argmax over the real choices of each query (the first on a tie). */
  predict(features: Features): Int32Array {
    const { n } = features;
    const out = new Int32Array(n);
    const w = this.width;
    for (let q = 0; q < n; q++) {
      const logits = this.net.forward(features.x.subarray(q * this.inputDim, (q + 1) * this.inputDim));
      let best = 0;
      for (let c = 1; c < w; c++) if (logits[c] + features.mask[q * w + c] > logits[best] + features.mask[q * w + best]) best = c;
      out[q] = best;
    }
    return out;
  }
}

/**
 * Mean softmax cross-entropy of `b` rows of masked logits against integer labels; writes d(loss)/d(logits) into `grad`.
 * The mask is added before the softmax, so a padded choice gets probability 0 and no gradient.
 */
export function maskedSoftmaxCrossEntropy(logits: Float64Array, mask: Float64Array, labels: Int32Array, b: number, width: number, grad: Float64Array): number {
  let loss = 0;
  for (let r = 0; r < b; r++) {
    const o = r * width;
    let max = -Infinity;
    for (let c = 0; c < width; c++) max = Math.max(max, logits[o + c] + mask[o + c]);
    let sum = 0;
    for (let c = 0; c < width; c++) sum += (grad[o + c] = Math.exp(logits[o + c] + mask[o + c] - max));
    const y = labels[r];
    loss += Math.log(sum) - (logits[o + y] + mask[o + y] - max);
    for (let c = 0; c < width; c++) grad[o + c] = (grad[o + c] / sum - (c === y ? 1 : 0)) / b;
  }
  return loss / b;
}

export interface FusionMlpOptions extends EvalOptions, FusionMlpConfig {
  /** Member model indices; all models by default. */
  team?: ArrayLike<number>;
  /** With `perSubtask`: a team per subtask id (e.g. a static team chosen per subtask); overrides `team`. */
  teamPerSubtask?: (subtaskId: number) => ArrayLike<number>;
  seed: number;
  /** One network per subtask (default; BBH subtasks differ in choices and meaning) or one for the whole stream. */
  perSubtask?: boolean;
}

function withDefaults(config: FusionMlpConfig): Required<FusionMlpConfig> {
  const resolved = {
    hidden: config.hidden ?? [32],
    epochs: config.epochs ?? 60,
    batchSize: config.batchSize ?? 32,
    learningRate: config.learningRate ?? 0.01,
    l2: config.l2 ?? 1e-4,
  };
  if (!resolved.hidden.every((h) => Number.isInteger(h) && h >= 1)) throw new RangeError(`fusion MLP: hidden widths must be positive integers, got ${resolved.hidden}`);
  if (!(Number.isInteger(resolved.epochs) && resolved.epochs >= 1)) throw new RangeError(`fusion MLP: epochs must be an integer >= 1, got ${resolved.epochs}`);
  if (!(Number.isInteger(resolved.batchSize) && resolved.batchSize >= 1)) throw new RangeError(`fusion MLP: batchSize must be an integer >= 1, got ${resolved.batchSize}`);
  if (!(resolved.learningRate > 0)) throw new RangeError(`fusion MLP: learningRate must be > 0, got ${resolved.learningRate}`);
  if (!(resolved.l2 >= 0)) throw new RangeError(`fusion MLP: l2 must be >= 0, got ${resolved.l2}`);
  return resolved;
}

/** Largest choice count over the given queries. */
function widthOf(dataset: Dataset, queries: ArrayLike<number>): number {
  let w = 0;
  for (let q = 0; q < queries.length; q++) w = Math.max(w, dataset.choiceCounts[queries[q]]);
  return w;
}

/**
 * A team fused by a supervised MLP trained on train (LLM-TOPLA style), evaluated on the chosen split; every member
 * is called on every query. With `perSubtask` (default) each subtask gets its own network, trained on that
 * subtask's train queries, as wide as that subtask's largest choice count.
 */
export function fusionMlpBaseline(dataset: Dataset, options: FusionMlpOptions): MethodResult {
  const config = withDefaults(options);
  const team = options.team ? checkTeam(dataset, options.team, 'fusionMlpBaseline') : allModels(dataset);
  const split = options.split ?? 'test';
  const perSubtask = options.perSubtask ?? true;
  if (options.teamPerSubtask && !perSubtask) throw new RangeError('fusionMlpBaseline: teamPerSubtask needs perSubtask');
  const teams = new Map<number, Int32Array>();
  const teamOf = (s: number): Int32Array => {
    if (!options.teamPerSubtask) return team;
    let members = teams.get(s);
    if (!members) teams.set(s, (members = checkTeam(dataset, options.teamPerSubtask(s), 'fusionMlpBaseline')));
    return members;
  };
  const rng = new Rng(options.seed).fork('fusion-mlp');
  const evalQueries = dataset.splitIndices(split);
  const answers = new Int32Array(dataset.nQueries).fill(-1);
  const trainLoss: Record<string, number> = {};

  const trainAndPredict = (name: string, members: Int32Array, train: Int32Array, serve: Int32Array, width: number) => {
    const netRng = rng.fork(name);
    const net = new FusionMlp(members.length * width, width, config, netRng);
    trainLoss[name] = net.fit(buildFeatures(dataset, members, train, width), Int32Array.from(train, (t) => dataset.labels[t]), netRng);
    const predicted = net.predict(buildFeatures(dataset, members, serve, width));
    for (let q = 0; q < serve.length; q++) answers[serve[q]] = predicted[q];
  };

  let fallbackSubtasks: string[] = [];
  if (perSubtask) {
    const choice = choosePerSubtask(dataset, (train) => train);
    fallbackSubtasks = choice.fallbackSubtasks;
    const evalBySubtask = new Map<number, number[]>();
    for (const t of evalQueries) {
      const s = dataset.subtaskIds[t];
      let g = evalBySubtask.get(s);
      if (!g) evalBySubtask.set(s, (g = []));
      g.push(t);
    }
    for (const [s, serve] of evalBySubtask) {
      const train = choice.choiceFor(s);
      const subtaskQueries = dataset.indicesWhere((t) => dataset.subtaskIds[t] === s);
      const width = Math.max(widthOf(dataset, subtaskQueries), widthOf(dataset, train));
      trainAndPredict(dataset.subtaskNames[s], teamOf(s), train, Int32Array.from(serve), width);
    }
  } else {
    const train = dataset.splitIndices('train');
    if (train.length === 0) throw new RangeError('fusionMlpBaseline: the train split is empty');
    trainAndPredict('all', team, train, evalQueries, dataset.maxChoices);
  }

  return evaluateRule(
    dataset,
    split,
    {
      kind: 'fusion-mlp',
      perSubtask,
      method: `fusion MLP (${perSubtask ? 'per subtask' : 'one network'}): ${
        options.teamPerSubtask ? 'a team per subtask' : options.team ? teamLabel(dataset, team) : `all ${dataset.nModels} models`
      }`,
    },
    (t, meter) => {
      meter.record(teamOf(dataset.subtaskIds[t]));
      return answers[t];
    },
    {
      team: options.teamPerSubtask ? 'per subtask' : Array.from(team, (i) => dataset.models[i].id),
      seed: options.seed,
      config,
      trainLoss,
      fallbackSubtasks,
    },
  );
}
