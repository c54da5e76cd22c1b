import { basename } from 'node:path';
import { DatasetBuilder } from './builder';
import type { Dataset, ModelInfo, Provenance, SplitName } from './dataset';
import { DataFormatError } from './errors';
import { MAX_CHOICES, MIN_CHOICES, optionalId, optionalQuestion, requireField, type RecordLocation } from './fields';
import { describe, forEachLine, parseJsonRecord } from './jsonl';

/**
 * Open-ended questions answered by sampling (GSM8K style, paper §2.4 and §7.1): each model answers every question
 * S times; the "choices" of a question are the answers the pool gave. One JSONL record per question:
 *   {"question_id": "gsm8k-test-17", "gold": "#### 1,000" | "1000" | 1000,
 *    "answers": {"<model id>": ["1000", "1,000.0", null, "998", ...S values...], ...every model...},
 *    "split"?: "train" | "test", "task"?: "gsm8k", "subtask"?: "..."}
 * Per question: the union of the pool's normalised answers, ranked by descending summed count (ties: first
 * appearance, models in column order, samples in order), the K most frequent kept, padded with empty slots so that
 * every question has exactly K choices (C_t = K, a fixed observation size, as the authors pad to 10), in a
 * position-neutral order unless the pool's order is asked for (`slotOrder`). Model i's row is count_i(answer) / S_i:
 * the paper's frequency vector, NOT renormalised, so unparsable samples and answers outside the K kept ones lower its
 * mass; a model with no answer in the kept space has an all-zero row (abstention).
 */

export type AnswerKind = 'numeric' | 'text';

/**
 * How the K kept answers of a question are placed in its slots.
 * - 'neutral' (default): the kept answers and the empty padding slots are placed by a fixed hash of (question id,
 *   answer), so that a slot's position says nothing about what the pool answered, how many answers it gave, or which
 *   answer is right. A vote's ties (to the lowest slot) then fall on an arbitrary answer, and a network reading rows
 *   by position cannot learn the pool's favourite from its position.
 * - 'pool-count': most frequent first, as the authors' loader (paper §7.1) and this reader before session 11. Slot 0
 *   is then the whole pool's plurality answer, which a method calling a few models can read through ties or
 *   positions; the dataset is marked `Provenance.answerSlots: 'pool-ordered'` so that the guard leaves its fused
 *   team out.
 */
export type SlotOrder = 'neutral' | 'pool-count';

export const SLOT_ORDERS: readonly SlotOrder[] = ['neutral', 'pool-count'];

export interface SampledAnswersOptions {
  /** Answer slots per question (default 10), 2..255. */
  k?: number;
  /** Order of the kept answers in a question's slots (default 'neutral'; see `SlotOrder`). */
  slotOrder?: SlotOrder;
  /** "numeric" (default): numbers compared by value after normalisation; "text": trimmed, whitespace-collapsed strings. */
  answerKind?: AnswerKind;
  /** Model ids in column order (default: the keys of the first record's `answers`); other models are not read. */
  models?: string[];
  /** Metadata (params, family, price) of the models, matched by id. */
  modelInfo?: ModelInfo[];
  /**
   * Questions whose gold answer is not among the K slots cannot be answered by any member. By default they are
   * excluded (and reported). With `keepUnanswerable`, every question gets one extra reserved slot K (C_t = K + 1
   * for all questions, so the choice count does not give them away) that no model ever puts mass on, and those
   * questions are labelled K: every model and every vote is wrong on them, which yields accuracies over the full
   * question set. A learned fusion agent could learn to pick the empty slot, so use this for evaluation only.
   */
  keepUnanswerable?: boolean;
  /** Dataset task name when records carry no `task` (default "sampled"). */
  task?: string;
  /** When no record has `split`: per subtask, the first floor(trainFraction * n) kept questions are train (0.8). */
  trainFraction?: number;
  /** Receives the warning about excluded questions (default console.warn). */
  warn?: (message: string) => void;
  provenance?: Provenance;
}

