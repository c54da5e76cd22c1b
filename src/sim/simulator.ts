import { Dataset, TEST, TRAIN } from '../data/dataset';
import { Rng } from '../util/rng';
import { normalQuantile } from '../stats/normal';
import {
  type BenchmarkName,
  type ModelRow,
  type PoolCalibration,
  BENCHMARK_NAMES,
  resolveBenchmarkPool,
  validatePoolCalibration,
} from './calibration';
import { topicSchedule } from './simulator-stream';
import { confidenceSignal, drawOptionAppeal, softmaxInPlace, writeModelLogits } from './simulator-confidence';
import { SampledAnswerer } from './simulator-sampled';

/**
 * Seeded generator of recorded outputs for a pool of LLMs on a benchmark-like stream (the embedded default data
 * of the notebooks). The generative model, per query t of subtask s:
 *
 *   z_t ~ N(0,1) query difficulty shared by all models; u_{f,t} ~ N(0,1) per model family; e_{i,t} ~ N(0,1)
 *   L_{i,t} = loading_i z_t + familyLoading u_{f(i),t} + sqrt(1 - loading_i^2 - familyLoading^2) e_{i,t}
 *   model i is right  <=>  L_{i,t} < Phi^-1(accuracy_{i,s})          (so P(right) = accuracy_{i,s} exactly)
 *   choices mode: option appeals A_{t,c} ~ N(0,1) shared by all models; a wrong model answers the wrong option of
 *   largest utility sqrt(appealSharing) A_{t,c} + sqrt(1 - appealSharing) e_{i,t,c}, so wrong models coincide on
 *   attractive options; its probability vector follows simulator-confidence.ts
 *   sampled mode (GSM8K-like): simulator-sampled.ts (wrong samples hit the shared wrong answer w.p. distractorSharing)
 *
 * The topic sequence comes from simulator-stream.ts; labels are uniform over the options. Everything is a
 * function of (calibration, options, seed): the same seed gives bitwise identical columns.
 */

export interface SimulatePoolOptions {
  /** A named benchmark resolved from data/calibration, or 'custom' with `calibration`. */
  benchmark: BenchmarkName | 'custom';
  /** Table ids (data/calibration/models.json) or rows with their own accuracy; default: the benchmark's pool.
   * With 'custom': ids select (and order) models of the calibration. */
  models?: string[] | ModelRow[];
  /** Required with 'custom' (e.g. from calibrateToDataset). */
  calibration?: PoolCalibration;
  nQueries: number;
  seed: number;
  /** Mean length of a run of one subtask (Infinity: one run per subtask). Default 100. */
  meanRunLength?: number;
  /** Fraction of (query, model) cells without an answer. Default: the calibration's (0.005 for table pools). */
  abstentionRate?: number;
  /** Overrides the calibration's family loading (extra latent correlation within a family = familyLoading^2). */
  familyLoading?: number;
  /** Overrides every model's loading on the shared difficulty factor. */
  difficultyLoading?: number;
  /** Sampled mode: overrides the probability that a wrong sampled answer is the question's shared wrong answer. */
  distractorSharing?: number;
  /** Overrides every model's confidence sharpness (how strongly confidences track correctness). */
  confidenceSharpness?: number;
  /** Overrides every model's confidence noise (how poorly the confidence lead reveals correctness). */
  confidenceNoise?: number;
  /** Overrides every model's subtask gain of the confidence (how much more confident it is on its easier subtasks). */
  subtaskConfidenceGain?: number;
  /** Overrides the weight of the shared question difficulty in every model's confidence. */
  difficultyConfidence?: number;
  /** Overrides every model's gold logit boost in its vector when it answers wrong. */
  runnerUpBoost?: number;
  /** Overrides the share of the non-predicted logits that is common to all models (the option's appeal). */
  appealSharing?: number;
  /** Within each subtask, the first floor(trainFraction * n) queries in stream order are TRAIN. Default 0.8. */
  trainFraction?: number;
  /** Sampled mode: answers sampled per model and question. Default 10. */
  samples?: number;
  /** Sampled mode: size K of the answer space. Default 10. */
  answerSpace?: number;
  /** Sampled mode, as the sampled-answers reader: questions whose gold answer is not among the K most frequent
   * answers are dropped (default, as the authors' code does) and counted in the report and provenance notes; with
   * `keepUnanswerable` every question gets a reserved slot K, the label of those questions (every model wrong). */
  keepUnanswerable?: boolean;
}

