/**
 * The one representation of "what a pool of N LLMs answered on a stream of T questions".
 *
 * Columnar and typed: per-query columns have length T; per-(query, model) columns have length T*N and are
 * query-major (`[t * N + i]`). Probabilities are ragged because the choice count C_t varies per query: the
 * N * C_t values of query t start at `probOffsets[t]`, model-major within the query.
 */

export const TRAIN = 0;
export const TEST = 1;
export type SplitName = 'train' | 'test';

export interface ModelInfo {
  id: string;
  family?: string;
  /** Parameter count in billions. */
  paramsB?: number;
  /** Price of one call, in US cents. */
  priceCents?: number;
  /** Where the price comes from ("paper Table 8", "assumed", ...). */
  priceSource?: string;
}

/** Where a dataset's numbers come from; every notebook number is labelled from this. */
export interface Provenance {
  kind: 'real' | 'simulated' | 'synthetic';
  /** One line a reader can cite, e.g. "real recorded outputs: bbh-leaderboard (5 LLMs, BBH)". */
  source: string;
  notes?: string[];
  /**
   * 'pool-ordered' where each query's answer slots are the pool's own answers sorted by how many models gave them
   * (sampled open-ended answers read with `slotOrder: 'pool-count'`, the authors' order): a slot's position then
   * tells what the whole pool answered, so a method that learns from positions while calling a few models would read
   * models it did not call (the guard leaves its fused team out there, `RlFocalConfig.guardFusedTeam`). Absent: the
   * slots are the question's own choices (A-D, the label set) in the question's order, or sampled answers in the
   * neutral order.
   */
  answerSlots?: 'pool-ordered';
}

export interface DatasetColumns {
  models: ModelInfo[];
  /** C_t per query, 2..255. */
  choiceCounts: Uint8Array;
  /** Gold choice per query, 0 <= label < C_t. */
  labels: Int32Array;
  /** Per-choice probabilities, ragged layout (see file comment). Rows from scores sum to 1; sampled-answer rows are
   * answer frequencies over the K kept answers and may sum to less. An abstention is a row of zeros. */
  probs: Float64Array;
  /** Predicted choice per (query, model), -1 = abstained. Derived from `probs` when omitted; readers pass it
   * when they have the raw scores so that ties are broken on the recorded values, not on rounded probabilities. */
  predictions?: Int32Array;
  taskIds: Uint16Array;
  taskNames: string[];
  subtaskIds: Uint16Array;
  subtaskNames: string[];
  /** TRAIN (0) or TEST (1) per query. */
  split: Uint8Array;
  /** Optional per-query identifiers (doc ids), carried through slicing for error messages and joins. */
  queryIds?: string[];
  /**
   * Optional question text per query (the record's `question`; undefined where a record has none), for routers
   * that read the question (e.g. the nearest-neighbour router). Absent when no record had one.
   */
  questions?: Array<string | undefined>;
  /** Optional text of each choice per query (the record's `choice_texts`), same rules as `questions`. */
  choiceTexts?: Array<readonly string[] | undefined>;
  provenance: Provenance;
}

export class Dataset {
  readonly models: readonly ModelInfo[];
  readonly nModels: number;
  readonly nQueries: number;
  readonly choiceCounts: Uint8Array;
  readonly labels: Int32Array;
  readonly probs: Float64Array;
  readonly probOffsets: Uint32Array;
  readonly taskIds: Uint16Array;
  readonly taskNames: readonly string[];
  readonly subtaskIds: Uint16Array;
  readonly subtaskNames: readonly string[];
  readonly split: Uint8Array;
  readonly queryIds: readonly string[] | undefined;
  /** Question text per query where the source had it (see DatasetColumns.questions). */
  readonly questions: ReadonlyArray<string | undefined> | undefined;
  /** Choice texts per query where the source had them (see DatasetColumns.choiceTexts). */
  readonly choiceTexts: ReadonlyArray<readonly string[] | undefined> | undefined;
  readonly provenance: Provenance;
  readonly maxChoices: number;
  /** 32-bit words per query in `correctMasks` / `failMasks`. */
  readonly maskWords: number;

  private cachedPredictions: Int32Array | undefined;
  private cachedCorrect: Uint8Array | undefined;
  private cachedCorrectMasks: Uint32Array | undefined;