export interface SampledAnswersReport {
  /** Questions read. */
  questions: number;
  /** Questions whose gold answer is outside the K kept answers (excluded, or kept with the reserved label). */
  excluded: number;
  excludedIds: string[];
  /** True when the unanswerable questions were kept (label = reserved slot K) instead of dropped. */
  keptUnanswerable: boolean;
  /** Questions whose union answer space was larger than K (the rarest answers were cut). */
  truncated: number;
  /** (question, model) pairs with no answer in the kept space (all-zero rows). */
  abstentions: number;
}

export interface SampledAnswerRecord {
  question_id: string | number;
  gold: string | number;
  answers: Record<string, Array<string | number | null>>;
  split?: SplitName;
  task?: string;
  subtask?: string;
  /** The question text, kept as Dataset.questions (optional). */
  question?: string;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Canonical form of a numeric answer, or undefined when it has none: a GSM8K solution's text after the last
 * "####", a leading "$" and thousands commas removed ("1,000" = "1000"), a trailing "." dropped, then the value
 * printed back ("3.0" = "3", "-0" = "0"). Commas are always thousands separators here, as in the authors' loader.
 */
export function normaliseNumericAnswer(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value === 0 ? 0 : value) : undefined;
  if (typeof value !== 'string') return undefined;
  let s = value;
  const hashes = s.lastIndexOf('####');
  if (hashes >= 0) s = s.slice(hashes + 4);
  s = s.trim().replace(/^\$/, '').replace(/,/g, '').replace(/\.$/, '').trim();
  if (!DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : undefined;
}

/** Canonical form of a text answer: trimmed, inner whitespace collapsed, case kept; empty -> undefined. */
export function normaliseTextAnswer(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim().replace(/\s+/g, ' ');
  return s === '' ? undefined : s;
}

/** Streams a sampled-answers JSONL file (format above) into a Dataset and a report of what was excluded. */
export async function readSampledAnswers(
  file: string,
  options: SampledAnswersOptions = {},
): Promise<{ dataset: Dataset; report: SampledAnswersReport }> {
  const converter = new SampledAnswersConverter(options, file);
  await forEachLine(file, (text, line) => {
    if (text.trim() === '') return;
    converter.add(parseJsonRecord(text, file, line), { file, line });
  });
  return converter.finish(`real sampled answers: ${basename(file)}`);
}

/** The same conversion for records already in memory (errors name "<records>" and the 1-based record number). */
export function sampledAnswersToDataset(
  records: SampledAnswerRecord[],
  options: SampledAnswersOptions = {},
): { dataset: Dataset; report: SampledAnswersReport } {
  const file = '<records>';
  const converter = new SampledAnswersConverter(options, file);
  records.forEach((r, k) => converter.add(r as unknown as Record<string, unknown>, { file, line: k + 1 }));
  return converter.finish('sampled answers (in-memory records)');
}

class SampledAnswersConverter {
  private readonly k: number;
  private readonly slots: number;
  private readonly normalise: (value: unknown) => string | undefined;
  private readonly keepUnanswerable: boolean;
  private readonly slotOrder: SlotOrder;
  private builder: DatasetBuilder | undefined;
  private ids: string[] | undefined;
  private readonly firstLineOfId = new Map<string, number>();
  private hasSplit: boolean | undefined;
  private readonly report: SampledAnswersReport;
  private samplesPerModel = new Set<number>();

  constructor(
    private readonly options: SampledAnswersOptions,
    private readonly file: string,
  ) {
    this.k = options.k ?? 10;
    this.keepUnanswerable = options.keepUnanswerable ?? false;
    this.slotOrder = options.slotOrder ?? 'neutral';
    if (!SLOT_ORDERS.includes(this.slotOrder)) {
      throw new RangeError(`sampled answers: slotOrder must be one of ${SLOT_ORDERS.join(', ')}, got ${String(options.slotOrder)}`);
    }
    this.slots = this.keepUnanswerable ? this.k + 1 : this.k;
    if (!Number.isInteger(this.k) || this.k < MIN_CHOICES || this.slots > MAX_CHOICES) {
      throw new RangeError(`sampled answers: k must be an integer in [${MIN_CHOICES}, ${this.keepUnanswerable ? MAX_CHOICES - 1 : MAX_CHOICES}], got ${options.k}`);
    }
    this.normalise = (options.answerKind ?? 'numeric') === 'numeric' ? normaliseNumericAnswer : normaliseTextAnswer;
    this.report = { questions: 0, excluded: 0, excludedIds: [], keptUnanswerable: this.keepUnanswerable, truncated: 0, abstentions: 0 };
  }

