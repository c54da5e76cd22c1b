import assert from 'node:assert/strict';
import { ALIGNED_TASKS, alignedScores, simulateAlignedStream, type AlignedStream, type ScoreRates } from '../../src/sim/aligned-stream';
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

describe('sim/aligned-stream', () => {
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

});
