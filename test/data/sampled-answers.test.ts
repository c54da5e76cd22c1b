import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Dataset, TEST, TRAIN } from '../../src/data/dataset';
import { readRecordedOutputs, writeRecordedOutputs } from '../../src/data/recorded';
import {
  normaliseNumericAnswer,
  normaliseTextAnswer,
  readSampledAnswers,
  sampledAnswersToDataset,
  type SampledAnswerRecord,
} from '../../src/data/sampled-answers';

const fixture = join(__dirname, 'fixtures/gsm8k-samples.jsonl');

describe('sampled answers (GSM8K style)', function () {
  it('normalises numeric answers: commas, "$", trailing ".", "3.0" = "3", GSM8K "#### x" solutions', function () {
    assert.equal(normaliseNumericAnswer('1,000'), '1000');
    assert.equal(normaliseNumericAnswer('1000'), '1000');
    assert.equal(normaliseNumericAnswer('3.0'), '3');
    assert.equal(normaliseNumericAnswer(3.0), '3');
    assert.equal(normaliseNumericAnswer(' $18. '), '18');
    assert.equal(normaliseNumericAnswer('-0'), '0');
    assert.equal(normaliseNumericAnswer('0.50'), '0.5');
    assert.equal(normaliseNumericAnswer('She makes $18.\n#### 18'), '18');
    assert.equal(normaliseNumericAnswer('#### 70,000'), '70000');
    assert.equal(normaliseNumericAnswer('eighteen'), undefined);
    assert.equal(normaliseNumericAnswer(''), undefined);
    assert.equal(normaliseNumericAnswer(null), undefined);
    assert.equal(normaliseNumericAnswer(Number.NaN), undefined);
    assert.equal(normaliseTextAnswer('  New   York '), 'New York');
    assert.equal(normaliseTextAnswer('   '), undefined);
  });

  it("reads the fixture in the authors' slot order: answer space by summed frequency, K slots, frequency / S rows, abstention, exclusion report", async function () {
    const warnings: string[] = [];
    const { dataset, report } = await readSampledAnswers(fixture, { k: 4, slotOrder: 'pool-count', warn: (m) => warnings.push(m) });
    assert.deepEqual(report, {
      questions: 5,
      excluded: 1,
      excludedIds: ['gsm8k-test-4'],
      keptUnanswerable: false,
      truncated: 3,
      abstentions: 1,
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /gsm8k-samples\.jsonl: 1 of 5 questions excluded: gold answer not among the 4 most frequent sampled answers \(gsm8k-test-4\)/);
    assert.deepEqual(dataset.queryIds, ['gsm8k-test-0', 'gsm8k-test-1', 'gsm8k-test-2', 'gsm8k-test-3']);
    assert.deepEqual(dataset.models.map((m) => m.id), ['llama-2-70b', 'mixtral-8x7b', 'phi-2']);
    assert.deepEqual(Array.from(dataset.choiceCounts), [4, 4, 4, 4], 'C_t = K always');
    assert.deepEqual(Array.from(dataset.split), [TEST, TEST, TEST, TEST]);
    // q0: 18 (x8), 14 (x2), 16 (x1) -> [18, 14, 16, pad]; phi-2 has a null sample, still S = 4
    assert.equal(dataset.labels[0], 0);
    assert.deepEqual(Array.from(dataset.probRow(0, 0)), [0.75, 0, 0.25, 0]);
    assert.deepEqual(Array.from(dataset.probRow(0, 2)), [0.25, 0.5, 0, 0]);
    // q1: 3 (x5), 2 (x2), 2.5 (x1); phi-2 gave nothing parsable -> abstention
    assert.equal(dataset.labels[1], 0);
    assert.deepEqual(Array.from(dataset.probRow(1, 2)), [0, 0, 0, 0]);
    assert.equal(dataset.predictions[1 * 3 + 2], -1);
    // q2: "70,000" and "70000.00" are 70000 (x8), then 65000, 80000, 50000 (x1 each, first appearance); 130000 is
    // cut (K = 4); gold "70,000" -> slot 0
    assert.equal(dataset.labels[2], 0);
    assert.deepEqual(Array.from(dataset.probRow(2, 1)), [0.75, 0, 0.25, 0]);
    assert.deepEqual(Array.from(dataset.probRow(2, 2)), [0.5, 0, 0, 0.25], "phi-2's 130000 is outside the space: mass < 1");
    // q3: 180 (x4) and 540 (x4) tie: first appearance (llama's samples come first) puts 180 first
    assert.equal(dataset.labels[3], 1);
    assert.deepEqual(Array.from({ length: 3 }, (_, i) => dataset.predictions[3 * 3 + i]), [0, 1, 0]);
    assert.match(dataset.provenance.source, /gsm8k-samples\.jsonl \(3 LLMs, 4 samples each, 4 questions\)/);
    assert.equal(dataset.provenance.kind, 'real');
    assert.equal(dataset.provenance.answerSlots, 'pool-ordered', 'the slots are ordered by the pool\'s answers');
  });

  it('the neutral order (default) is a per-question permutation of the same slots, fixed, unmarked, and blind to the counts', async function () {
    const { dataset: byCount } = await readSampledAnswers(fixture, { k: 4, slotOrder: 'pool-count', warn: () => {} });
    const { dataset: neutral, report } = await readSampledAnswers(fixture, { k: 4, warn: () => {} });
    const { dataset: again } = await readSampledAnswers(fixture, { k: 4, slotOrder: 'neutral', warn: () => {} });
    assert.equal(neutral.provenance.answerSlots, undefined, 'no slot position carries the pool, so no mark');
    assert.equal(report.excluded, 1);
    assert.deepEqual(Array.from(again.probs), Array.from(neutral.probs), 'no seed: the same bytes every read');
    let moved = 0;
    for (let t = 0; t < neutral.nQueries; t++) {
      // The permutation that maps each pool-count slot to its neutral slot is the same for every model's row.
      const perm = Array.from({ length: 4 }, (_, slot) => slot);
      const rows = (d: Dataset) => Array.from({ length: 3 }, (_, i) => Array.from(d.probRow(t, i)));
      const a = rows(byCount);
      const b = rows(neutral);
      const signature = (r: number[][], slot: number) => r.map((row) => row[slot]).join(',');
      const used = new Set<number>();
      for (let slot = 0; slot < 4; slot++) {
        const to = perm.find((s) => !used.has(s) && signature(b, s) === signature(a, slot))!;
        assert.notEqual(to, undefined, `query ${t}: slot ${slot} has no counterpart`);
        used.add(to);
        if (slot === byCount.labels[t]) assert.equal(neutral.labels[t], to, `query ${t}: the label follows its answer`);
      }
      if (neutral.labels[t] !== byCount.labels[t]) moved++;
      for (let i = 0; i < 3; i++) assert.equal(neutral.correct[t * 3 + i], byCount.correct[t * 3 + i], 'who is right does not change');
    }
    assert.ok(moved > 0, 'the gold answer is not always where the pool put it');
    // Blind to counts: the same question with other counts puts each answer in the same slot.
    const record = (answers: Record<string, string[]>): SampledAnswerRecord => ({ question_id: 'q', gold: '1', answers });
    const slotsOf = (r: SampledAnswerRecord) => {
      const d = sampledAnswersToDataset([r], { k: 5, warn: () => {} }).dataset;
      return [0, 1, 2].map((model) => Array.from(d.probRow(0, model)).findIndex((p) => p > 0)); // models a, b, c answer 1, 2, 3
    };
    const one = slotsOf(record({ a: ['1'], b: ['2'], c: ['3'] }));
    const two = slotsOf(record({ a: ['1', '1'], b: ['2', '2'], c: ['3', '3'] }));
    assert.deepEqual(one, two);
    const skewed = sampledAnswersToDataset([record({ a: ['3', '3', '3'], b: ['2', '3', '3'], c: ['1', '3', '3'] })], { k: 5, warn: () => {} }).dataset;
    const plain = sampledAnswersToDataset([record({ a: ['3'], b: ['2'], c: ['1'] })], { k: 5, warn: () => {} }).dataset;
    assert.equal(skewed.labels[0], plain.labels[0], "gold's slot does not depend on how often the pool gave it");
  });

  it('the pool-ordered slots survive a recorded-outputs folder, slicing and concatenation; a bad marker is refused', async function () {
    const { dataset } = await readSampledAnswers(fixture, { k: 4, slotOrder: 'pool-count', warn: () => {} });
    const dir = mkdtempSync(join(tmpdir(), 'rl-focal-slots-'));
    try {
      writeRecordedOutputs(dataset, join(dir, 'pool'));
      const back = await readRecordedOutputs(join(dir, 'pool'));
      assert.equal(back.provenance.answerSlots, 'pool-ordered');
      assert.equal(back.selectModels(Int32Array.of(0, 2)).selectQueries(Int32Array.of(1, 3)).provenance.answerSlots, 'pool-ordered');
      const plain = back.withProvenance({ kind: 'real', source: 'letters' });
      assert.equal(Dataset.concat([plain, back]).provenance.answerSlots, 'pool-ordered');
      assert.equal(Dataset.concat([plain, plain]).provenance.answerSlots, undefined);
      const modelsFile = join(dir, 'pool', 'models.json');
      const doc = JSON.parse(readFileSync(modelsFile, 'utf8'));
      writeFileSync(modelsFile, JSON.stringify({ ...doc, provenance: { ...doc.provenance, answerSlots: 'sorted' } }));
      await assert.rejects(readRecordedOutputs(join(dir, 'pool')), (e: Error) => /models\.json.*provenance\.answerSlots.*"pool-ordered"/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keepUnanswerable keeps every question with a reserved, never-predicted slot K as the unreachable label', async function () {
    const warnings: string[] = [];
    const { dataset, report } = await readSampledAnswers(fixture, { k: 4, keepUnanswerable: true, warn: (m) => warnings.push(m) });
    assert.equal(dataset.nQueries, 5);
    assert.deepEqual(Array.from(dataset.choiceCounts), [5, 5, 5, 5, 5], 'every question gets K + 1 slots');
    assert.equal(dataset.labels[4], 4);
    for (let i = 0; i < 3; i++) assert.equal(dataset.correct[4 * 3 + i], 0);
    for (let t = 0; t < 5; t++) for (let i = 0; i < 3; i++) assert.equal(dataset.probRow(t, i)[4], 0);
    assert.deepEqual(report.excludedIds, ['gsm8k-test-4']);
    assert.match(warnings[0], /kept with the reserved label 4/);
  });

  it('without split fields, the first 80% of each subtask are train; the model order can be chosen', function () {
    const records: SampledAnswerRecord[] = Array.from({ length: 10 }, (_, q) => ({
      question_id: q,
      gold: q % 3,
      subtask: q < 5 ? 'a' : 'b',
      answers: { x: [q % 3, 1, 1], y: ['2', '2', null] },
    }));
    const { dataset, report } = sampledAnswersToDataset(records, { k: 3, models: ['y', 'x'], warn: () => {} });
    assert.equal(report.excluded, 0);
    assert.deepEqual(dataset.models.map((m) => m.id), ['y', 'x']);
    assert.deepEqual(Array.from(dataset.split), [TRAIN, TRAIN, TRAIN, TRAIN, TEST, TRAIN, TRAIN, TRAIN, TRAIN, TEST]);
    assert.deepEqual(dataset.subtaskNames, ['a', 'b']);
    assert.deepEqual(dataset.taskNames, ['sampled']);
  });

  it('property: C_t = K, rows are frequencies summing to <= 1, predictions are the row argmax (ties -> lowest), gold is in the space', function () {
    const answer = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom('1,000', '3.0', 'n/a', null));
    const record = fc.record({
      gold: fc.integer({ min: 0, max: 6 }),
      x: fc.array(answer, { minLength: 1, maxLength: 6 }),
      y: fc.array(answer, { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 5 }), (rows, k) => {
        const records = rows.map((r, q) => ({ question_id: `q${q}`, gold: r.gold, answers: { x: r.x, y: r.y } }));
        let result;
        try {
          result = sampledAnswersToDataset(records, { k, warn: () => {} });
        } catch (err) {
          // only when every question is unanswerable
          assert.match(String(err), /all \d+ questions have their gold answer outside/);
          return;
        }
        const { dataset, report } = result;
        assert.equal(dataset.nQueries + report.excluded, records.length);
        for (let t = 0; t < dataset.nQueries; t++) {
          assert.equal(dataset.choiceCounts[t], k);
          assert.ok(dataset.labels[t] < k);
          for (let i = 0; i < 2; i++) {
            const row = Array.from(dataset.probRow(t, i));
            assert.ok(row.reduce((s, v) => s + v, 0) <= 1 + 1e-12);
            const max = Math.max(...row);
            assert.equal(dataset.predictions[t * 2 + i], max > 0 ? row.indexOf(max) : -1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
