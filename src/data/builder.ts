import { Dataset, TEST, TRAIN, type ModelInfo, type Provenance, type SplitName } from './dataset';

/**
 * Accumulates a Dataset one query at a time without knowing the query count in advance (streaming readers).
 * Typed arrays grow by doubling; `build()` trims them.
 */
export class DatasetBuilder {
  readonly nModels: number;
  private queries = 0;
  private probLength = 0;
  private choiceCounts = new Uint8Array(1024);
  private labels = new Int32Array(1024);
  private taskIds = new Uint16Array(1024);
  private subtaskIds = new Uint16Array(1024);
  private split = new Uint8Array(1024);
  private predictionBuffer: Int32Array;
  private probBuffer: Float64Array;
  private readonly queryIds: string[] = [];
  private readonly questions: Array<string | undefined> = [];
  private readonly choiceTexts: Array<readonly string[] | undefined> = [];
  private anyQuestion = false;
  private anyChoiceTexts = false;
  private readonly taskNames: string[] = [];
  private readonly subtaskNames: string[] = [];
  private readonly taskIndex = new Map<string, number>();
  private readonly subtaskIndex = new Map<string, number>();

  constructor(readonly models: ModelInfo[]) {
    this.nModels = models.length;
    this.predictionBuffer = new Int32Array(1024 * this.nModels);
    this.probBuffer = new Float64Array(4096 * this.nModels);
  }

  get size(): number {
    return this.queries;
  }

  /** Current probability buffer (re-read after every `addQuery`: it may have been reallocated). */
  get probs(): Float64Array {
    return this.probBuffer;
  }

  /** Current prediction buffer, `[t * N + i]` (re-read after every `addQuery`). */
  get predictions(): Int32Array {
    return this.predictionBuffer;
  }

  /**
   * Appends a query and returns where its probabilities start: model i's C values go to
   * `probs[probStart + i * choices ...]`, its prediction to `predictions[query * N + i]`.
   */
  addQuery(meta: {
    task: string;
    subtask: string;
    split: SplitName;
    label: number;
    choices: number;
    queryId: string;
    question?: string;
    choiceTexts?: readonly string[];
  }): {
    query: number;
    probStart: number;
  } {
    const t = this.queries;
    if (t === this.labels.length) this.growQueries();
    const need = this.probLength + this.nModels * meta.choices;
    if (need > this.probBuffer.length) {
      const bigger = new Float64Array(Math.max(need, this.probBuffer.length * 2));
      bigger.set(this.probBuffer.subarray(0, this.probLength));
      this.probBuffer = bigger;
    }
    this.choiceCounts[t] = meta.choices;
    this.labels[t] = meta.label;
    this.taskIds[t] = intern(this.taskNames, this.taskIndex, meta.task);
    this.subtaskIds[t] = intern(this.subtaskNames, this.subtaskIndex, meta.subtask);
    this.split[t] = meta.split === 'train' ? TRAIN : TEST;
    this.queryIds.push(meta.queryId);
    this.questions.push(meta.question);
    this.choiceTexts.push(meta.choiceTexts);
    if (meta.question !== undefined) this.anyQuestion = true;
    if (meta.choiceTexts !== undefined) this.anyChoiceTexts = true;
    const probStart = this.probLength;
    this.probLength = need;
    this.queries++;
    return { query: t, probStart };
  }

  build(provenance: Provenance): Dataset {
    const T = this.queries;
    return new Dataset({
      models: this.models,
      choiceCounts: this.choiceCounts.slice(0, T),
      labels: this.labels.slice(0, T),
      probs: this.probBuffer.slice(0, this.probLength),
      predictions: this.predictionBuffer.slice(0, T * this.nModels),
      taskIds: this.taskIds.slice(0, T),
      taskNames: [...this.taskNames],
      subtaskIds: this.subtaskIds.slice(0, T),
      subtaskNames: [...this.subtaskNames],
      split: this.split.slice(0, T),
      queryIds: [...this.queryIds],
      questions: this.anyQuestion ? [...this.questions] : undefined,
      choiceTexts: this.anyChoiceTexts ? [...this.choiceTexts] : undefined,
      provenance,
    });
  }

  private growQueries(): void {
    const n = this.labels.length * 2;
    this.choiceCounts = grow(this.choiceCounts, new Uint8Array(n));
    this.labels = grow(this.labels, new Int32Array(n));
    this.taskIds = grow(this.taskIds, new Uint16Array(n));
    this.subtaskIds = grow(this.subtaskIds, new Uint16Array(n));
    this.split = grow(this.split, new Uint8Array(n));
    this.predictionBuffer = grow(this.predictionBuffer, new Int32Array(n * this.nModels));
  }
}

function grow<A extends Uint8Array | Uint16Array | Int32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

function intern(names: string[], index: Map<string, number>, name: string): number {
  let id = index.get(name);
  if (id === undefined) {
    id = names.length;
    if (id > 0xffff) throw new RangeError(`more than 65536 distinct task or subtask names (at "${name}")`);
    names.push(name);
    index.set(name, id);
  }
  return id;
}
