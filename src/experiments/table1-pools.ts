/**
 * The pools the result notebooks run on, each with the one-line provenance its numbers carry: simulated pools of the
 * paper's benchmarks (simulatePool, calibrated to data/calibration) and the real bbh-leaderboard outputs.
 */
import { withPaperPrices } from '../baselines/prices';
import { bbhLeaderboardAvailable, DEFAULT_BBH_LEADERBOARD_DIR, loadBbhLeaderboard, type BbhLabels } from '../data/bbh';
import { loadCalibrationTables, type BenchmarkName } from '../sim/calibration';
import type { Dataset } from '../data/dataset';
import { simulatePool } from '../sim/simulator';

export interface LabelledPool {
  /** Stable key for file names and table columns, e.g. "sim-mmlu", "real-bbh". */
  key: string;
  /** Column title, e.g. "MMLU (simulated)". */
  title: string;
  /** Where every number computed on this pool comes from. */
  provenance: string;
  data: Dataset;
  /** Simulated pools: how many of the model accuracies they are calibrated to are assumed rather than sourced. */
  assumedAccuracies?: number;
}

export const BENCHMARK_TITLES: Readonly<Record<BenchmarkName, string>> = {
  mmlu: 'MMLU',
  gsm8k: 'GSM8K',
  bbh: 'BBH',
  musr: 'MUSR',
  gpqa: 'GPQA',
};

/** The paper's Table 1 rows (spec §3) as calibration ids, in the paper's order. */
export const TABLE1_MODEL_IDS: readonly string[] = [
  'phi-2',
  'gemma-2b',
  'gemma-7b',
  'llama-2-7b',
  'mistral-7b',
  'llama-2-13b',
  'phi-4-14b',
  'gemma-2-27b',
  'llama-2-70b',
  'mixtral-8x7b',
  'mixtral-8x22b',
  'qwen-2.5-72b',
  'llama-3-70b',
  'deepseek-llm-67b',
];

export interface SimulatedPoolOptions {
  nQueries: number;
  seed: number;
  /** Calibration ids; default the benchmark's pool in data/calibration/benchmarks.json (the authors' code pools). */
  models?: string[];
}

/** A seeded simulated pool, labelled with its calibration and how many of its accuracies are assumed. */
export function simulatedPool(benchmark: BenchmarkName, options: SimulatedPoolOptions): LabelledPool {
  const data = simulatePool({ benchmark, nQueries: options.nQueries, seed: options.seed, ...(options.models ? { models: options.models } : {}) });
  const tables = loadCalibrationTables();
  const byId = new Map(tables.models.map((m) => [m.id, m]));
  const assumed = data.models.filter((m) => byId.get(m.id)?.accuracy[benchmark].assumed).length;
  const sourced = data.nModels - assumed;
  const accuracyNote =
    assumed === 0
      ? 'every model accuracy from a source'
      : `${sourced} of ${data.nModels} model accuracies from a source, ${assumed} assumed (paper cells stripped)`;
  return {
    key: `sim-${benchmark}`,
    title: `${BENCHMARK_TITLES[benchmark]} (simulated)`,
    provenance: `simulated pool (${benchmark}, calibrated to data/calibration/models.json): ${data.nModels} models, ${data.nQueries} queries, seed ${options.seed}; ${accuracyNote}`,
    data,
    assumedAccuracies: assumed,
  };
}

/** The real bbh-leaderboard pool with Table 8 prices, or null when the folder is absent. */
export async function realBbhPool(labels: BbhLabels = 'corrected', dir = DEFAULT_BBH_LEADERBOARD_DIR): Promise<LabelledPool | null> {
  if (!bbhLeaderboardAvailable(dir)) return null;
  const data = withPaperPrices(await loadBbhLeaderboard({ dir, labels }));
  return {
    key: labels === 'corrected' ? 'real-bbh' : 'real-bbh-rlfocal-labels',
    title: labels === 'corrected' ? 'BBH (real)' : "BBH (real, rl-focal's labels)",
    provenance: `real recorded outputs (bbh-leaderboard): ${data.nModels} LLMs, ${data.nQueries} questions, 24 subtasks, ${labels === 'corrected' ? 'corrected labels' : "rl-focal's stored labels (wrong on 7 subtasks)"}; prices: paper Table 8`,
    data,
  };
}

/** Calibration id of a real checkpoint id ("meta-llama/Llama-2-70b-chat-hf" -> "llama-2-70b"): longest id contained. */
export function calibrationIdOf(modelId: string): string | undefined {
  const id = modelId.toLowerCase();
  let best: string | undefined;
  for (const m of loadCalibrationTables().models) {
    if (id.includes(m.id) && (best === undefined || m.id.length > best.length)) best = m.id;
  }
  return best;
}

/** Display name of a calibration id ("phi-2" -> "Phi-2b", the paper's spelling), else the id itself. */
export function modelDisplayName(id: string): string {
  return loadCalibrationTables().models.find((m) => m.id === id)?.name ?? id;
}
