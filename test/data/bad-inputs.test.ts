import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError } from '../../src/data/errors';
import { readLmEvalOutputDir } from '../../src/data/lm-eval';
import { readRecordedOutputs } from '../../src/data/recorded';
import { readSampledAnswers } from '../../src/data/sampled-answers';
import { readDatasetCsv } from '../../src/data/tables';

// The bad-input corpus: one folder per rejection rule, each with an expect.json naming the reader, the file, line
// and field the error must carry, and a piece of its message.

interface Expectation {
  reader: 'recorded' | 'lm-eval' | 'sampled' | 'csv';
  file: string;
  line?: number;
  field?: string;
  message: string;
}

const corpus = join(__dirname, '../fixtures/bad');

async function read(dir: string, reader: Expectation['reader']): Promise<unknown> {
  switch (reader) {
    case 'recorded':
      return readRecordedOutputs(dir);
    case 'lm-eval':
      return readLmEvalOutputDir(dir);
    case 'sampled':
      return readSampledAnswers(join(dir, 'answers.jsonl'), { warn: () => {} });
    case 'csv':
      return readDatasetCsv(join(dir, 'table.csv'));
  }
}

describe('bad-input corpus (test/fixtures/bad)', function () {
  const cases = readdirSync(corpus).sort();

  it('has a case for every rule (at least 12, covering each reader)', function () {
    assert.ok(cases.length >= 12);
    const readers = new Set(cases.map((c) => (JSON.parse(readFileSync(join(corpus, c, 'expect.json'), 'utf8')) as Expectation).reader));
    assert.deepEqual([...readers].sort(), ['csv', 'lm-eval', 'recorded', 'sampled']);
  });

  for (const name of cases) {
    it(`rejects ${name} with file, line and field`, async function () {
      const dir = join(corpus, name);
      const expected = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as Expectation;
      await assert.rejects(read(dir, expected.reader), (err: unknown) => {
        assert.ok(err instanceof DataFormatError, `expected a DataFormatError, got ${String(err)}`);
        assert.equal(err.file, join(dir, expected.file));
        assert.equal(err.line, expected.line, `line in: ${err.message}`);
        assert.equal(err.field, expected.field, `field in: ${err.message}`);
        assert.ok(err.message.includes(expected.message), `message "${err.message}" lacks "${expected.message}"`);
        assert.ok(err.message.startsWith(join(dir, expected.file)), 'the message starts with the file');
        if (expected.line !== undefined) assert.ok(err.message.includes(`:${expected.line}`), 'the message names the line');
        if (expected.field !== undefined) assert.ok(err.message.includes(`"${expected.field}"`), 'the message names the field');
        return true;
      });
    });
  }
});
