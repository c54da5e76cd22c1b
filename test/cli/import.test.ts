import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRecordedOutputs } from '../../src/data/recorded';
import { writeDatasetCsv } from '../../src/data/tables';
import { BBH_DIR, ensureBuilt, REPO, runCli, tempDir, writeRecordedFolder } from './helpers';

/** `rl-focal import` through the built binary: each format's happy path and the whole bad-input corpus. */

function lmEvalLine(docId: number, target: string, logliks: number[]): string {
  const choices = ['Yes', 'No'];
  const args = Object.fromEntries(choices.map((c, j) => [`gen_args_${j}`, { arg_0: `Q: Question ${docId}?\nA:`, arg_1: ` ${c}` }]));
  return JSON.stringify({
    doc_id: docId,
    doc: { input: `Question ${docId}?`, target },
    target,
    arguments: args,
    resps: logliks.map((l) => [[String(l), 'False']]),
    filtered_resps: logliks.map((l) => [String(l), 'False']),
  });
}

describe('cli: import (built binary)', function () {
  this.timeout(60000);
  before(ensureBuilt);

  it('jsonl: re-validates and merges recorded-outputs folders, keeping the chosen models in order', async () => {
    const dir = tempDir();
    const a = writeRecordedFolder(path.join(dir, 'a'), { models: 4, perSubtask: 10, subtasks: 2, seed: 1 });
    const b = writeRecordedFolder(path.join(dir, 'b'), { models: 4, perSubtask: 10, subtasks: 1, seed: 2 });
    // b's subtask "sub0" would collide with a's ids; rename it.
    const bOutputs = path.join(b, 'outputs.jsonl');
    fs.writeFileSync(bOutputs, fs.readFileSync(bOutputs, 'utf8').replace(/"sub0"/g, '"extra"'));
    const out = path.join(dir, 'out');
    const run = await runCli(['import', a, b, '--format', 'jsonl', '--models', 'model-3,model-1', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 1);
    assert.deepEqual(run.summary.models, ['model-3', 'model-1']);
    assert.equal(run.summary.queries, 30);
    assert.equal(run.summary.train, 24);
    const back = await readRecordedOutputs(out);
    const original = await readRecordedOutputs(a, { models: ['model-3', 'model-1'] });
    assert.deepEqual(Array.from(back.predictions.subarray(0, 40)), Array.from(original.predictions));
    assert.deepEqual(back.subtaskNames, ['sub0', 'sub1', 'extra']);
  });

  it('refuses to overwrite without --force', async () => {
    const dir = tempDir();
    const a = writeRecordedFolder(path.join(dir, 'a'), { perSubtask: 5 });
    const out = path.join(dir, 'out');
    assert.equal((await runCli(['import', a, '--format', 'jsonl', '--out', out])).code, 0);
    const again = await runCli(['import', a, '--format', 'jsonl', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /field "--out": already holds models\.json and outputs\.jsonl; pass --force/);
    assert.equal((await runCli(['import', a, '--format', 'jsonl', '--out', out, '--force'])).code, 0);
  });

  it('csv: long-layout table to the folder layout, same predictions', async () => {
    const dir = tempDir();
    const data = await readRecordedOutputs(writeRecordedFolder(path.join(dir, 'a'), { models: 3, perSubtask: 8, subtasks: 3 }));
    const csv = path.join(dir, 'table.csv');
    writeDatasetCsv(data, csv);
    const out = path.join(dir, 'out');
    const run = await runCli(['import', csv, '--format', 'csv', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.summary.queries, 24);
    assert.equal(run.summary.max_choices, 4);
    const back = await readRecordedOutputs(out);
    assert.deepEqual(Array.from(back.predictions), Array.from(data.predictions));
    assert.deepEqual(Array.from(back.labels), Array.from(data.labels));
  });

  it('samples: sampled answers to K slots, with the excluded questions counted in the summary', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'answers.jsonl');
    const records = Array.from({ length: 10 }, (_, q) => ({
      question_id: `q${q}`,
      gold: `#### ${q === 9 ? 999 : q}`,
      answers: { m1: [String(q), String(q), '7'], m2: [String(q + 1), null, String(q)] },
    }));
    fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = path.join(dir, 'out');
    const run = await runCli(['import', file, '--format', 'samples', '--k', '3', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.summary.queries, 9);
    assert.deepEqual(run.summary.samples[0].excluded, 1);
    assert.match(run.stderr, /answers\.jsonl: .*1/);
    const kept = await runCli(['import', file, '--format', 'samples', '--k', '3', '--keep-unanswerable', '--out', path.join(dir, 'kept')]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal(kept.summary.queries, 10);
  });

  it('--slot-order pool-count marks the pool; --pool-ordered-slots gives a table exported from it its mark back (a table has no field for it)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'answers.jsonl');
    const records = Array.from({ length: 6 }, (_, q) => ({ question_id: `q${q}`, gold: `#### ${q}`, answers: { m1: [String(q), '7'], m2: [String(q + 1), String(q)] } }));
    fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const neutral = await runCli(['import', file, '--format', 'samples', '--k', '3', '--out', path.join(dir, 'neutral')]);
    assert.equal(neutral.code, 0, neutral.stderr);
    assert.equal(neutral.summary.answer_slots, undefined, 'the default slot order is neutral: nothing to mark');
    const sampled = await runCli(['import', file, '--format', 'samples', '--k', '3', '--slot-order', 'pool-count', '--out', path.join(dir, 'sampled')]);
    assert.equal(sampled.code, 0, sampled.stderr);
    assert.equal(sampled.summary.answer_slots, 'pool-ordered');
    const csv = path.join(dir, 'table.csv');
    writeDatasetCsv(await readRecordedOutputs(path.join(dir, 'sampled')), csv);
    const plain = await runCli(['import', csv, '--format', 'csv', '--out', path.join(dir, 'plain')]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.summary.answer_slots, undefined);
    assert.equal((await readRecordedOutputs(path.join(dir, 'plain'))).provenance.answerSlots, undefined);
    const marked = await runCli(['import', csv, '--format', 'csv', '--pool-ordered-slots', '--out', path.join(dir, 'marked')]);
    assert.equal(marked.code, 0, marked.stderr);
    assert.equal(marked.summary.answer_slots, 'pool-ordered');
    const back = await readRecordedOutputs(path.join(dir, 'marked'));
    assert.equal(back.provenance.answerSlots, 'pool-ordered');
    assert.deepEqual(Array.from(back.predictions), Array.from((await readRecordedOutputs(path.join(dir, 'sampled'))).predictions));
  });

  it('lm-eval: a --log_samples output folder, models joined by doc_id', async () => {
    const dir = tempDir();
    const targets = ['Yes', 'No', 'No', 'Yes', 'Yes'];
    for (const [model, shift] of [['org__model-a', 0], ['org__model-b', 1]] as const) {
      fs.mkdirSync(path.join(dir, 'lm', model), { recursive: true });
      const lines = targets.map((t, d) => lmEvalLine(d, t, (d + shift) % 2 === 0 ? [-0.2, -1.5] : [-1.1, -0.4]));
      fs.writeFileSync(path.join(dir, 'lm', model, 'samples_leaderboard_bbh_navigate_2024-06-26T23-11-46.557442.jsonl'), lines.join('\n') + '\n');
    }
    const out = path.join(dir, 'out');
    const run = await runCli(['import', path.join(dir, 'lm'), '--format', 'lm-eval', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.summary.models, ['org/model-a', 'org/model-b']);
    assert.equal(run.summary.queries, 5);
    const back = await readRecordedOutputs(out);
    assert.deepEqual(Array.from(back.labels), [0, 1, 1, 0, 0]);
    assert.deepEqual(Array.from(back.predictions), [0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
  });

  it('the real bbh-leaderboard folder converts losslessly in its predictions', async function () {
    if (!fs.existsSync(path.join(BBH_DIR, 'outputs.jsonl'))) this.skip();
    const out = path.join(tempDir(), 'bbh');
    const run = await runCli(['import', BBH_DIR, '--format', 'jsonl', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual([run.summary.queries, run.summary.train, run.summary.test, run.summary.subtasks, run.summary.max_choices], [5761, 4607, 1154, 24, 19]);
    const [a, b] = await Promise.all([readRecordedOutputs(BBH_DIR), readRecordedOutputs(out)]);
    assert.deepEqual(b.predictions, a.predictions);
  });

  // The readers' own test runs the whole corpus; here two cases per reader show that the CLI passes the location on.
  describe('bad-input corpus (test/fixtures/bad): exit 2, one line with file, line and field, no stack', () => {
    const corpus = path.join(REPO, 'test/fixtures/bad');
    const all = fs.existsSync(corpus) ? fs.readdirSync(corpus).sort() : [];
    const readerOf = (name: string): string => JSON.parse(fs.readFileSync(path.join(corpus, name, 'expect.json'), 'utf8')).reader;
    const cases = ['recorded', 'lm-eval', 'sampled', 'csv'].flatMap((reader) => all.filter((name) => readerOf(name) === reader).slice(0, 2));
    const formatOf: Record<string, [string, (dir: string) => string]> = {
      recorded: ['jsonl', (d) => d],
      'lm-eval': ['lm-eval', (d) => d],
      sampled: ['samples', (d) => path.join(d, 'answers.jsonl')],
      csv: ['csv', (d) => path.join(d, 'table.csv')],
    };

    it(`rejects ${cases.join(', ')}`, async () => {
      assert.equal(cases.length, 8);
      const out = tempDir();
      const failures: string[] = [];
      // Four at a time: each case is a process start (~0.1 s).
      for (let k = 0; k < cases.length; k += 4) {
        await Promise.all(
          cases.slice(k, k + 4).map(async (name) => {
            const dir = path.join(corpus, name);
            const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expect.json'), 'utf8'));
            const [format, input] = formatOf[expected.reader];
            const run = await runCli(['import', input(dir), '--format', format, '--out', path.join(out, name)]);
            const lines = run.stderr.trim().split('\n');
            const where = path.join(dir, expected.file) + (expected.line !== undefined ? `:${expected.line}` : '');
            const problems = [
              run.code !== 2 && `exit ${run.code}`,
              lines.length !== 1 && `${lines.length} stderr lines`,
              !lines[0].startsWith('rl-focal: error: ') && 'no "rl-focal: error:" prefix',
              !lines[0].includes(where) && `no ${where}`,
              expected.field !== undefined && !lines[0].includes(`"${expected.field}"`) && `no field ${expected.field}`,
              !lines[0].includes(expected.message) && `no "${expected.message}"`,
              run.stdout !== '' && 'wrote to stdout',
            ].filter(Boolean);
            if (problems.length > 0) failures.push(`${name}: ${problems.join(', ')} :: ${run.stderr.trim()}`);
          }),
        );
      }
      assert.deepEqual(failures, []);
    });
  });
});
