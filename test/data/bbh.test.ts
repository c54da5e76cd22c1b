import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bbhLeaderboardAvailable, DEFAULT_BBH_LEADERBOARD_DIR, loadBbhLeaderboard } from '../../src/data/bbh';
import type { Dataset } from '../../src/data/dataset';

// Reproduces figures.json of shared/data/bbh-leaderboard from the loaded Dataset: every accuracy (micro, macro,
// per subtask), plurality, oracle, vote-tie and argmax-tie count, for both label sets.

interface Overall {
  n: number;
  model_acc: Record<string, number>;
  model_acc_macro: Record<string, number>;
  plurality_acc: number;
  plurality_acc_macro: number;
  oracle_acc: number;
  oracle_acc_macro: number;
  plurality_vote_ties: number;
  model_argmax_ties: Record<string, number>;
}
interface PerSubtask {
  n: number;
  model_acc: Record<string, number>;
  plurality_acc: number;
  oracle_acc: number;
}
type Figures = Record<string, Record<string, { overall: Overall; per_subtask: Record<string, PerSubtask> }>>;

/** Plurality of the members' votes, ties -> lowest choice (written here, independent of src/metrics). */
function plurality(data: Dataset, t: number): { choice: number; tied: boolean } {
  const counts = new Array<number>(data.choiceCounts[t]).fill(0);
  for (let i = 0; i < data.nModels; i++) {
    const p = data.predictions[t * data.nModels + i];
    if (p >= 0) counts[p]++;
  }
  const top = Math.max(...counts);
  return { choice: counts.indexOf(top), tied: counts.filter((c) => c === top).length > 1 };
}

function figuresOf(data: Dataset, queries: Int32Array) {
  const N = data.nModels;
  const hits = new Float64Array(N);
  const argmaxTies = new Float64Array(N);
  let plur = 0;
  let oracle = 0;
  let voteTies = 0;
  for (const t of queries) {
    const y = data.labels[t];
    let any = false;
    for (let i = 0; i < N; i++) {
      const right = data.predictions[t * N + i] === y;
      hits[i] += right ? 1 : 0;
      any ||= right;
      const row = data.probRow(t, i);
      const max = Math.max(...row);
      if (row.filter((v) => v === max).length > 1) argmaxTies[i]++;
    }
    oracle += any ? 1 : 0;
    const vote = plurality(data, t);
    plur += vote.choice === y ? 1 : 0;
    voteTies += vote.tied ? 1 : 0;
  }
  const n = queries.length;
  return { n, modelAcc: Array.from(hits, (h) => h / n), plurality: plur / n, oracle: oracle / n, voteTies, argmaxTies: Array.from(argmaxTies) };
}

/** figures.json stores values rounded to 6 decimals. */
function close6(actual: number, expected: number, what: string, tolerance = 5e-7): void {
  assert.ok(Math.abs(actual - expected) <= tolerance + 1e-12, `${what}: computed ${actual}, figures.json ${expected}`);
}