  constructor(columns: DatasetColumns) {
    const T = columns.labels.length;
    const N = columns.models.length;
    if (N === 0) throw new RangeError('Dataset: a pool needs at least one model');
    const lengths: Array<[string, number]> = [
      ['choiceCounts', columns.choiceCounts.length],
      ['taskIds', columns.taskIds.length],
      ['subtaskIds', columns.subtaskIds.length],
      ['split', columns.split.length],
    ];
    for (const [name, len] of lengths) {
      if (len !== T) throw new RangeError(`Dataset: column ${name} has length ${len}, expected ${T} (one per query)`);
    }
    if (columns.queryIds && columns.queryIds.length !== T) {
      throw new RangeError(`Dataset: column queryIds has length ${columns.queryIds.length}, expected ${T}`);
    }
    if (columns.questions && columns.questions.length !== T) {
      throw new RangeError(`Dataset: column questions has length ${columns.questions.length}, expected ${T}`);
    }
    if (columns.choiceTexts && columns.choiceTexts.length !== T) {
      throw new RangeError(`Dataset: column choiceTexts has length ${columns.choiceTexts.length}, expected ${T}`);
    }
    const offsets = new Uint32Array(T + 1);
    let maxChoices = 0;
    for (let t = 0; t < T; t++) {
      const c = columns.choiceCounts[t];
      if (c < 1) throw new RangeError(`Dataset: query ${t} has ${c} choices`);
      if (columns.labels[t] < 0 || columns.labels[t] >= c) {
        throw new RangeError(`Dataset: query ${t} label ${columns.labels[t]} out of range [0, ${c})`);
      }
      offsets[t + 1] = offsets[t] + N * c;
      if (c > maxChoices) maxChoices = c;
    }
    if (columns.probs.length !== offsets[T]) {
      throw new RangeError(`Dataset: probs has length ${columns.probs.length}, expected ${offsets[T]} (sum of N * C_t)`);
    }
    if (columns.predictions && columns.predictions.length !== T * N) {
      throw new RangeError(`Dataset: predictions has length ${columns.predictions.length}, expected ${T * N}`);
    }
    this.models = columns.models.map((m) => ({ ...m }));
    this.nModels = N;
    this.nQueries = T;
    this.choiceCounts = columns.choiceCounts;
    this.labels = columns.labels;
    this.probs = columns.probs;
    this.probOffsets = offsets;
    this.taskIds = columns.taskIds;
    this.taskNames = columns.taskNames;
    this.subtaskIds = columns.subtaskIds;
    this.subtaskNames = columns.subtaskNames;
    this.split = columns.split;
    this.queryIds = columns.queryIds;
    this.questions = columns.questions;
    this.choiceTexts = columns.choiceTexts;
    this.provenance = columns.provenance;
    this.maxChoices = maxChoices;
    this.maskWords = Math.ceil(N / 32);
    this.cachedPredictions = columns.predictions;
  }

  /** The C_t probabilities of model i on query t (a view, not a copy). */
  probRow(t: number, model: number): Float64Array {
    const c = this.choiceCounts[t];
    const start = this.probOffsets[t] + model * c;
    return this.probs.subarray(start, start + c);
  }

  /** Predicted choice per (query, model), `[t * N + i]`; ties -> lowest index; abstention -> -1. */
  get predictions(): Int32Array {
    if (!this.cachedPredictions) {
      const N = this.nModels;
      const out = new Int32Array(this.nQueries * N);
      for (let t = 0; t < this.nQueries; t++) {
        const c = this.choiceCounts[t];
        for (let i = 0; i < N; i++) {
          const base = this.probOffsets[t] + i * c;
          let best = -1;
          let bestValue = 0;
          for (let k = 0; k < c; k++) {
            const v = this.probs[base + k];
            if (v > bestValue) {
              bestValue = v;
              best = k;
            }
          }
          out[t * N + i] = best;
        }
      }
      this.cachedPredictions = out;
    }
    return this.cachedPredictions;
  }

  /** 1 where model i is right on query t, `[t * N + i]`. */
  get correct(): Uint8Array {
    if (!this.cachedCorrect) {
      const N = this.nModels;
      const pred = this.predictions;
      const out = new Uint8Array(this.nQueries * N);
      for (let t = 0; t < this.nQueries; t++) {
        const y = this.labels[t];
        for (let i = 0; i < N; i++) out[t * N + i] = pred[t * N + i] === y ? 1 : 0;
      }
      this.cachedCorrect = out;
    }
    return this.cachedCorrect;
  }

