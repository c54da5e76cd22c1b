import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Dataset, TEST, TRAIN } from '../../src/data/dataset';
import { readRecordedOutputs, writeRecordedOutputs } from '../../src/data/recorded';
import { arbitraryDataset, assertSameColumns } from './arbitrary';

const fixture = join(__dirname, 'fixtures/recorded-abstentions');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'rl-focal-data-'));
}

describe('readRecordedOutputs', function () {
  it('loads a prob file with abstentions, ties and frequencies', async function () {
    const data = await readRecordedOutputs(fixture);
    assert.deepEqual(data.models, [
      { id: 'acme/large-70b', paramsB: 69, family: 'Acme', priceCents: 0.09, priceSource: 'assumed' },
      { id: 'acme/small-7b', paramsB: 7.2, family: 'Acme', priceCents: 0.02 },
      { id: 'other/chat-8b' },
    ]);
    assert.equal(data.nQueries, 4, 'the blank line is not a record');
    assert.deepEqual(Array.from(data.choiceCounts), [3, 2, 4, 2]);
    assert.deepEqual(Array.from(data.labels), [1, 0, 2, 0]);
    assert.deepEqual(Array.from(data.split), [TRAIN, TRAIN, TEST, TEST]);
    assert.deepEqual(data.subtaskNames, ['add', 'mul']);
    assert.deepEqual(data.queryIds, ['arith/add/train/0', 'arith/add/train/1', 'arith/add/test/0', 'mul-0']);
    // rows are normalised by their sum; an all-zero row stays zero and predicts -1
    assert.deepEqual(Array.from(data.probRow(0, 1)), [0.25, 0.5, 0.25]);
    assert.deepEqual(Array.from(data.probRow(0, 2)), [0, 0, 0]);
    assert.deepEqual(Array.from(data.probRow(2, 2)), [0, 0, 0.75, 0.25]);
    assert.deepEqual(Array.from(data.predictions), [1, 1, -1, 0, 1, 0, -1, -1, 2, 0, 0, 1]);
    assert.deepEqual(Array.from(data.modelAccuracies()), [0.75, 0.5, 0.5]);
    assert.equal(data.provenance.kind, 'real');
    assert.match(data.provenance.source, /^real recorded outputs: recorded-abstentions \(3 LLMs, 4 questions/);
  });

  it('softmaxes log-likelihoods and takes predictions from the raw scores (ties -> lowest index)', async function () {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'models.json'), JSON.stringify({ score_kind: 'loglik', models: [{ id: 'a' }, { id: 'b' }] }));
      const lines = [
        // b: 1e-17 apart, identical after softmax in float64; the raw scores decide
        { task: 't', subtask: 's', split: 'train', label: 1, choices: 2, scores: { a: [-1, -1], b: [-1e-17, 0] } },
        { task: 't', subtask: 's', split: 'test', label: 2, choices: 3, scores: { a: [-3, -1, -2], b: [-800, -0.5, -0.5] } },
      ];
      // Windows line ends and a byte-order mark are accepted
      writeFileSync(join(dir, 'outputs.jsonl'), '\ufeff' + lines.map((l) => JSON.stringify(l)).join('\r\n') + '\r\n');
      const data = await readRecordedOutputs(dir);
      assert.deepEqual(Array.from(data.probRow(0, 1)), [0.5, 0.5]);
      assert.deepEqual(Array.from(data.predictions), [0, 1, 1, 1]);
      const e = [Math.exp(-2), 1, Math.exp(-1)];
      const z = e[0] + e[1] + e[2];
      assert.deepEqual(Array.from(data.probRow(1, 0)), e.map((v) => v / z));
      assert.equal(data.probRow(1, 1)[0], 0, 'exp underflow is a probability of 0, not an error');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a subset of models in the requested order, and a provenance from models.json', async function () {
    const dir = tempDir();
    try {
      const models = JSON.parse(readFileSync(join(fixture, 'models.json'), 'utf8'));
      models.provenance = { kind: 'simulated', source: 'simulated pool for a test', notes: ['seed 1'] };
      writeFileSync(join(dir, 'models.json'), JSON.stringify(models));
      writeFileSync(join(dir, 'outputs.jsonl'), readFileSync(join(fixture, 'outputs.jsonl')));
      const data = await readRecordedOutputs(dir, { models: ['other/chat-8b', 'acme/large-70b'] });
      assert.deepEqual(data.models.map((m) => m.id), ['other/chat-8b', 'acme/large-70b']);
      assert.deepEqual(Array.from(data.predictions), [-1, 1, 0, 0, 2, -1, 1, 0]);
      assert.deepEqual(data.provenance, { kind: 'simulated', source: 'simulated pool for a test', notes: ['seed 1'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readRecordedOutputs: question text', function () {
  it('keeps question and choice_texts where records have them (undefined elsewhere), through slicing and concat', async function () {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'models.json'), JSON.stringify({ score_kind: 'prob', models: [{ id: 'a' }] }));
      const lines = [
        { task: 't', subtask: 's', split: 'train', label: 0, choices: 2, scores: { a: [1, 0] }, question: 'Is 2 even?', choice_texts: ['yes', 'no'] },
        { task: 't', subtask: 's', split: 'test', label: 1, choices: 2, scores: { a: [1, 0] } },
      ];
      writeFileSync(join(dir, 'outputs.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
      const data = await readRecordedOutputs(dir);
      assert.deepEqual(data.questions, ['Is 2 even?', undefined]);
      assert.deepEqual(data.choiceTexts, [['yes', 'no'], undefined]);
      const { test } = data.trainTest();
      assert.deepEqual(test.questions, [undefined]);
      assert.deepEqual(Dataset.concat([test, data]).questions, [undefined, 'Is 2 even?', undefined]);
      assert.deepEqual(data.withStreamSplit(0.5).choiceTexts, [['yes', 'no'], undefined]);
      const copy = join(dir, 'copy');
      writeRecordedOutputs(data, copy);
      const back = await readRecordedOutputs(copy);
      assert.deepEqual([back.questions, back.choiceTexts], [data.questions, data.choiceTexts], 'the writer keeps the text');
      // No text anywhere: the columns are absent, not arrays of undefined.
      writeFileSync(join(dir, 'outputs.jsonl'), JSON.stringify(lines[1]));
      assert.equal((await readRecordedOutputs(dir)).questions, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a choice_texts of the wrong length, naming file, line and field', async function () {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'models.json'), JSON.stringify({ score_kind: 'prob', models: [{ id: 'a' }] }));
      const bad = { task: 't', subtask: 's', split: 'train', label: 0, choices: 2, scores: { a: [1, 0] }, choice_texts: ['only one'] };
      writeFileSync(join(dir, 'outputs.jsonl'), JSON.stringify(bad));
      await assert.rejects(readRecordedOutputs(dir), /outputs\.jsonl:1.*choice_texts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeRecordedOutputs', function () {
  it('round-trips any dataset exactly (probabilities bit for bit, abstentions, ties, metadata, provenance)', async function () {
    await fc.assert(
      fc.asyncProperty(arbitraryDataset, async (original) => {
        const dir = tempDir();
        try {
          writeRecordedOutputs(original, dir);
          const back = await readRecordedOutputs(dir);
          assertSameColumns(back, original);
          assert.deepEqual(back.provenance, original.provenance);
          for (let t = 0; t < original.nQueries; t++) {
            assert.equal(back.taskNames[back.taskIds[t]], 'task');
            if (original.queryIds) assert.equal(back.queryIds![t], original.queryIds[t]);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads a gzip-compressed outputs.jsonl.gz the same way', async function () {
    const dir = tempDir();
    try {
      const original = await readRecordedOutputs(fixture);
      writeRecordedOutputs(original, dir);
      writeFileSync(join(dir, 'outputs.jsonl.gz'), gzipSync(readFileSync(join(dir, 'outputs.jsonl'))));
      rmSync(join(dir, 'outputs.jsonl'));
      const back = await readRecordedOutputs(dir);
      assert.deepEqual(back.probs, original.probs);
      assert.deepEqual(back.queryIds, original.queryIds);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
