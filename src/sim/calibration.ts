import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelInfo } from '../data/dataset';
import { Rng, hashString } from '../util/rng';
import { bisectIncreasing, normalCdf, normalQuantile } from '../stats/normal';

/**
 * What the simulator needs to know about a pool: the topics of the stream and, per model, its accuracy on each
 * topic and how its errors co-occur with the other models'. Named benchmarks are resolved from the tables in
 * `data/calibration/` (every number there carries its source); `calibrateToDataset` fits the same structure to
 * recorded outputs.
 */

export type BenchmarkName = 'mmlu' | 'gsm8k' | 'bbh' | 'musr' | 'gpqa';
export const BENCHMARK_NAMES: readonly BenchmarkName[] = ['mmlu', 'gsm8k', 'bbh', 'musr', 'gpqa'];

/** `choices`: one probability vector over the C options per model. `sampled`: S sampled answers per model,
 * turned into answer frequencies over the pool's K most frequent answers (GSM8K-like open questions). */
export type AnswerMode = 'choices' | 'sampled';

export interface SubtaskCalibration {
  name: string;
  task: string;
  /** Options per question (in sampled mode: the answer-space size K). */
  choices: number;
  /** Relative share of the stream. */
  weight: number;
}

export interface ModelCalibration {
  info: ModelInfo;
  /** Accuracy per subtask (same order as `PoolCalibration.subtasks`), each in (0, 1). */
  accuracy: number[];
  /** Loading on the shared query-difficulty factor, in [0, 1): latent correlation of two models = product of loadings. */
  loading: number;
  /** Softmax temperature of the model's confidences (< 1 overconfident, > 1 underconfident). */
  temperature: number;
  /** Slope of the predicted option's logit lead in the latent margin: how much more confident the model is when
   * right than when wrong. */
  sharpness: number;
  /** Noise of the confidence lead, in latent-margin units: how poorly the lead over the runner-up tells right
   * from wrong answers (0: perfectly). */
  confidenceNoise: number;
  /** Extra weight, in the confidence lead, of how easy the subtask is for the model (its probit threshold minus its
   * stream-weighted mean threshold): 0 = the confidence follows only the latent margin. */
  subtaskConfidenceGain: number;
  /** Logit boost of the gold option when the model answers wrong (how often the gold is its runner-up). */
  runnerUpBoost: number;
}

export interface CalibrationDiagnostics {
  /** Latent (tetrachoric-style) correlation fitted per model pair from joint failure counts, and the one the model implies. */
  pairCorrelation: { observed: number[][]; model: number[][] };
  /** P(two wrong models give the same wrong answer), questions with >= 3 options; observed vs model at the fitted sharing. */
  sameWrongAnswer: { observed: number; model: number; pairs: number };
  /** Mean probability of the predicted choice per model, observed vs the simulator at the fitted temperature. */
  meanTopProbability: { observed: number[]; model: number[] };
  /** Per model, mean top probability when right minus when wrong, observed vs the simulator at the fitted sharpness. */
  confidenceSplit: { observed: number[]; model: number[] };
  /** Per model, AUC of the log-probability lead over the runner-up for telling right from wrong answers: within a
   * subtask (pairs of one subtask) and pooled, observed vs the simulator at the fitted noise and subtask gain. */
  leadAuc: { observed: number[]; model: number[]; observedWithinSubtask: number[]; modelWithinSubtask: number[] };
  /** Over pairs of models of which exactly one is right, how often the right one's lead over its runner-up is the
   * higher percentile among its own leads; observed vs the simulator at the fitted difficulty weight. */
  disagreementAuc: { observed: number; model: number; pairs: number };
  /** Per model, P(the gold option is the runner-up | wrong, >= 3 options), observed vs the model at the fitted boost. */
  goldRunnerUp: { observed: number[]; model: number[]; chance: number[] };
  /** P(two wrong models have the same runner-up and it is not the gold | >= 3 options), observed vs the model at
   * the fitted appeal sharing. */
  sameNonGoldRunnerUp: { observed: number; model: number; pairs: number };
}