  /** Bit i of word `[t * maskWords + (i >> 5)]` is set when model i is right on query t. */
  get correctMasks(): Uint32Array {
    if (!this.cachedCorrectMasks) {
      const N = this.nModels;
      const W = this.maskWords;
      const correct = this.correct;
      const out = new Uint32Array(this.nQueries * W);
      for (let t = 0; t < this.nQueries; t++) {
        for (let i = 0; i < N; i++) {
          if (correct[t * N + i]) out[t * W + (i >>> 5)] |= 1 << (i & 31);
        }
      }
      this.cachedCorrectMasks = out;
    }
    return this.cachedCorrectMasks;
  }

  /** Accuracy of each model over the given queries (all queries by default). */
  modelAccuracies(queries?: ArrayLike<number>): Float64Array {
    const N = this.nModels;
    const correct = this.correct;
    const hits = new Float64Array(N);
    const count = queries ? queries.length : this.nQueries;
    for (let q = 0; q < count; q++) {
      const t = queries ? queries[q] : q;
      for (let i = 0; i < N; i++) hits[i] += correct[t * N + i];
    }
    for (let i = 0; i < N; i++) hits[i] = count > 0 ? hits[i] / count : NaN;
    return hits;
  }

  /** Indices of the queries in a split, in stream order. */
  splitIndices(split: SplitName): Int32Array {
    const code = split === 'train' ? TRAIN : TEST;
    return this.indicesWhere((t) => this.split[t] === code);
  }

  indicesWhere(keep: (t: number) => boolean): Int32Array {
    const out: number[] = [];
    for (let t = 0; t < this.nQueries; t++) if (keep(t)) out.push(t);
    return Int32Array.from(out);
  }

  /** A dataset of the given queries, in the given order. */
  selectQueries(queries: ArrayLike<number>): Dataset {
    const N = this.nModels;
    const T = queries.length;
    const choiceCounts = new Uint8Array(T);
    const labels = new Int32Array(T);
    const taskIds = new Uint16Array(T);
    const subtaskIds = new Uint16Array(T);
    const split = new Uint8Array(T);
    const predictions = new Int32Array(T * N);
    const sourcePredictions = this.predictions;
    let total = 0;
    for (let q = 0; q < T; q++) {
      const t = queries[q];
      if (!(t >= 0 && t < this.nQueries)) throw new RangeError(`selectQueries: query index ${t} out of range`);
      total += N * this.choiceCounts[t];
    }
    const probs = new Float64Array(total);
    let cursor = 0;
    for (let q = 0; q < T; q++) {
      const t = queries[q];
      choiceCounts[q] = this.choiceCounts[t];
      labels[q] = this.labels[t];
      taskIds[q] = this.taskIds[t];
      subtaskIds[q] = this.subtaskIds[t];
      split[q] = this.split[t];
      predictions.set(sourcePredictions.subarray(t * N, t * N + N), q * N);
      const len = N * this.choiceCounts[t];
      probs.set(this.probs.subarray(this.probOffsets[t], this.probOffsets[t] + len), cursor);
      cursor += len;
    }
    return new Dataset({
      models: [...this.models],
      choiceCounts,
      labels,
      probs,
      predictions,
      taskIds,
      taskNames: [...this.taskNames],
      subtaskIds,
      subtaskNames: [...this.subtaskNames],
      split,
      queryIds: this.queryIds ? Array.from(queries, (t) => this.queryIds![t]) : undefined,
      questions: this.questions ? Array.from(queries, (t) => this.questions![t]) : undefined,
      choiceTexts: this.choiceTexts ? Array.from(queries, (t) => this.choiceTexts![t]) : undefined,
      provenance: this.provenance,
    });
  }

  /** A dataset with the given models, in the given order (repeats allowed: they become distinct columns). */
  selectModels(models: ArrayLike<number>, ids?: string[]): Dataset {
    const N = this.nModels;
    const M = models.length;
    if (M === 0) throw new RangeError('selectModels: select at least one model');
    for (let j = 0; j < M; j++) {
      if (!(models[j] >= 0 && models[j] < N)) throw new RangeError(`selectModels: model index ${models[j]} out of range [0, ${N})`);
    }
    const T = this.nQueries;
    let total = 0;
    for (let t = 0; t < T; t++) total += M * this.choiceCounts[t];
    const probs = new Float64Array(total);
    const predictions = new Int32Array(T * M);
    const sourcePredictions = this.predictions;
    let cursor = 0;
    for (let t = 0; t < T; t++) {
      const c = this.choiceCounts[t];
      for (let j = 0; j < M; j++) {
        const start = this.probOffsets[t] + models[j] * c;
        probs.set(this.probs.subarray(start, start + c), cursor);
        cursor += c;
        predictions[t * M + j] = sourcePredictions[t * N + models[j]];
      }
    }
    const chosen = Array.from(models, (i, j) => ({ ...this.models[i], id: ids ? ids[j] : this.models[i].id }));
    const seen = new Set<string>();
    for (const m of chosen) {
      if (seen.has(m.id)) throw new RangeError(`selectModels: model id "${m.id}" appears twice; pass distinct ids`);
      seen.add(m.id);
    }
    return new Dataset({
      models: chosen,
      choiceCounts: this.choiceCounts,
      labels: this.labels,
      probs,
      predictions,
      taskIds: this.taskIds,
      taskNames: [...this.taskNames],
      subtaskIds: this.subtaskIds,
      subtaskNames: [...this.subtaskNames],
      split: this.split,
      queryIds: this.queryIds ? [...this.queryIds] : undefined,
      questions: this.questions ? [...this.questions] : undefined,
      choiceTexts: this.choiceTexts ? [...this.choiceTexts] : undefined,
      provenance: this.provenance,
    });
  }

