import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../../src/data/dataset';
import { readRecordedOutputs } from '../../src/data/recorded';
import { readSampledAnswers } from '../../src/data/sampled-answers';

/** The five shared pools of real recorded outputs (../shared/data, next to the repository; absent in some checkouts). */
export const REAL_POOLS = ['bbh-leaderboard', 'mmlu-redux-14', 'mmlu-helm-10', 'emotion-11', 'gsm8k-zeroeval-43'] as const;
export type RealPool = (typeof REAL_POOLS)[number];

const DATA_DIR = path.resolve(__dirname, '../../../shared/data');

export function realPoolAvailable(name: RealPool): boolean {
  return fs.existsSync(path.join(DATA_DIR, name));
}

/**
 * One shared pool as a Dataset: recorded-outputs folders as they are, the GSM8K pool through the sampled-answers
 * reader (default K = 10; the 6 train questions whose gold is not among the slots are excluded, as its README says).
 */
export async function loadRealPool(name: RealPool): Promise<Dataset> {
  const dir = path.join(DATA_DIR, name);
  if (name === 'gsm8k-zeroeval-43') return (await readSampledAnswers(path.join(dir, 'answers.jsonl'), { answerKind: 'numeric', warn: () => {} })).dataset;
  return readRecordedOutputs(dir);
}
