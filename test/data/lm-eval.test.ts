import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST, TRAIN } from '../../src/data/dataset';
import { DataFormatError } from '../../src/data/errors';
import { findLmEvalSampleFiles, lmEvalTaskFromFileName, readLmEvalOutputDir, readLmEvalSamples } from '../../src/data/lm-eval';

// Hand-written logs in three styles: harness >= 0.4.3 (values as strings, arguments as gen_args_<j>), an older
// harness (numbers, booleans, [context, continuation] pairs, integer target), and one with a "filter" field and
// lines out of doc_id order.
const fixtures = join(__dirname, 'fixtures/lm-eval');

function fileOf(modelDir: string, task: string): string {
  const dir = join(fixtures, modelDir);
  return join(dir, readdirSync(dir).find((f) => f.startsWith(`samples_${task}_`))!);
}

describe('lm-evaluation-harness samples reader', function () {
  it('finds <model>/samples_<task>_<timestamp>.jsonl and undoes the "__" sanitising of model names', function () {
    const files = findLmEvalSampleFiles(fixtures);
    assert.deepEqual(
      files.map((f) => [f.model, f.task]),
      [
        ['EleutherAI/pythia-160m', 'hellaswag'],
        ['EleutherAI/pythia-160m', 'leaderboard_bbh_navigate'],
        ['google/gemma-7b', 'hellaswag'],
        ['google/gemma-7b', 'leaderboard_bbh_navigate'],
        ['mistralai/Mistral-7B-v0.1', 'hellaswag'],
        ['mistralai/Mistral-7B-v0.1', 'leaderboard_bbh_navigate'],
      ],
    );
    assert.equal(lmEvalTaskFromFileName('samples_leaderboard_bbh_navigate_2024-06-26T23-11-46.557442.jsonl'), 'leaderboard_bbh_navigate');
    assert.equal(lmEvalTaskFromFileName('samples_arc_easy.jsonl.gz'), 'arc_easy');
    assert.equal(lmEvalTaskFromFileName('results_2024-06-26T23-11-46.557442.json'), undefined);
  });

  it('joins the models by doc_id, maps string and digit targets to choice indices, splits 80/20 per task', async function () {
    const data = await readLmEvalOutputDir(fixtures);
    assert.deepEqual(data.models.map((m) => m.id), ['EleutherAI/pythia-160m', 'google/gemma-7b', 'mistralai/Mistral-7B-v0.1']);
    assert.deepEqual(data.subtaskNames, ['hellaswag', 'leaderboard_bbh_navigate']);
    assert.deepEqual(data.taskNames, ['lm-eval']);
    assert.deepEqual(Array.from(data.choiceCounts), [4, 4, 4, 2, 2, 2, 2, 2]);
    // hellaswag: target "3" / 3 is an index; navigate: "Yes"/"No" looked up among the continuations " Yes", " No"
    assert.deepEqual(Array.from(data.labels), [3, 2, 0, 0, 1, 0, 1, 0]);
    assert.deepEqual(data.queryIds, ['hellaswag/0', 'hellaswag/1', 'hellaswag/2', 'leaderboard_bbh_navigate/0', 'leaderboard_bbh_navigate/1', 'leaderboard_bbh_navigate/2', 'leaderboard_bbh_navigate/3', 'leaderboard_bbh_navigate/4']);
    assert.deepEqual(Array.from(data.split), [TRAIN, TRAIN, TEST, TRAIN, TRAIN, TRAIN, TRAIN, TEST]);
    const byModel = (i: number) => Array.from({ length: data.nQueries }, (_, t) => data.predictions[t * data.nModels + i]);
    assert.deepEqual(byModel(0), [3, 2, 0, 0, 1, 1, 1, 0]);
    assert.deepEqual(byModel(1), [3, 2, 0, 0, 0, 1, 0, 0], 'gemma lines were out of doc_id order');
    assert.deepEqual(byModel(2), [3, 2, 1, 0, 1, 0, 1, 0], 'the tied -0.61/-0.61 goes to the lower index');
    // the probabilities are the softmax of the log-likelihoods
    const e = [Math.exp(-0.4133), Math.exp(-1.0883)];
    assert.ok(Math.abs(data.probRow(3, 0)[0] - e[0] / (e[0] + e[1])) < 1e-15);
    assert.equal(data.provenance.kind, 'real');
  });

  it('reads an explicit file list with task names, model metadata and a dataset task name', async function () {
    const data = await readLmEvalSamples(
      [
        { model: 'pythia', path: fileOf('EleutherAI__pythia-160m', 'leaderboard_bbh_navigate'), task: 'navigate' },
        { model: 'mistral', path: fileOf('mistralai__Mistral-7B-v0.1', 'leaderboard_bbh_navigate'), task: 'navigate' },
      ],
      { taskName: 'bbh', trainFraction: 0.6, models: [{ id: 'mistral', paramsB: 7.24, family: 'Mistral' }] },
    );
    assert.deepEqual(data.models, [{ id: 'pythia' }, { id: 'mistral', paramsB: 7.24, family: 'Mistral' }]);
    assert.deepEqual(data.taskNames, ['bbh']);
    assert.deepEqual(data.subtaskNames, ['navigate']);
    assert.deepEqual(Array.from(data.split), [TRAIN, TRAIN, TRAIN, TEST, TEST]);
  });

  it('repeated runs of a task are an error unless repeatedRuns is "latest"', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'rl-focal-lmeval-'));
    try {
      cpSync(fixtures, dir, { recursive: true });
      const older = fileOf('google__gemma-7b', 'hellaswag');
      const lines = readFileSync(older, 'utf8').trim().split('\n');
      // a later run in which doc 2 is answered differently (choice 3 instead of 0)
      const later = lines.map((l) => {
        const r = JSON.parse(l);
        if (r.doc_id === 2) r.filtered_resps = [['-14.0', 'False'], ['-13.0', 'False'], ['-12.0', 'False'], ['-11.0', 'False']];
        return JSON.stringify(r);
      });
      writeFileSync(join(dir, 'google__gemma-7b', 'samples_hellaswag_2024-08-01T00-00-00.000000.jsonl'), later.join('\n') + '\n');
      await assert.rejects(readLmEvalOutputDir(dir), /two runs of task "hellaswag" for model "google\/gemma-7b"/);
      const data = await readLmEvalOutputDir(dir, { repeatedRuns: 'latest' });
      assert.equal(data.predictions[2 * data.nModels + 1], 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a log with several filters needs the filter option; with it, other filters are skipped', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'rl-focal-lmeval-'));
    try {
      const source = readFileSync(fileOf('google__gemma-7b', 'hellaswag'), 'utf8').trim().split('\n');
      const twoFilters = [...source, ...source.map((l) => JSON.stringify({ ...JSON.parse(l), filter: 'other', filtered_resps: [['0', 'False'], ['-9', 'False'], ['-9', 'False'], ['-9', 'False']] }))];
      const path = join(dir, 'samples_hellaswag_x.jsonl');
      writeFileSync(path, twoFilters.join('\n') + '\n');
      const files = [{ model: 'g', path, task: 'hellaswag' }, { model: 'p', path: fileOf('EleutherAI__pythia-160m', 'hellaswag') }];
      await assert.rejects(readLmEvalSamples(files), (err: unknown) => {
        assert.ok(err instanceof DataFormatError);
        assert.equal(err.line, 4);
        assert.match(err.message, /duplicate doc_id 2 \(first on line 1\) \(several filters\? pass the `filter` option\)/);
        return true;
      });
      const data = await readLmEvalSamples(files, { filter: 'none' });
      assert.deepEqual(Array.from({ length: 3 }, (_, t) => data.predictions[t * 2]), [3, 2, 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