  add(record: Record<string, unknown>, at: RecordLocation): void {
    const questionId = optionalId(record, 'question_id', at);
    if (questionId === undefined) throw new DataFormatError('missing "question_id"', { ...at, field: 'question_id' });
    const seenOn = this.firstLineOfId.get(questionId);
    if (seenOn !== undefined) {
      throw new DataFormatError(`duplicate question_id "${questionId}" (first on line ${seenOn})`, { ...at, field: 'question_id' });
    }
    this.firstLineOfId.set(questionId, at.line);
    const goldValue = requireField(record, 'gold', at);
    const gold = this.normalise(goldValue);
    if (gold === undefined) throw new DataFormatError(`cannot read an answer from ${describe(goldValue)}`, { ...at, field: 'gold' });
    const answers = requireField(record, 'answers', at);
    if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
      throw new DataFormatError(`must be an object {model id: [sampled answers]}, got ${describe(answers)}`, { ...at, field: 'answers' });
    }
    const byModel = answers as Record<string, unknown>;
    const ids = this.modelIds(byModel, at);
    const split = this.splitOf(record, at);
    const task = optionalString(record, 'task', at) ?? this.options.task ?? 'sampled';
    const subtask = optionalString(record, 'subtask', at) ?? task;
    this.report.questions++;

    // Count each model's normalised answers and the pool's summed counts (Map order = first appearance).
    const perModel: Array<Map<string, number>> = [];
    const sampleCounts: number[] = [];
    const pooled = new Map<string, number>();
    for (const id of ids) {
      const field = `answers.${id}`;
      const list = byModel[id];
      if (list === undefined) throw new DataFormatError(`missing the answers of model "${id}"`, { ...at, field });
      if (!Array.isArray(list) || list.length === 0) {
        throw new DataFormatError(`must be a non-empty array of sampled answers, got ${describe(list)}`, { ...at, field });
      }
      const counts = new Map<string, number>();
      list.forEach((value, j) => {
        if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
          throw new DataFormatError(`a sampled answer must be a string, a number or null, got ${describe(value)}`, { ...at, field: `${field}[${j}]` });
        }
        const answer = this.normalise(value);
        if (answer === undefined) return; // unparsable sample: part of S, no slot
        counts.set(answer, (counts.get(answer) ?? 0) + 1);
        pooled.set(answer, (pooled.get(answer) ?? 0) + 1);
      });
      perModel.push(counts);
      sampleCounts.push(list.length);
      this.samplesPerModel.add(list.length);
    }
    const kept = [...pooled.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.k).map(([answer]) => answer);
    const space: Array<string | undefined> = this.slotOrder === 'neutral' ? neutralOrder(questionId, kept, this.k) : kept;
    if (pooled.size > this.k) this.report.truncated++;
    let label = space.indexOf(gold);
    if (label < 0) {
      this.report.excluded++;
      this.report.excludedIds.push(questionId);
      if (!this.keepUnanswerable) return;
      label = this.k;
    }