export interface PoolCalibration {
  /** Where the calibration comes from; quoted in the simulated dataset's provenance. */
  source: string;
  mode: AnswerMode;
  subtasks: SubtaskCalibration[];
  models: ModelCalibration[];
  /** Loading on the per-family factor; two models of one family get an extra latent correlation familyLoading^2. */
  familyLoading: number;
  /** Fraction of (question, model) cells with no answer; taken from would-be-wrong cells so accuracies are kept. */
  abstentionRate: number;
  /** Choices mode (required there), in [0, 1): share of a wrong option's utility variance that is its appeal on the
   * question, common to all models. Wrong models answer the wrong option of largest utility, so they coincide on
   * attractive options, which also rank high in the other models' vectors. */
  appealSharing?: number;
  /** Weight (>= 0) of the question's shared difficulty in every model's confidence signal: models are less
   * confident together on hard questions, beyond what their own correctness implies. */
  difficultyConfidence: number;
  /** Sampled mode (required there), in [0, 1]: probability that a wrong sampled answer is the question's attractive
   * wrong answer. */
  distractorSharing?: number;
  notes: string[];
  diagnostics?: CalibrationDiagnostics;
}

/** A model given directly instead of by table id. `accuracy` is the overall accuracy on the benchmark, or one per subtask name. */
export interface ModelRow {
  id: string;
  family?: string;
  paramsB?: number;
  priceCents?: number;
  priceSource?: string;
  accuracy: number | Record<string, number>;
  loading?: number;
  temperature?: number;
  sharpness?: number;
  confidenceNoise?: number;
  subtaskConfidenceGain?: number;
  runnerUpBoost?: number;
}

/** Defaults that are assumptions (documented in data/README.md "## Simulator"). */
export const DEFAULT_FAMILY_LOADING = 0.3;
export const DEFAULT_ABSTENTION_RATE = 0.005;
/** Sampled (open-answer) mode: wrong numeric answers are more dispersed than wrong options of a multiple-choice
 * question, so the BBH-fitted sharing is not reused there. */
export const DEFAULT_SAMPLED_DISTRACTOR_SHARING = 0.2;

/** Folder of the calibration tables (same relative place from src/data and dist/data). */
export const CALIBRATION_DIR = path.resolve(__dirname, '../../data/calibration');

interface TableAccuracy {
  value: number;
  source?: string;
  checkpoint?: string;
  assumed?: boolean;
  reason?: string;
}

export interface CalibrationTableModel {
  id: string;
  name: string;
  family: string;
  paramsB: number;
  paramsSource: string;
  priceCents: number;
  priceSource: string;
  accuracy: Record<BenchmarkName, TableAccuracy>;
}

interface TableSubtask {
  name: string;
  choices: number;
  weight: number;
  baseAccuracy?: number;
  measuredAccuracy?: Record<string, number>;
}

export interface CalibrationTableBenchmark {
  task: string;
  mode: AnswerMode;
  defaultPool: string[];
  subtaskProfile: { kind: 'random' | 'base' | 'measured' | 'none'; probitSpread?: number; modelInteraction?: number };
  subtasks: TableSubtask[];
  measuredCheckpoints?: Record<string, string>;
  defaultFit?: string;
}

export interface CalibrationTables {
  models: CalibrationTableModel[];
  benchmarks: Record<BenchmarkName, CalibrationTableBenchmark>;
}