/** Its macro values are means of the per-subtask values already rounded to 6 decimals, so rounded twice. */
const MACRO_TOLERANCE = 1e-6;

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('loadBbhLeaderboard reproduces figures.json', function () {
  let figures: Figures;
  const loaded: Record<string, Dataset> = {};

  before(async function () {
    if (!bbhLeaderboardAvailable()) this.skip();
    figures = JSON.parse(readFileSync(join(DEFAULT_BBH_LEADERBOARD_DIR, 'figures.json'), 'utf8')) as Figures;
    loaded.corrected_labels = await loadBbhLeaderboard();
    loaded.rlfocal_labels = await loadBbhLeaderboard({ labels: 'rlfocal' });
  });

  it('loads 5 models, 5,761 questions, 24 subtasks, 4,607 train / 1,154 test, real provenance', function () {
    const data = loaded.corrected_labels;
    assert.equal(data.nModels, 5);
    assert.equal(data.nQueries, 5761);
    assert.equal(data.subtaskNames.length, 24);
    assert.equal(data.splitIndices('train').length, 4607);
    assert.equal(data.splitIndices('test').length, 1154);
    assert.equal(data.provenance.kind, 'real');
    assert.deepEqual(data.models.map((m) => m.id), [
      'meta-llama/Llama-2-70b-chat-hf',
      'mistralai/Mixtral-8x7B-Instruct-v0.1',
      'google/gemma-7b',
      'microsoft/phi-2',
      'mistralai/Mistral-7B-v0.1',
    ]);
    assert.equal(data.models[3].paramsB, 2.78);
  });

  it('test split, corrected labels: the README headline numbers at 4 decimals', function () {
    const data = loaded.corrected_labels;
    const f = figuresOf(data, data.splitIndices('test'));
    assert.deepEqual(f.modelAcc.map((a) => a.toFixed(4)), ['0.3198', '0.5087', '0.4393', '0.5043', '0.4359']);
    assert.equal(f.plurality.toFixed(4), '0.5009');
    assert.equal(f.oracle.toFixed(4), '0.8293');
  });

  for (const labels of ['corrected_labels', 'rlfocal_labels']) {
    for (const split of ['train', 'test', 'all'] as const) {
      it(`${labels}, ${split}: every overall and per-subtask figure`, function () {
        const data = loaded[labels];
        const expected = figures[labels][split];
        const queries = split === 'all' ? data.indicesWhere(() => true) : data.splitIndices(split);
        const overall = figuresOf(data, queries);
        const ids = data.models.map((m) => m.id);
        assert.equal(overall.n, expected.overall.n);
        ids.forEach((id, i) => {
          close6(overall.modelAcc[i], expected.overall.model_acc[id], `${id} micro accuracy`);
          assert.equal(overall.argmaxTies[i], expected.overall.model_argmax_ties[id], `${id} tied top scores`);
        });
        close6(overall.plurality, expected.overall.plurality_acc, 'plurality');
        close6(overall.oracle, expected.overall.oracle_acc, 'oracle');
        assert.equal(overall.voteTies, expected.overall.plurality_vote_ties, 'plurality vote ties');

        const perSubtask = data.subtaskNames.map((name, s) => {
          const inSubtask = data.indicesWhere((t) => data.subtaskIds[t] === s && (split === 'all' || data.split[t] === (split === 'train' ? 0 : 1)));
          const got = figuresOf(data, inSubtask);
          const want = expected.per_subtask[name];
          assert.equal(got.n, want.n, `${name} n`);
          ids.forEach((id, i) => close6(got.modelAcc[i], want.model_acc[id], `${name} ${id}`));
          close6(got.plurality, want.plurality_acc, `${name} plurality`);
          close6(got.oracle, want.oracle_acc, `${name} oracle`);
          return got;
        });
        assert.equal(perSubtask.length, Object.keys(expected.per_subtask).length);
        ids.forEach((id, i) => close6(mean(perSubtask.map((g) => g.modelAcc[i])), expected.overall.model_acc_macro[id], `${id} macro`, MACRO_TOLERANCE));
        close6(mean(perSubtask.map((g) => g.plurality)), expected.overall.plurality_acc_macro, 'plurality macro', MACRO_TOLERANCE);
        close6(mean(perSubtask.map((g) => g.oracle)), expected.overall.oracle_acc_macro, 'oracle macro', MACRO_TOLERANCE);
      });
    }
  }

  it('rl-focal labels, test micro: the README numbers at 4 decimals', function () {
    const data = loaded.rlfocal_labels;
    const f = figuresOf(data, data.splitIndices('test'));
    assert.deepEqual(f.modelAcc.map((a) => a.toFixed(4)), ['0.2782', '0.4151', '0.3579', '0.4428', '0.3934']);
    assert.equal(f.plurality.toFixed(4), '0.4203');
    assert.equal(f.oracle.toFixed(4), '0.7591');
    assert.match(data.provenance.notes?.[0] ?? '', /rl-focal/);
  });

  it('rl-focal labels differ from the corrected ones exactly on the 7 documented subtasks', function () {
    const a = loaded.corrected_labels;
    const b = loaded.rlfocal_labels;
    const differing = new Set<string>();
    for (let t = 0; t < a.nQueries; t++) if (a.labels[t] !== b.labels[t]) differing.add(a.subtaskNames[a.subtaskIds[t]]);
    assert.deepEqual([...differing].sort(), [
      'causal_judgement',
      'formal_fallacies',
      'geometric_shapes',
      'navigate',
      'object_counting',
      'sports_understanding',
      'web_of_lies',
    ]);
  });
});