    const builder = this.builder!;
    const N = ids.length;
    const question = optionalQuestion(record, at);
    const { query, probStart } = builder.addQuery({ task, subtask, split: split ?? 'train', label, choices: this.slots, queryId: questionId, question });
    const probs = builder.probs;
    for (let i = 0; i < N; i++) {
      const base = probStart + i * this.slots;
      let best = -1;
      let bestCount = 0;
      space.forEach((answer, slot) => {
        const count = answer === undefined ? 0 : (perModel[i].get(answer) ?? 0);
        probs[base + slot] = count / sampleCounts[i];
        if (count > bestCount) {
          bestCount = count;
          best = slot;
        }
      });
      for (let slot = space.length; slot < this.slots; slot++) probs[base + slot] = 0;
      builder.predictions[query * N + i] = best;
      if (best < 0) this.report.abstentions++;
    }
  }

  finish(defaultSource: string): { dataset: Dataset; report: SampledAnswersReport } {
    const report = this.report;
    if (report.questions === 0) throw new DataFormatError('no records (empty file)', { file: this.file });
    if (!this.builder || this.builder.size === 0) {
      throw new DataFormatError(
        `all ${report.questions} questions have their gold answer outside the ${this.k} most frequent sampled answers; nothing to read (see keepUnanswerable)`,
        { file: this.file },
      );
    }
    if (report.excluded > 0) {
      const shown = report.excludedIds.slice(0, 10).join(', ') + (report.excluded > 10 ? ', ...' : '');
      const what = this.keepUnanswerable ? `kept with the reserved label ${this.k}` : 'excluded';
      (this.options.warn ?? console.warn)(
        `${this.file}: ${report.excluded} of ${report.questions} questions ${what}: gold answer not among the ${this.k} most frequent sampled answers (${shown})`,
      );
    }
    const samples = [...this.samplesPerModel].sort((a, b) => a - b);
    const notes = this.keepUnanswerable
      ? [`${report.excluded} questions whose gold is not among the pool's answers are kept with an unreachable label (slot ${this.k})`]
      : report.excluded > 0
        ? [`${report.excluded} of ${report.questions} questions excluded: gold not among the ${this.k} most frequent sampled answers`]
        : [];
    const provenance = this.options.provenance ?? {
      kind: 'real',
      source: `${defaultSource} (${this.builder.nModels} LLMs, ${samples.join('/')} samples each, ${this.builder.size} questions)`,
      notes,
    };
    let dataset = this.builder.build(this.slotOrder === 'pool-count' ? { ...provenance, answerSlots: 'pool-ordered' } : provenance);
    if (!this.hasSplit) {
      const fraction = this.options.trainFraction ?? 0.8;
      dataset = dataset.withStreamSplit(fraction);
    }
    return { dataset, report };
  }

  private modelIds(byModel: Record<string, unknown>, at: RecordLocation): string[] {
    if (!this.ids) {
      this.ids = this.options.models ?? Object.keys(byModel);
      if (this.ids.length === 0) throw new DataFormatError('no models in "answers"', { ...at, field: 'answers' });
      const info = this.options.modelInfo ?? [];
      this.builder = new DatasetBuilder(this.ids.map((id) => ({ ...(info.find((m) => m.id === id) ?? {}), id })));
    } else if (!this.options.models) {
      for (const key of Object.keys(byModel)) {
        if (!this.ids.includes(key)) {
          throw new DataFormatError(`model "${key}" is not in the first record (models: ${this.ids.join(', ')})`, { ...at, field: `answers.${key}` });
        }
      }
    }
    return this.ids;
  }

  private splitOf(record: Record<string, unknown>, at: RecordLocation): SplitName | undefined {
    const value = record.split;
    const has = value !== undefined;
    if (this.hasSplit === undefined) this.hasSplit = has;
    if (has !== this.hasSplit) {
      throw new DataFormatError(`"split" must be given on every record or on none (${has ? 'absent' : 'present'} on earlier records)`, {
        ...at,
        field: 'split',
      });
    }
    if (!has) return undefined;
    if (value !== 'train' && value !== 'test') throw new DataFormatError(`must be "train" or "test", got ${describe(value)}`, { ...at, field: 'split' });
    return value;
  }
}

function optionalString(record: Record<string, unknown>, key: string, at: RecordLocation): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new DataFormatError(`must be a non-empty string, got ${describe(value)}`, { ...at, field: key });
  return value;
}

/**
 * The K slots of a question: its kept answers and K - answers.length empty slots (undefined), in the order of a
 * 32-bit FNV-1a hash of (question id, answer or padding index), equal hashes by the key's text. Fixed by the data
 * alone (no seed, so every run reads the same pool), unrelated to counts or correctness.
 */
function neutralOrder(questionId: string, answers: string[], k: number): Array<string | undefined> {
  const slots: Array<{ answer: string | undefined; text: string }> = answers.map((answer) => ({ answer, text: `a:${answer}` }));
  for (let j = answers.length; j < k; j++) slots.push({ answer: undefined, text: `pad:${j}` });
  const keyed = slots.map((slot) => ({ ...slot, key: fnv1a(`${questionId}\u0000${slot.text}`) }));
  keyed.sort((a, b) => a.key - b.key || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return keyed.map((slot) => slot.answer);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