  /**
   * The pool replayed `times` times (the paper's scalability experiment, App. E.2): copy k of model "x" is
   * named "x#k" (k >= 2); its answers are identical to the original's.
   */
  duplicateModels(times: number): Dataset {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`duplicateModels: times must be an integer >= 1, got ${times}`);
    const indices: number[] = [];
    const ids: string[] = [];
    for (let k = 1; k <= times; k++) {
      for (let i = 0; i < this.nModels; i++) {
        indices.push(i);
        ids.push(k === 1 ? this.models[i].id : `${this.models[i].id}#${k}`);
      }
    }
    return this.selectModels(indices, ids);
  }

  /** Queries of the named subtasks (and/or tasks), in stream order. */
  filter(options: { tasks?: string[]; subtasks?: string[]; split?: SplitName }): Dataset {
    const taskSet = options.tasks ? this.idSet(this.taskNames, options.tasks, 'task') : undefined;
    const subtaskSet = options.subtasks ? this.idSet(this.subtaskNames, options.subtasks, 'subtask') : undefined;
    const splitCode = options.split === undefined ? -1 : options.split === 'train' ? TRAIN : TEST;
    return this.selectQueries(
      this.indicesWhere(
        (t) =>
          (!taskSet || taskSet.has(this.taskIds[t])) &&
          (!subtaskSet || subtaskSet.has(this.subtaskIds[t])) &&
          (splitCode < 0 || this.split[t] === splitCode),
      ),
    );
  }

  /** The subtasks that occur in the stream, in order of first appearance, each as its own dataset. */
  subtaskSlices(): Array<{ name: string; data: Dataset }> {
    const order: number[] = [];
    const seen = new Set<number>();
    for (let t = 0; t < this.nQueries; t++) {
      if (!seen.has(this.subtaskIds[t])) {
        seen.add(this.subtaskIds[t]);
        order.push(this.subtaskIds[t]);
      }
    }
    return order.map((id) => ({
      name: this.subtaskNames[id],
      data: this.selectQueries(this.indicesWhere((t) => this.subtaskIds[t] === id)),
    }));
  }

  /**
   * The paper's split: within each subtask, the first floor(trainFraction * n) queries in stream order are train,
   * the rest test. Never shuffled (topics arrive in runs; shuffling would leak the future into training).
   */
  withStreamSplit(trainFraction = 0.8): Dataset {
    if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`withStreamSplit: trainFraction must be in (0, 1), got ${trainFraction}`);
    const totals = new Map<number, number>();
    for (let t = 0; t < this.nQueries; t++) totals.set(this.subtaskIds[t], (totals.get(this.subtaskIds[t]) ?? 0) + 1);
    const seen = new Map<number, number>();
    const split = new Uint8Array(this.nQueries);
    for (let t = 0; t < this.nQueries; t++) {
      const s = this.subtaskIds[t];
      const k = seen.get(s) ?? 0;
      seen.set(s, k + 1);
      split[t] = k < Math.floor(trainFraction * totals.get(s)!) ? TRAIN : TEST;
    }
    return new Dataset({ ...this.columns(), split });
  }

  /** The train and test parts, each in stream order. */
  trainTest(): { train: Dataset; test: Dataset } {
    return { train: this.selectQueries(this.splitIndices('train')), test: this.selectQueries(this.splitIndices('test')) };
  }

  /** Same data, another provenance label (e.g. after calibration). */
  withProvenance(provenance: Provenance): Dataset {
    return new Dataset({ ...this.columns(), provenance });
  }

  /** Same data, other per-model metadata (e.g. prices filled in); the model count must not change. */
  withModels(models: ModelInfo[]): Dataset {
    if (models.length !== this.nModels) throw new RangeError(`withModels: expected ${this.nModels} models, got ${models.length}`);
    return new Dataset({ ...this.columns(), models });
  }

  /** The columns behind this dataset (shared, not copied). */
  columns(): DatasetColumns {
    return {
      models: [...this.models],
      choiceCounts: this.choiceCounts,
      labels: this.labels,
      probs: this.probs,
      predictions: this.predictions,
      taskIds: this.taskIds,
      taskNames: [...this.taskNames],
      subtaskIds: this.subtaskIds,
      subtaskNames: [...this.subtaskNames],
      split: this.split,
      queryIds: this.queryIds ? [...this.queryIds] : undefined,
      questions: this.questions ? [...this.questions] : undefined,
      choiceTexts: this.choiceTexts ? [...this.choiceTexts] : undefined,
      provenance: this.provenance,
    };
  }

  /**
   * Datasets with the same models (same ids, same order) joined in stream order. Task and subtask names are
   * merged by name.
   */
  static concat(parts: Dataset[]): Dataset {
    if (parts.length === 0) throw new RangeError('Dataset.concat: nothing to concatenate');
    const first = parts[0];
    const N = first.nModels;
    for (const p of parts) {
      if (p.nModels !== N || p.models.some((m, i) => m.id !== first.models[i].id)) {
        throw new RangeError('Dataset.concat: every part must have the same models in the same order');
      }
    }
    const taskNames: string[] = [];
    const subtaskNames: string[] = [];
    const intern = (names: string[], name: string): number => {
      const at = names.indexOf(name);
      if (at >= 0) return at;
      names.push(name);
      return names.length - 1;
    };
    const T = parts.reduce((s, p) => s + p.nQueries, 0);
    const totalProbs = parts.reduce((s, p) => s + p.probs.length, 0);
    const choiceCounts = new Uint8Array(T);
    const labels = new Int32Array(T);
    const taskIds = new Uint16Array(T);
    const subtaskIds = new Uint16Array(T);
    const split = new Uint8Array(T);
    const predictions = new Int32Array(T * N);
    const probs = new Float64Array(totalProbs);
    const queryIds: string[] | undefined = parts.every((p) => p.queryIds) ? [] : undefined;
    // Text columns survive when any part has them; parts without fill with undefined.
    const questions: Array<string | undefined> | undefined = parts.some((p) => p.questions) ? [] : undefined;
    const choiceTexts: Array<readonly string[] | undefined> | undefined = parts.some((p) => p.choiceTexts) ? [] : undefined;
    let row = 0;
    let cursor = 0;
    for (const p of parts) {
      const taskMap = p.taskNames.map((n) => intern(taskNames, n));
      const subtaskMap = p.subtaskNames.map((n) => intern(subtaskNames, n));
      choiceCounts.set(p.choiceCounts, row);
      labels.set(p.labels, row);
      split.set(p.split, row);
      predictions.set(p.predictions, row * N);
      for (let t = 0; t < p.nQueries; t++) {
        taskIds[row + t] = taskMap[p.taskIds[t]];
        subtaskIds[row + t] = subtaskMap[p.subtaskIds[t]];
      }
      probs.set(p.probs, cursor);
      if (queryIds) queryIds.push(...p.queryIds!);
      if (questions) for (let t = 0; t < p.nQueries; t++) questions.push(p.questions?.[t]);
      if (choiceTexts) for (let t = 0; t < p.nQueries; t++) choiceTexts.push(p.choiceTexts?.[t]);
      row += p.nQueries;
      cursor += p.probs.length;
    }
    return new Dataset({
      models: [...first.models],
      choiceCounts,
      labels,
      probs,
      predictions,
      taskIds,
      taskNames,
      subtaskIds,
      subtaskNames,
      split,
      queryIds,
      questions,
      choiceTexts,
      // One part whose slots the pool ordered makes the whole stream's slots unsafe to learn positions from.
      provenance: parts.some((p) => p.provenance.answerSlots) ? { ...first.provenance, answerSlots: 'pool-ordered' } : first.provenance,
    });
  }

  private idSet(names: readonly string[], wanted: string[], what: string): Set<number> {
    const ids = new Set<number>();
    for (const w of wanted) {
      const at = names.indexOf(w);
      if (at < 0) throw new RangeError(`filter: unknown ${what} "${w}" (known: ${names.join(', ')})`);
      ids.add(at);
    }
    return ids;
  }
}
