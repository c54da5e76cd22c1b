import assert from 'node:assert/strict';
import {
  ALIGNED_TASKS,
  AlignedDecider,
  DEFAULT_ALIGNED_DECIDER,
  DEFAULT_ALIGNED_SCENARIO,
  alignedScores,
  alignedSelectionExperiment,
  choiceShares,
  runAlignedPass,
  simulateAlignedStream,
  type AlignedStream,
  type ScoreRates,
} from '../../src/experiments/aligned-selection';
import { Rng } from '../../src/util/rng';

const RATES: ScoreRates = { helpfulness: [0.6, 0.3, 0.1], safety: [0.5, 0.7, 0.95], truthfulness: [0.25, 0.3, 0.35] };

function pairCorrelation(stream: AlignedStream, a: number, b: number): number {
  const n = stream.length;
  let ma = 0;
  let mb = 0;
  for (let t = 0; t < n; t++) {
    ma += stream.scores[t * 3 + a];
    mb += stream.scores[t * 3 + b];
  }
  ma /= n;
  mb /= n;
  let cov = 0;
  for (let t = 0; t < n; t++) cov += (stream.scores[t * 3 + a] - ma) * (stream.scores[t * 3 + b] - mb);
  return cov / n / Math.sqrt(ma * (1 - ma) * mb * (1 - mb));
}

describe('experiments/aligned-selection', () => {
  it('simulated scores keep each task and model rate whatever the shared loading', () => {
    for (const loading of [0, 0.8]) {
      const stream = simulateAlignedStream([20000, 20000, 20000], RATES, loading, new Rng(5));
      ALIGNED_TASKS.forEach((task, k) => {
        for (let i = 0; i < 3; i++) {
          const choices = new Uint8Array(stream.length).fill(i);
          const s = alignedScores(stream, choices);
          const rate = k === 0 ? s.helpfulnessWinPct : k === 1 ? 100 - s.safetyFlaggedPct : s.truthfulPct;
          const p = RATES[task][i];
          const se = 100 * Math.sqrt((p * (1 - p)) / 20000);
          assert.ok(Math.abs(rate - 100 * p) < 4 * se, `${task} model ${i} loading ${loading}: ${rate} vs ${100 * p}`);
        }
      });
    }
  });

  it('the shared loading correlates the models on a query', () => {
    const independent = simulateAlignedStream([0, 30000, 0], RATES, 0, new Rng(1));
    const shared = simulateAlignedStream([0, 30000, 0], RATES, 0.8, new Rng(1));
    assert.ok(Math.abs(pairCorrelation(independent, 0, 1)) < 0.03);
    assert.ok(pairCorrelation(shared, 0, 1) > 0.2);
  });

  it('Avg is the mean of win %, 100 - flagged % and truthful %', () => {
    const stream = simulateAlignedStream([50, 50, 50], RATES, 0.5, new Rng(2));
    const s = alignedScores(stream, new Uint8Array(stream.length).fill(1));
    assert.ok(Math.abs(s.avgPct - (s.helpfulnessWinPct + 100 - s.safetyFlaggedPct + s.truthfulPct) / 3) < 1e-12);
  });

  it('the Decider learns a model that always scores when the others never do', () => {
    const T = 600;
    const scores = new Float64Array(T * 3);
    for (let t = 0; t < T; t++) scores[t * 3 + 2] = 1;
    const stream: AlignedStream = { scores, tasks: new Uint8Array(T).fill(1), length: T };
    const decider = new AlignedDecider({ ...DEFAULT_ALIGNED_DECIDER, lr: 1e-2, gamma: 0, seed: 3 });
    for (let e = 0; e < 4; e++) runAlignedPass(decider, stream, true);
    const shares = choiceShares(stream, runAlignedPass(decider, stream, false));
    assert.ok(shares[1][2] > 0.9, `share of the scoring model ${shares[1][2]}`);
  });

  it('is deterministic for fixed seeds and reports every Decider configuration', () => {
    const params = {
      scenario: { ...DEFAULT_ALIGNED_SCENARIO, trainBlocks: [60, 60, 60] as [number, number, number], testBlocks: [40, 40, 40] as [number, number, number] },
      deciders: [{ label: 'a', config: { ...DEFAULT_ALIGNED_DECIDER, episodes: 2 } }],
      seeds: [0, 1],
    };
    const first = alignedSelectionExperiment(params);
    const second = alignedSelectionExperiment(params);
    assert.deepEqual(first.tables, second.tables);
    const names = first.tables[0].rows.map((r) => r.aligned_task);
    assert.ok(names.includes('RL-Focal (Decider), a'));
    assert.equal(first.deciders[0].curves.length, 2);
    assert.match(first.tables[0].provenance, /simulated/);
  });
});