let cachedTables: CalibrationTables | undefined;
const cachedFits = new Map<string, PoolCalibration>();

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read calibration table (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: malformed JSON (${(err as Error).message})`);
  }
}

function fail(file: string, where: string, message: string): never {
  throw new Error(`${file}: ${where}: ${message}`);
}

function checkProbability(file: string, where: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0 && v < 1)) fail(file, where, `accuracy must be a number in (0, 1), got ${JSON.stringify(v)}`);
  return v;
}

/** The model and benchmark tables of data/calibration, validated (cached after the first call). */
export function loadCalibrationTables(): CalibrationTables {
  if (cachedTables) return cachedTables;
  const modelsFile = path.join(CALIBRATION_DIR, 'models.json');
  const benchFile = path.join(CALIBRATION_DIR, 'benchmarks.json');
  const rawModels = readJson(modelsFile) as { models?: unknown };
  const rawBench = readJson(benchFile) as { benchmarks?: unknown };
  if (!Array.isArray(rawModels.models)) fail(modelsFile, 'models', 'expected an array');
  const models = rawModels.models as CalibrationTableModel[];
  const seen = new Set<string>();
  models.forEach((m, row) => {
    const where = `models[${row}]`;
    if (typeof m.id !== 'string' || m.id === '') fail(modelsFile, `${where}.id`, 'missing model id');
    if (seen.has(m.id)) fail(modelsFile, `${where}.id`, `duplicate model id "${m.id}"`);
    seen.add(m.id);
    if (typeof m.family !== 'string') fail(modelsFile, `${where}.family`, 'missing family');
    if (!(m.paramsB > 0)) fail(modelsFile, `${where}.paramsB`, `must be positive, got ${m.paramsB}`);
    if (!(m.priceCents > 0)) fail(modelsFile, `${where}.priceCents`, `must be positive, got ${m.priceCents}`);
    for (const b of BENCHMARK_NAMES) {
      const acc = m.accuracy?.[b];
      if (!acc) fail(modelsFile, `${where}.accuracy.${b}`, 'missing');
      checkProbability(modelsFile, `${where}.accuracy.${b}.value`, acc.value);
      if (!acc.assumed && !acc.source) fail(modelsFile, `${where}.accuracy.${b}`, 'a value that is not assumed needs a source');
      if (acc.assumed && !acc.reason) fail(modelsFile, `${where}.accuracy.${b}`, 'an assumed value needs a reason');
    }
  });
  const benchmarks = rawBench.benchmarks as Record<BenchmarkName, CalibrationTableBenchmark>;
  if (!benchmarks || typeof benchmarks !== 'object') fail(benchFile, 'benchmarks', 'expected an object');
  for (const b of BENCHMARK_NAMES) {
    const spec = benchmarks[b];
    if (!spec) fail(benchFile, `benchmarks.${b}`, 'missing');
    if (spec.mode !== 'choices' && spec.mode !== 'sampled') fail(benchFile, `benchmarks.${b}.mode`, `unknown mode ${JSON.stringify(spec.mode)}`);
    if (!Array.isArray(spec.subtasks) || spec.subtasks.length === 0) fail(benchFile, `benchmarks.${b}.subtasks`, 'expected a non-empty array');
    spec.subtasks.forEach((s, k) => {
      const where = `benchmarks.${b}.subtasks[${k}]`;
      if (!(Number.isInteger(s.choices) && s.choices >= 2 && s.choices <= 254)) fail(benchFile, `${where}.choices`, `must be an integer in [2, 254], got ${s.choices}`);
      if (!(s.weight > 0)) fail(benchFile, `${where}.weight`, `must be positive, got ${s.weight}`);
      if (s.baseAccuracy !== undefined) checkProbability(benchFile, `${where}.baseAccuracy`, s.baseAccuracy);
      for (const [id, v] of Object.entries(s.measuredAccuracy ?? {})) checkProbability(benchFile, `${where}.measuredAccuracy.${id}`, v);
    });
    for (const id of spec.defaultPool) if (!seen.has(id)) fail(benchFile, `benchmarks.${b}.defaultPool`, `unknown model "${id}"`);
  }
  cachedTables = { models, benchmarks };
  return cachedTables;
}

/** A stored PoolCalibration (e.g. data/calibration/bbh-fit.json, fitted by calibrateToDataset), validated. */
export function loadPoolCalibration(fileName: string): PoolCalibration {
  const cached = cachedFits.get(fileName);
  if (cached) return cached;
  const file = path.join(CALIBRATION_DIR, fileName);
  const cal = readJson(file) as PoolCalibration;
  validatePoolCalibration(cal, file);
  cachedFits.set(fileName, cal);
  return cal;
}

/** Throws (naming `where` and the field) unless the calibration can drive the simulator. */
export function validatePoolCalibration(cal: PoolCalibration, where = 'calibration'): void {
  if (cal.mode !== 'choices' && cal.mode !== 'sampled') fail(where, 'mode', `unknown mode ${JSON.stringify(cal.mode)}`);
  if (!Array.isArray(cal.subtasks) || cal.subtasks.length === 0) fail(where, 'subtasks', 'needs at least one subtask');
  if (cal.subtasks.length > 65535) fail(where, 'subtasks', 'too many subtasks (max 65535)');
  cal.subtasks.forEach((s, k) => {
    if (typeof s.name !== 'string' || s.name === '') fail(where, `subtasks[${k}].name`, 'missing name');
    if (!(Number.isInteger(s.choices) && s.choices >= 2 && s.choices <= 254)) fail(where, `subtasks[${k}].choices`, `must be an integer in [2, 254], got ${s.choices}`);
    if (!(s.weight > 0 && Number.isFinite(s.weight))) fail(where, `subtasks[${k}].weight`, `must be positive, got ${s.weight}`);
  });
  if (!Array.isArray(cal.models) || cal.models.length === 0) fail(where, 'models', 'needs at least one model');
  const ids = new Set<string>();
  cal.models.forEach((m, i) => {
    const at = `models[${i}] (${m.info?.id})`;
    if (!m.info || typeof m.info.id !== 'string' || m.info.id === '') fail(where, `models[${i}].info.id`, 'missing model id');
    if (ids.has(m.info.id)) fail(where, `${at}.info.id`, 'duplicate model id');
    ids.add(m.info.id);
    if (!Array.isArray(m.accuracy) || m.accuracy.length !== cal.subtasks.length) {
      fail(where, `${at}.accuracy`, `expected ${cal.subtasks.length} values (one per subtask)`);
    }
    m.accuracy.forEach((a, k) => checkProbability(where, `${at}.accuracy[${k}] (subtask ${cal.subtasks[k].name})`, a));
    if (!(m.loading >= 0 && m.loading < 1)) fail(where, `${at}.loading`, `must be in [0, 1), got ${m.loading}`);
    if (!(m.temperature > 0 && Number.isFinite(m.temperature))) fail(where, `${at}.temperature`, `must be positive, got ${m.temperature}`);
    if (!(m.sharpness > 0 && Number.isFinite(m.sharpness))) fail(where, `${at}.sharpness`, `must be positive, got ${m.sharpness}`);
    if (!(m.confidenceNoise >= 0 && Number.isFinite(m.confidenceNoise))) fail(where, `${at}.confidenceNoise`, `must be a finite number >= 0, got ${m.confidenceNoise}`);
    if (!Number.isFinite(m.subtaskConfidenceGain)) fail(where, `${at}.subtaskConfidenceGain`, `must be a finite number, got ${m.subtaskConfidenceGain}`);
    if (!Number.isFinite(m.runnerUpBoost)) fail(where, `${at}.runnerUpBoost`, `must be a finite number, got ${m.runnerUpBoost}`);
    const family = m.info.family ? cal.familyLoading : 0;
    if (!(m.loading * m.loading + family * family < 1)) {
      fail(where, `${at}.loading`, `loading^2 + familyLoading^2 must be < 1 (got ${m.loading}^2 + ${family}^2)`);
    }
  });
  if (!(cal.familyLoading >= 0 && cal.familyLoading < 1)) fail(where, 'familyLoading', `must be in [0, 1), got ${cal.familyLoading}`);
  if (!(cal.abstentionRate >= 0 && cal.abstentionRate < 1)) fail(where, 'abstentionRate', `must be in [0, 1), got ${cal.abstentionRate}`);
  if (!(cal.difficultyConfidence >= 0 && Number.isFinite(cal.difficultyConfidence))) fail(where, 'difficultyConfidence', `must be a finite number >= 0, got ${cal.difficultyConfidence}`);
  if (cal.mode === 'choices') {
    const a = cal.appealSharing;
    if (!(a !== undefined && a >= 0 && a < 1)) fail(where, 'appealSharing', `must be in [0, 1) in choices mode, got ${a}`);
    if (cal.distractorSharing !== undefined) fail(where, 'distractorSharing', 'applies to sampled mode only (choices mode: appealSharing)');
  } else {
    const d = cal.distractorSharing;
    if (!(d !== undefined && d >= 0 && d <= 1)) fail(where, 'distractorSharing', `must be in [0, 1] in sampled mode, got ${d}`);
    if (cal.appealSharing !== undefined) fail(where, 'appealSharing', 'applies to choices mode only (sampled mode: distractorSharing)');
  }
}

/** Seed-independent draws that define the simulated "world" (subject difficulty, default temperatures). */
function worldRng(label: string): Rng {
  return new Rng(hashString('rl-focal-ts simulator world')).fork(label);
}

/** Probit offsets per subtask (weighted mean 0) describing which topics are hard for everyone. */
function subtaskOffsets(benchmark: BenchmarkName, spec: CalibrationTableBenchmark): Float64Array {
  const S = spec.subtasks.length;
  const offsets = new Float64Array(S);
  const profile = spec.subtaskProfile;
  if (profile.kind === 'random') {
    const rng = worldRng(`profile:${benchmark}`);
    for (let s = 0; s < S; s++) offsets[s] = rng.normal(0, profile.probitSpread ?? 0);
  } else if (profile.kind === 'base') {
    for (let s = 0; s < S; s++) offsets[s] = normalQuantile(spec.subtasks[s].baseAccuracy ?? 0.5);
  } else if (profile.kind === 'measured') {
    for (let s = 0; s < S; s++) {
      const measured = Object.values(spec.subtasks[s].measuredAccuracy ?? {});
      offsets[s] = measured.length ? measured.reduce((acc, p) => acc + normalQuantile(p), 0) / measured.length : 0;
    }
  }
  let total = 0;
  let mean = 0;
  for (let s = 0; s < S; s++) {
    mean += spec.subtasks[s].weight * offsets[s];
    total += spec.subtasks[s].weight;
  }
  mean /= total;
  for (let s = 0; s < S; s++) offsets[s] -= mean;
  return offsets;
}

/**
 * Per-subtask accuracies whose stream-weighted mean is `overall`: probit(acc_s) = alpha + offset_s + interaction_s,
 * alpha solved by bisection.
 */
export function spreadAccuracy(overall: number, offsets: ArrayLike<number>, weights: ArrayLike<number>): number[] {
  let total = 0;
  for (let s = 0; s < weights.length; s++) total += weights[s];
  const mean = (alpha: number): number => {
    let acc = 0;
    for (let s = 0; s < weights.length; s++) acc += weights[s] * normalCdf(alpha + offsets[s]);
    return acc / total;
  };
  const alpha = bisectIncreasing((x) => mean(x) - overall, -12, 12, 80);
  return Array.from(offsets, (o) => Math.min(1 - 1e-9, Math.max(1e-9, normalCdf(alpha + o))));
}

/** Resolve a named benchmark and a model list (table ids or rows) into a PoolCalibration. */
export function resolveBenchmarkPool(benchmark: BenchmarkName, models?: string[] | ModelRow[]): PoolCalibration {
  const tables = loadCalibrationTables();
  const spec = tables.benchmarks[benchmark];
  if (!spec) throw new RangeError(`simulatePool: unknown benchmark "${benchmark}" (known: ${BENCHMARK_NAMES.join(', ')}, custom)`);
  const fit = loadPoolCalibration('bbh-fit.json');
  const fitById = new Map(fit.models.map((m) => [m.info.id, m]));
  const meanLoading = fit.models.reduce((s, m) => s + m.loading, 0) / fit.models.length;
  const meanSharpness = Math.exp(fit.models.reduce((s, m) => s + Math.log(m.sharpness), 0) / fit.models.length);
  const meanConfidenceNoise = fit.models.reduce((s, m) => s + m.confidenceNoise, 0) / fit.models.length;
  const meanSubtaskConfidenceGain = fit.models.reduce((s, m) => s + m.subtaskConfidenceGain, 0) / fit.models.length;
  const meanRunnerUpBoost = fit.models.reduce((s, m) => s + m.runnerUpBoost, 0) / fit.models.length;
  const byId = new Map(tables.models.map((m) => [m.id, m]));
  const requested: Array<string | ModelRow> = models ?? spec.defaultPool;
  if (requested.length === 0) throw new RangeError('simulatePool: models must list at least one model');
  const offsets = subtaskOffsets(benchmark, spec);
  const weights = spec.subtasks.map((s) => s.weight);
  const interaction = spec.subtaskProfile.modelInteraction ?? 0;
  const notes: string[] = [];
  const assumedUsed: string[] = [];

  const calModels: ModelCalibration[] = requested.map((entry) => {
    const row: ModelRow = typeof entry === 'string' ? tableRow(entry) : entry;
    if (typeof row.id !== 'string' || row.id === '') throw new RangeError('simulatePool: every model row needs an id');
    const checkpoint = spec.measuredCheckpoints?.[row.id];
    const measured = typeof entry === 'string' && checkpoint !== undefined && spec.subtasks.every((s) => s.measuredAccuracy?.[row.id] !== undefined);
    let accuracy: number[];
    if (measured) {
      accuracy = spec.subtasks.map((s) => s.measuredAccuracy![row.id]);
    } else if (typeof row.accuracy === 'number') {
      if (!(row.accuracy > 0 && row.accuracy < 1)) {
        throw new RangeError(`simulatePool: model "${row.id}" accuracy must be in (0, 1), got ${row.accuracy}`);
      }
      const rng = worldRng(`interaction:${benchmark}:${row.id}`);
      const modelOffsets = Array.from(offsets, (o) => o + (interaction > 0 ? rng.normal(0, interaction) : 0));
      accuracy = spreadAccuracy(row.accuracy, modelOffsets, weights);
    } else {
      const perSubtask = row.accuracy as Record<string, number>;
      if (perSubtask === null || typeof perSubtask !== 'object') {
        throw new RangeError(`simulatePool: model "${row.id}" accuracy must be a number or a map from subtask name to accuracy`);
      }
      for (const name of Object.keys(perSubtask)) {
        if (!spec.subtasks.some((s) => s.name === name)) throw new RangeError(`simulatePool: model "${row.id}" gives an accuracy for unknown subtask "${name}" of ${benchmark}`);
      }
      accuracy = spec.subtasks.map((s) => {
        const v = perSubtask[s.name];
        if (v === undefined) throw new RangeError(`simulatePool: model "${row.id}" has no accuracy for subtask "${s.name}" of ${benchmark}`);
        if (!(v > 0 && v < 1)) throw new RangeError(`simulatePool: model "${row.id}" accuracy on "${s.name}" must be in (0, 1), got ${v}`);
        return v;
      });
    }
    const fitted = measured ? fitById.get(checkpoint!) : undefined;
    const loading = row.loading ?? fitted?.loading ?? meanLoading;
    const temperature = row.temperature ?? fitted?.temperature ?? Math.exp(worldRng(`temperature:${row.id}`).normal(0, 0.5));
    return {
      info: { id: row.id, family: row.family, paramsB: row.paramsB, priceCents: row.priceCents, priceSource: row.priceSource },
      accuracy,
      loading,
      temperature,
      sharpness: row.sharpness ?? fitted?.sharpness ?? meanSharpness,
      confidenceNoise: row.confidenceNoise ?? fitted?.confidenceNoise ?? meanConfidenceNoise,
      subtaskConfidenceGain: row.subtaskConfidenceGain ?? fitted?.subtaskConfidenceGain ?? meanSubtaskConfidenceGain,
      runnerUpBoost: row.runnerUpBoost ?? fitted?.runnerUpBoost ?? meanRunnerUpBoost,
    };
  });

  function tableRow(id: string): ModelRow {
    const m = byId.get(id);
    if (!m) throw new RangeError(`simulatePool: unknown model "${id}" (known: ${[...byId.keys()].join(', ')}); pass a ModelRow to use another model`);
    const acc = m.accuracy[benchmark];
    if (acc.assumed) assumedUsed.push(id);
    const priceSource = m.priceSource === 'table8' ? 'paper Table 8 (DeepInfra)' : m.priceSource;
    return { id: m.id, family: m.family, paramsB: m.paramsB, priceCents: m.priceCents, priceSource, accuracy: acc.value };
  }

  if (assumedUsed.length) notes.push(`assumed ${benchmark} accuracy (see data/calibration/models.json): ${assumedUsed.join(', ')}`);
  if (spec.subtaskProfile.kind === 'random') notes.push(`per-subject accuracies spread around each model's overall accuracy with an assumed profile (probit sd ${spec.subtaskProfile.probitSpread})`);
  const sampled = spec.mode === 'sampled';
  notes.push(
    sampled
      ? `family loading ${DEFAULT_FAMILY_LOADING} and distractor sharing ${DEFAULT_SAMPLED_DISTRACTOR_SHARING} (assumed); default difficulty loading from bbh-fit.json`
      : `family loading ${DEFAULT_FAMILY_LOADING} (assumed); option-appeal sharing, the difficulty weight of confidences and the defaults of difficulty loading, confidence sharpness, noise and subtask gain, and runner-up boost (means over the 5 fitted models) from bbh-fit.json`,
  );
  return {
    source: `data/calibration (models.json + benchmarks.json${benchmark === 'bbh' ? ' + bbh-fit.json' : ''})`,
    mode: spec.mode,
    subtasks: spec.subtasks.map((s) => ({ name: s.name, task: spec.task, choices: s.choices, weight: s.weight })),
    models: calModels,
    familyLoading: DEFAULT_FAMILY_LOADING,
    abstentionRate: DEFAULT_ABSTENTION_RATE,
    difficultyConfidence: fit.difficultyConfidence,
    ...(sampled ? { distractorSharing: DEFAULT_SAMPLED_DISTRACTOR_SHARING } : { appealSharing: fit.appealSharing }),
    notes,
  };
}