export interface SimulationReport {
  requestedQueries: number;
  /** Queries in the dataset (in sampled mode, fewer than requested when questions were dropped). */
  nQueries: number;
  /** Queries generated per subtask (before any drop). */
  subtaskQuotas: Record<string, number>;
  /** Maximal runs of one subtask in the generated stream, and their mean length. */
  runs: number;
  meanRunLength: number;
  /** (query, model) cells with an all-zero row. */
  abstentions: number;
  /** Sampled mode: questions whose gold answer fell outside the K most frequent answers (kept or dropped). */
  goldOutsideSpace: number;
  dropped: number;
  /** The calibration actually used (after option overrides). */
  calibration: PoolCalibration;
}

/** Largest simulated stream: a million queries of 12 models x 4 choices are already 0.4 GB of probabilities. */
export const MAX_SIM_QUERIES = 1_000_000;

const DEFAULT_MEAN_RUN_LENGTH = 100;
const DEFAULT_SAMPLES = 10;
const DEFAULT_ANSWER_SPACE = 10;

export function simulatePool(options: SimulatePoolOptions): Dataset {
  return simulatePoolWithReport(options).dataset;
}

export function simulatePoolWithReport(options: SimulatePoolOptions): { dataset: Dataset; report: SimulationReport } {
  const { nQueries, seed } = options;
  if (!Number.isInteger(nQueries) || nQueries <= 0 || nQueries > MAX_SIM_QUERIES) {
    throw new RangeError(`simulatePool: nQueries must be an integer in [1, ${MAX_SIM_QUERIES}], got ${nQueries}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`simulatePool: seed must be a finite number, got ${seed}`);
  const cal = effectiveCalibration(options);
  const meanRunLength = options.meanRunLength ?? DEFAULT_MEAN_RUN_LENGTH;
  const trainFraction = options.trainFraction ?? 0.8;
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`simulatePool: trainFraction must be in (0, 1), got ${trainFraction}`);
  const samples = options.samples ?? DEFAULT_SAMPLES;
  const answerSpace = options.answerSpace ?? DEFAULT_ANSWER_SPACE;
  const keepUnanswerable = options.keepUnanswerable ?? false;
  if (cal.mode === 'sampled') {
    if (!(Number.isInteger(samples) && samples >= 1)) throw new RangeError(`simulatePool: samples must be a positive integer, got ${samples}`);
    if (!(Number.isInteger(answerSpace) && answerSpace >= 2 && answerSpace <= 254)) throw new RangeError(`simulatePool: answerSpace must be an integer in [2, 254], got ${answerSpace}`);
    if (keepUnanswerable && answerSpace > 253) throw new RangeError(`simulatePool: answerSpace must be <= 253 with keepUnanswerable, got ${answerSpace}`);
  }

  const root = new Rng(seed);
  const schedule = topicSchedule(cal.subtasks.map((s) => s.weight), nQueries, meanRunLength, root.fork('stream'));
  const rngLatent = root.fork('latent');
  const rngLabels = root.fork('labels');
  const rngAnswers = root.fork('answers');
  const rngConfidence = root.fork('confidence');
  const rngAbstain = root.fork('abstain');
  const rngAppeal = root.fork('appeal');

  const N = cal.models.length;
  const S = cal.subtasks.length;
  const familyNames = [...new Set(cal.models.map((m) => m.info.family).filter((f): f is string => !!f))];
  const familyOf = Int32Array.from(cal.models, (m) => (m.info.family ? familyNames.indexOf(m.info.family) : -1));
  const loading = Float64Array.from(cal.models, (m) => m.loading);
  const familyLoading = Float64Array.from(familyOf, (f) => (f >= 0 ? cal.familyLoading : 0));
  const ownLoading = Float64Array.from(cal.models, (_, i) => Math.sqrt(1 - loading[i] ** 2 - familyLoading[i] ** 2));
  const threshold = new Float64Array(N * S);
  const abstainGivenWrong = new Float64Array(N * S);
  for (let i = 0; i < N; i++) {
    for (let s = 0; s < S; s++) {
      const p = cal.models[i].accuracy[s];
      threshold[i * S + s] = normalQuantile(p);
      abstainGivenWrong[i * S + s] = Math.min(1, cal.abstentionRate / (1 - p));
    }
  }

  const sampled = cal.mode === 'sampled';
  const answerer = sampled ? new SampledAnswerer(N, samples, answerSpace, cal.distractorSharing ?? 0, keepUnanswerable) : undefined;
  let probSize = 0;
  for (let t = 0; t < nQueries; t++) probSize += N * (answerer ? answerer.slots : cal.subtasks[schedule.subtask[t]].choices);
  const probs = new Float64Array(probSize);
  const choiceCounts = new Uint8Array(nQueries);
  const labels = new Int32Array(nQueries);
  const subtaskOf = new Uint16Array(nQueries);
  const familyFactor = new Float64Array(familyNames.length);
  const margin = new Float64Array(N);
  const correct = new Uint8Array(N);
  const abstain = new Uint8Array(N);
  const appeal = new Float64Array(sampled ? 0 : Math.max(...cal.subtasks.map((sub) => sub.choices)));
  const shapes = cal.models.map((m) => ({
    sharpness: m.sharpness,
    noise: m.confidenceNoise,
    runnerUpBoost: m.runnerUpBoost,
    appealSharing: cal.appealSharing ?? 0,
  }));
  const ease = subtaskEase(cal);
  let kept = 0;
  let cursor = 0;
  let abstentions = 0;
  let goldOutside = 0;

  for (let t = 0; t < nQueries; t++) {
    const s = schedule.subtask[t];
    const z = rngLatent.normal();
    for (let f = 0; f < familyFactor.length; f++) familyFactor[f] = rngLatent.normal();
    for (let i = 0; i < N; i++) {
      const latent = loading[i] * z + (familyOf[i] >= 0 ? familyLoading[i] * familyFactor[familyOf[i]] : 0) + ownLoading[i] * rngLatent.normal();
      margin[i] = threshold[i * S + s] - latent;
      correct[i] = margin[i] > 0 ? 1 : 0;
      abstain[i] = !correct[i] && rngAbstain.next() < abstainGivenWrong[i * S + s] ? 1 : 0;
    }
    let choices: number;
    if (answerer) {
      const q = answerer.answer(correct, margin, abstain, rngAnswers);
      if (q.goldOutside) {
        goldOutside += 1;
        if (!keepUnanswerable) continue;
      }
      choices = answerer.slots;
      labels[kept] = q.label;
      probs.set(q.probs, cursor);
    } else {
      choices = cal.subtasks[s].choices;
      const gold = rngLabels.int(choices);
      labels[kept] = gold;
      drawOptionAppeal(appeal, choices, rngAppeal);
      for (let i = 0; i < N; i++) {
        if (abstain[i]) continue;
        const offset = cursor + i * choices;
        const signal = confidenceSignal(margin[i], ease[i * S + s], z, cal.models[i].subtaskConfidenceGain, cal.difficultyConfidence);
        writeModelLogits(probs, offset, choices, gold, correct[i] === 1, signal, shapes[i], rngConfidence, appeal);
        softmaxInPlace(probs, offset, choices, cal.models[i].temperature);
      }
    }
    for (let i = 0; i < N; i++) {
      let any = false;
      for (let c = 0; c < choices && !any; c++) any = probs[cursor + i * choices + c] > 0;
      if (!any) abstentions += 1;
    }
    choiceCounts[kept] = choices;
    subtaskOf[kept] = s;
    cursor += N * choices;
    kept += 1;
  }

  const taskNames = [...new Set(cal.subtasks.map((s) => s.task))];
  const taskOfSubtask = cal.subtasks.map((s) => taskNames.indexOf(s.task));
  const subtaskIds = subtaskOf.slice(0, kept);
  const taskIds = Uint16Array.from(subtaskIds, (s) => taskOfSubtask[s]);
  const { split, queryIds } = streamSplit(subtaskIds, cal.subtasks.map((s) => s.name), trainFraction);
  const benchmarkLabel = options.benchmark === 'custom' ? `custom (${taskNames.join(', ')})` : options.benchmark;
  const notes = [
    `seed ${seed}; ${N} models; ${kept} queries${kept < nQueries ? ` (of ${nQueries} generated)` : ''}; ${schedule.runs} topic runs (mean length ${(nQueries / schedule.runs).toFixed(1)})`,
    `latent model: family loading ${cal.familyLoading}, abstention rate ${cal.abstentionRate}, ` +
      (sampled
        ? `distractor sharing ${(cal.distractorSharing ?? 0).toFixed(3)}`
        : `option-appeal sharing ${(cal.appealSharing ?? 0).toFixed(3)}; confidences: difficulty weight ${cal.difficultyConfidence.toFixed(3)}, sharpness ${cal.models.map((m) => m.sharpness.toFixed(2)).join('/')}, noise ${cal.models.map((m) => m.confidenceNoise.toFixed(2)).join('/')}, subtask gain ${cal.models.map((m) => m.subtaskConfidenceGain.toFixed(2)).join('/')}, runner-up boost ${cal.models.map((m) => m.runnerUpBoost.toFixed(2)).join('/')} (per model)`),
    ...cal.notes,
  ];
  if (sampled) {
    notes.push(
      `sampled answers: ${samples} per model, answer space K = ${answerSpace} most frequent (padded to K); frequencies count / ${samples}, not renormalised`,
      keepUnanswerable
        ? `${goldOutside} of ${nQueries} questions had the gold answer outside the answer space: kept with the reserved label ${answerSpace} (every model wrong)`
        : `${goldOutside} of ${nQueries} questions had the gold answer outside the answer space: excluded (as the authors' code does)`,
    );
  }
  const dataset = new Dataset({
    models: cal.models.map((m) => ({ ...m.info })),
    choiceCounts: choiceCounts.slice(0, kept),
    labels: labels.slice(0, kept),
    probs: probs.slice(0, cursor),
    taskIds,
    taskNames,
    subtaskIds,
    subtaskNames: cal.subtasks.map((s) => s.name),
    split,
    queryIds,
    provenance: {
      kind: 'simulated',
      source: `simulated pool: ${benchmarkLabel}, calibrated to ${cal.source}`,
      notes,
      // As the sampled-answers reader: the K slots are the pool's answers, most frequent first.
      ...(sampled ? { answerSlots: 'pool-ordered' as const } : {}),
    },
  });
  const subtaskQuotas: Record<string, number> = {};
  cal.subtasks.forEach((sub, k) => (subtaskQuotas[sub.name] = schedule.quotas[k]));
  return {
    dataset,
    report: {
      requestedQueries: nQueries,
      nQueries: kept,
      subtaskQuotas,
      runs: schedule.runs,
      meanRunLength: nQueries / schedule.runs,
      abstentions,
      goldOutsideSpace: goldOutside,
      dropped: keepUnanswerable ? 0 : goldOutside,
      calibration: cal,
    },
  };
}

/** The calibration of the options (named benchmark or custom) with the knob overrides applied, validated. */
function effectiveCalibration(options: SimulatePoolOptions): PoolCalibration {
  let base: PoolCalibration;
  if (options.benchmark === 'custom') {
    if (!options.calibration) throw new RangeError("simulatePool: benchmark 'custom' needs a calibration (e.g. from calibrateToDataset)");
    validatePoolCalibration(options.calibration);
    base = options.calibration;
    if (options.models) {
      const ids = options.models.map((m) => {
        if (typeof m !== 'string') throw new RangeError("simulatePool: with benchmark 'custom', models must be ids of the calibration's models");
        return m;
      });
      if (ids.length === 0) throw new RangeError('simulatePool: models must list at least one model');
      base = {
        ...base,
        models: ids.map((id) => {
          const m = base.models.find((x) => x.info.id === id);
          if (!m) throw new RangeError(`simulatePool: unknown model "${id}" (the calibration has: ${base.models.map((x) => x.info.id).join(', ')})`);
          return m;
        }),
      };
    }
  } else {
    if (!BENCHMARK_NAMES.includes(options.benchmark)) {
      throw new RangeError(`simulatePool: unknown benchmark "${options.benchmark}" (known: ${BENCHMARK_NAMES.join(', ')}, custom)`);
    }
    if (options.calibration) throw new RangeError(`simulatePool: a calibration is only used with benchmark 'custom', not '${options.benchmark}'`);
    base = resolveBenchmarkPool(options.benchmark, options.models);
  }
  const cal: PoolCalibration = {
    ...base,
    models: base.models.map((m) => ({
      ...m,
      loading: options.difficultyLoading ?? m.loading,
      sharpness: options.confidenceSharpness ?? m.sharpness,
      confidenceNoise: options.confidenceNoise ?? m.confidenceNoise,
      subtaskConfidenceGain: options.subtaskConfidenceGain ?? m.subtaskConfidenceGain,
      runnerUpBoost: options.runnerUpBoost ?? m.runnerUpBoost,
    })),
    familyLoading: options.familyLoading ?? base.familyLoading,
    abstentionRate: options.abstentionRate ?? base.abstentionRate,
    difficultyConfidence: options.difficultyConfidence ?? base.difficultyConfidence,
    notes: [...base.notes],
  };
  if (base.mode === 'sampled') {
    if (options.appealSharing !== undefined) throw new RangeError('simulatePool: appealSharing applies to choices mode only (sampled mode: distractorSharing)');
    cal.distractorSharing = options.distractorSharing ?? base.distractorSharing;
  } else {
    if (options.distractorSharing !== undefined) throw new RangeError('simulatePool: distractorSharing applies to sampled mode only (choices mode: appealSharing)');
    cal.appealSharing = options.appealSharing ?? base.appealSharing;
  }
  validatePoolCalibration(cal, 'simulatePool options');
  return cal;
}

/** Per model and subtask, the probit threshold minus the model's stream-weighted mean threshold (how easy the subtask is for it). */
export function subtaskEase(cal: PoolCalibration): Float64Array {
  const S = cal.subtasks.length;
  const ease = new Float64Array(cal.models.length * S);
  let total = 0;
  for (const sub of cal.subtasks) total += sub.weight;
  cal.models.forEach((m, i) => {
    let mean = 0;
    for (let s = 0; s < S; s++) mean += (cal.subtasks[s].weight / total) * normalQuantile(m.accuracy[s]);
    for (let s = 0; s < S; s++) ease[i * S + s] = normalQuantile(m.accuracy[s]) - mean;
  });
  return ease;
}

/** The paper's split (first floor(f * n) queries of each subtask, in stream order, are TRAIN) and query ids "subtask#k". */
function streamSplit(subtaskIds: Uint16Array, names: string[], trainFraction: number): { split: Uint8Array; queryIds: string[] } {
  const totals = new Int32Array(names.length);
  for (const s of subtaskIds) totals[s] += 1;
  const seen = new Int32Array(names.length);
  const split = new Uint8Array(subtaskIds.length);
  const queryIds: string[] = new Array(subtaskIds.length);
  for (let t = 0; t < subtaskIds.length; t++) {
    const s = subtaskIds[t];
    split[t] = seen[s] < Math.floor(trainFraction * totals[s]) ? TRAIN : TEST;
    queryIds[t] = `${names[s]}#${seen[s]}`;
    seen[s] += 1;
  }
  return { split, queryIds };
}
