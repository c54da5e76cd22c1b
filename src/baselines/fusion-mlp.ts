import { tf } from './tfjs';
import type { Dataset } from '../data/dataset';
import { Rng } from '../util/rng';
import { choosePerSubtask, evaluateRule } from './evaluate';
import type { MethodResult } from './result';
import type { EvalOptions } from './single';
import { allModels, checkTeam, teamLabel } from './team';

/**
 * Supervised fusion in the style of LLM-TOPLA (Tekin et al. 2024a): a small MLP reads the team members'
 * probability vectors, concatenated and zero-padded to a common width, and outputs one logit per choice. Padded
 * choices get a large negative bias, so neither the loss nor the answer can land on a choice the query lacks.
 * Trained by cross-entropy on train with Adam, weights initialised from the seeded Rng (Glorot uniform) and
 * mini-batches in an Rng-shuffled order, so a seed fixes the result on a given backend.
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

interface Features {
  /** n x (m * width) member probabilities, zero-padded. */
  x: Float32Array;
  /** n x width: 0 for a real choice, PAD_BIAS for padding. */
  mask: Float32Array;
  n: number;
}

function buildFeatures(dataset: Dataset, team: Int32Array, queries: ArrayLike<number>, width: number): Features {
  const n = queries.length;
  const m = team.length;
  const x = new Float32Array(n * m * width);
  const mask = new Float32Array(n * width);
  for (let q = 0; q < n; q++) {
    const t = queries[q];
    const c = dataset.choiceCounts[t];
    if (c > width) throw new RangeError(`fusion MLP: query ${t} has ${c} choices, the network is ${width} wide`);
    for (let j = 0; j < m; j++) x.set(dataset.probRow(t, team[j]), (q * m + j) * width);
    mask.fill(PAD_BIAS, q * width + c, (q + 1) * width);
  }
  return { x, mask, n };
}

function glorotUniform(rng: Rng, fanIn: number, fanOut: number): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(fanIn * fanOut);
  for (let k = 0; k < values.length; k++) values[k] = rng.uniform(-limit, limit);
  return tf.tidy(() => tf.variable(tf.tensor2d(values, [fanIn, fanOut])));
}

/** One trained fusion network for a fixed team and width. Call `dispose()` when done (tfjs memory). */
export class FusionMlp {
  private readonly weights: tf.Variable[] = [];
  private readonly biases: tf.Variable[] = [];

  constructor(
    readonly inputDim: number,
    readonly width: number,
    readonly config: Required<FusionMlpConfig>,
    rng: Rng,
  ) {
    const sizes = [inputDim, ...config.hidden, width];
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.weights.push(glorotUniform(rng, sizes[l], sizes[l + 1]));
      this.biases.push(tf.tidy(() => tf.variable(tf.zeros([sizes[l + 1]]))));
    }
  }

  private logits(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      h = tf.add(tf.matMul(h, this.weights[l]), this.biases[l]) as tf.Tensor2D;
      if (l < last) h = tf.relu(h);
    }
    return tf.add(h, mask) as tf.Tensor2D;
  }

  /** Trains on the given features and labels; returns the mean training loss of the last epoch. */
  fit(features: Features, labels: Int32Array, rng: Rng): number {
    const { n } = features;
    if (n === 0) throw new RangeError('FusionMlp.fit: no training queries');
    const { epochs, batchSize, learningRate, l2 } = this.config;
    const optimizer = tf.train.adam(learningRate);
    const x = tf.tensor2d(features.x, [n, this.inputDim]);
    const mask = tf.tensor2d(features.mask, [n, this.width]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), this.width).toFloat());
    const order = Int32Array.from({ length: n }, (_, q) => q);
    const vars = [...this.weights, ...this.biases];
    let lastEpochLoss = NaN;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        rng.shuffle(order);
        let lossSum = 0;
        for (let start = 0; start < n; start += batchSize) {
          const end = Math.min(n, start + batchSize);
          const loss = tf.tidy(() => {
            const idx = tf.tensor1d(order.subarray(start, end), 'int32');
            const xb = tf.gather(x, idx) as tf.Tensor2D;
            const mb = tf.gather(mask, idx) as tf.Tensor2D;
            const yb = tf.gather(y, idx);
            return optimizer.minimize(
              () => {
                const ce = tf.losses.softmaxCrossEntropy(yb, this.logits(xb, mb)) as tf.Scalar;
                if (l2 === 0) return ce;
                const penalty = this.weights.reduce((s: tf.Tensor, w) => tf.add(s, tf.sum(tf.square(w))), tf.scalar(0));
                return tf.add(ce, tf.mul(l2, penalty)) as tf.Scalar;
              },
              true,
              vars,
            )!;
          });
          lossSum += loss.dataSync()[0] * (end - start);
          loss.dispose();
        }
        lastEpochLoss = lossSum / n;
      }
    } finally {
      tf.dispose([x, mask, y]);
      optimizer.dispose();
    }
    return lastEpochLoss;
  }

  /** Argmax over the real choices of each query. */
  predict(features: Features): Int32Array {
    if (features.n === 0) return new Int32Array(0);
    return tf.tidy(() => {
      const x = tf.tensor2d(features.x, [features.n, this.inputDim]);
      const mask = tf.tensor2d(features.mask, [features.n, this.width]);
      return Int32Array.from(tf.argMax(this.logits(x, mask), 1).dataSync());
    });
  }

  dispose(): void {
    tf.dispose([...this.weights, ...this.biases]);
  }
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
    try {
      trainLoss[name] = net.fit(buildFeatures(dataset, members, train, width), Int32Array.from(train, (t) => dataset.labels[t]), netRng);
      const predicted = net.predict(buildFeatures(dataset, members, serve, width));
      for (let q = 0; q < serve.length; q++) answers[serve[q]] = predicted[q];
    } finally {
      net.dispose();
    }
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
    `fusion MLP (${perSubtask ? 'per subtask' : 'one network'}): ${
      options.teamPerSubtask ? 'a team per subtask' : options.team ? teamLabel(dataset, team) : `all ${dataset.nModels} models`
    }`,
    (t, meter) => {
      meter.record(teamOf(dataset.subtaskIds[t]));
      return answers[t];
    },
    {
      team: options.teamPerSubtask ? 'per subtask' : Array.from(team, (i) => dataset.models[i].id),
      seed: options.seed,
      config,
      backend: tf.getBackend(),
      trainLoss,
      fallbackSubtasks,
    },
  );
}
