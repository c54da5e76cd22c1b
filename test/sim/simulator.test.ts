import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Dataset, TEST, TRAIN } from '../../src/data/dataset';
import {
  calibrateToDataset,
  loadCalibrationTables,
  poolStatistics,
  simulatePool,
  simulatePoolWithReport,
  type PoolCalibration,
  type SimulatePoolOptions,
} from '../../src/sim/index';
import { fusionProbes, goldRunnerUpCredit, runnerUpStatistics } from '../../src/sim/calibration-probes';
import { confidenceStatistics } from '../../src/sim/calibration-confidence';
import { quotasFromWeights } from '../../src/sim/simulator-stream';
import { aboveSecondLargest } from '../../src/stats/normal';

/** Every structural promise of a Dataset the simulator returns (sampled-answer rows are count / S: they may sum to less than 1). */
function assertWellFormed(d: Dataset): void {
  const sampled = d.taskNames.includes('gsm8k');
  const N = d.nModels;
  for (let t = 0; t < d.nQueries; t++) {
    assert.ok(d.labels[t] >= 0 && d.labels[t] < d.choiceCounts[t]);
    for (let i = 0; i < N; i++) {
      const row = d.probRow(t, i);
      let sum = 0;
      let best = -1;
      for (let c = 0; c < row.length; c++) {
        assert.ok(row[c] >= 0 && Number.isFinite(row[c]));
        sum += row[c];
        if (row[c] > 0 && (best < 0 || row[c] > row[best])) best = c;
      }
      assert.ok(sum === 0 || Math.abs(sum - 1) < 1e-9 || (sampled && sum < 1), `row (${t}, ${i}) sums to ${sum}`);
      assert.equal(d.predictions[t * N + i], best);
    }
  }
}

function sameColumns(a: Dataset, b: Dataset): boolean {
  const bytes = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return (
    bytes(a.probs).equals(bytes(b.probs)) &&
    bytes(a.labels).equals(bytes(b.labels)) &&
    bytes(a.choiceCounts).equals(bytes(b.choiceCounts)) &&
    bytes(a.subtaskIds).equals(bytes(b.subtaskIds)) &&
    bytes(a.split).equals(bytes(b.split)) &&
    bytes(a.predictions).equals(bytes(b.predictions)) &&
    JSON.stringify(a.models) === JSON.stringify(b.models)
  );
}

/** Fraction of pairs of wrong (answered) models that chose the same wrong option. */
function sameWrongRate(d: Dataset): number {
  const N = d.nModels;
  let pairs = 0;
  let same = 0;
  for (let t = 0; t < d.nQueries; t++) {
    for (let i = 0; i < N; i++) {
      const pi = d.predictions[t * N + i];
      if (pi < 0 || pi === d.labels[t]) continue;
      for (let j = i + 1; j < N; j++) {
        const pj = d.predictions[t * N + j];
        if (pj < 0 || pj === d.labels[t]) continue;
        pairs += 1;
        if (pi === pj) same += 1;
      }
    }
  }
  return same / pairs;
}

describe('sim/simulator: determinism and errors', () => {
  it('is bitwise identical for the same seed and differs for another seed (choices and sampled modes)', () => {
    for (const benchmark of ['bbh', 'gsm8k', 'mmlu'] as const) {
      const a = simulatePool({ benchmark, nQueries: 400, seed: 7 });
      const b = simulatePool({ benchmark, nQueries: 400, seed: 7 });
      const c = simulatePool({ benchmark, nQueries: 400, seed: 8 });
      assert.ok(sameColumns(a, b), `${benchmark}: same seed must give identical columns`);
      assert.ok(!sameColumns(a, c), `${benchmark}: another seed must give other columns`);
      assert.deepEqual(a.provenance, b.provenance);
      assert.equal(a.provenance.answerSlots, benchmark === 'gsm8k' ? 'pool-ordered' : undefined, `${benchmark}: sampled slots are ordered by the pool`);
    }
  });

  it('rejects impossible options with a message naming the option', () => {
    const base: SimulatePoolOptions = { benchmark: 'gpqa', nQueries: 10, seed: 1 };
    const cases: Array<[Partial<SimulatePoolOptions> | Record<string, unknown>, RegExp]> = [
      [{ nQueries: 0 }, /nQueries must be an integer in \[1, 1000000\], got 0/],
      [{ nQueries: 1e12 }, /nQueries must be an integer in \[1, 1000000\], got 1000000000000/],
      [{ nQueries: -3 }, /nQueries/],
      [{ nQueries: 2.5 }, /nQueries/],
      [{ seed: NaN }, /seed/],
      [{ benchmark: 'hellaswag' }, /unknown benchmark "hellaswag"/],
      [{ models: ['gpt-9'] }, /unknown model "gpt-9"/],
      [{ models: [] }, /at least one model/],
      [{ models: [{ id: 'x', accuracy: 0 }] }, /model "x" accuracy must be in \(0, 1\), got 0/],
      [{ models: [{ id: 'x', accuracy: 1 }] }, /model "x" accuracy must be in \(0, 1\)/],
      [{ models: [{ id: 'x', accuracy: 1.3 }] }, /model "x"/],
      [{ models: [{ id: 'x', accuracy: NaN }] }, /model "x"/],
      [{ benchmark: 'musr', models: [{ id: 'x', accuracy: { murder_mysteries: 0.6 } }] }, /no accuracy for subtask "object_placements"/],
      [{ benchmark: 'musr', models: [{ id: 'x', accuracy: { chess: 0.6 } }] }, /unknown subtask "chess"/],
      [{ benchmark: 'musr', models: [{ id: 'x', accuracy: { murder_mysteries: 0.6, object_placements: 1, team_allocation: 0.4 } }] }, /"object_placements" must be in \(0, 1\)/],
      [{ benchmark: 'custom' }, /needs a calibration/],
      [{ meanRunLength: 0.5 }, /meanRunLength/],
      [{ abstentionRate: 1 }, /abstentionRate/],
      [{ abstentionRate: -0.1 }, /abstentionRate/],
      [{ trainFraction: 1 }, /trainFraction/],
      [{ difficultyLoading: 1 }, /loading/],
      [{ difficultyLoading: 0.9, familyLoading: 0.5 }, /loading\^2 \+ familyLoading\^2 must be < 1/],
      [{ distractorSharing: 0.5 }, /distractorSharing applies to sampled mode only/],
      [{ benchmark: 'gsm8k', distractorSharing: 1.5 }, /distractorSharing: must be in \[0, 1\]/],
      [{ benchmark: 'gsm8k', appealSharing: 0.3 }, /appealSharing applies to choices mode only/],
      [{ appealSharing: 1 }, /appealSharing: must be in \[0, 1\)/],
      [{ difficultyConfidence: -1 }, /difficultyConfidence/],
      [{ confidenceSharpness: 0 }, /sharpness: must be positive/],
      [{ confidenceNoise: -0.5 }, /confidenceNoise/],
      [{ runnerUpBoost: NaN }, /runnerUpBoost/],
      [{ subtaskConfidenceGain: Infinity }, /subtaskConfidenceGain/],
      [{ benchmark: 'gsm8k', samples: 0 }, /samples/],
      [{ benchmark: 'gsm8k', answerSpace: 1 }, /answerSpace/],
      [{ benchmark: 'gsm8k', answerSpace: 254, keepUnanswerable: true }, /answerSpace must be <= 253 with keepUnanswerable/],
    ];
    for (const [patch, message] of cases) {
      assert.throws(() => simulatePool({ ...base, ...patch } as SimulatePoolOptions), message, JSON.stringify(patch));
    }
  });

  it('rejects a custom calibration with an impossible value, naming model and subtask', () => {
    const calibration = simulatePoolWithReport({ benchmark: 'musr', nQueries: 10, seed: 1 }).report.calibration;
    const bad: PoolCalibration = JSON.parse(JSON.stringify(calibration));
    bad.models[1].accuracy[2] = 1;
    assert.throws(() => simulatePool({ benchmark: 'custom', calibration: bad, nQueries: 10, seed: 1 }), /models\[1\] \(mixtral-8x7b\)\.accuracy\[2\] \(subtask team_allocation\)/);
    assert.throws(() => simulatePool({ benchmark: 'custom', calibration, models: ['nope'], nQueries: 10, seed: 1 }), /unknown model "nope"/);
    assert.throws(() => simulatePool({ benchmark: 'musr', calibration, nQueries: 10, seed: 1 }), /only used with benchmark 'custom'/);
  });
});

describe('sim/simulator: benchmarks and the calibration table', () => {
  it('the tables load, and every non-assumed accuracy has a source', () => {
    const tables = loadCalibrationTables();
    assert.ok(tables.models.length >= 14);
    for (const m of tables.models) for (const acc of Object.values(m.accuracy)) assert.ok(acc.assumed ? !!acc.reason : !!acc.source);
  });

  it('choice counts per benchmark: MMLU 4, GPQA 4, MUSR 2/5/3, BBH 2..19 per subtask, GSM8K the answer space', () => {
    const mmlu = simulatePool({ benchmark: 'mmlu', nQueries: 600, seed: 1 });
    assert.equal(mmlu.nModels, 12);
    assert.equal(mmlu.subtaskNames.length, 57);
    assert.ok(mmlu.choiceCounts.every((c) => c === 4));
    assert.ok(simulatePool({ benchmark: 'gpqa', nQueries: 200, seed: 1 }).choiceCounts.every((c) => c === 4));
    const musr = simulatePool({ benchmark: 'musr', nQueries: 600, seed: 1 });
    const expected: Record<string, number> = { murder_mysteries: 2, object_placements: 5, team_allocation: 3 };
    for (let t = 0; t < musr.nQueries; t++) assert.equal(musr.choiceCounts[t], expected[musr.subtaskNames[musr.subtaskIds[t]]]);
    const bbh = simulatePool({ benchmark: 'bbh', nQueries: 2400, seed: 1 });
    const k: Record<string, number> = { object_counting: 19, reasoning_about_colored_objects: 18, geometric_shapes: 11, navigate: 2, date_understanding: 6 };
    for (let t = 0; t < bbh.nQueries; t++) {
      const name = bbh.subtaskNames[bbh.subtaskIds[t]];
      if (k[name] !== undefined) assert.equal(bbh.choiceCounts[t], k[name], name);
    }
    assert.equal(bbh.maxChoices, 19);
    for (const d of [mmlu, musr, bbh]) assertWellFormed(d);
  });

  it('model metadata: Table 8 prices, params, and the provenance of a simulated pool', () => {
    const d = simulatePool({ benchmark: 'gsm8k', nQueries: 50, seed: 1 });
    const prices: Record<string, number> = {
      'llama-2-13b': 0.08, 'llama-2-70b': 0.63, 'llama-2-7b': 0.09, 'mistral-7b': 0.085,
      'mixtral-8x7b': 0.48, 'gemma-2b': 0.11, 'gemma-7b': 0.13, 'phi-2': 0.08,
    };
    assert.deepEqual(d.models.map((m) => m.id).sort(), Object.keys(prices).sort());
    for (const m of d.models) {
      assert.equal(m.priceCents, prices[m.id]);
      assert.match(m.priceSource!, /Table 8/);
      assert.ok(m.paramsB! > 0 && !!m.family);
    }
    assert.equal(d.provenance.kind, 'simulated');
    assert.match(d.provenance.source, /^simulated pool: gsm8k, calibrated to data\/calibration/);
    assert.ok(d.provenance.notes!.some((n) => /assumed gsm8k accuracy/.test(n)));
    const extra = simulatePool({ benchmark: 'mmlu', models: ['qwen-2.5-72b', 'phi-4-14b'], nQueries: 20, seed: 1 });
    for (const m of extra.models) assert.match(m.priceSource!, /^assumed/);
  });

  it('each model hits its table accuracy (T = 20,000, within 1.5 points)', () => {
    const tables = loadCalibrationTables();
    const { dataset, report } = simulatePoolWithReport({ benchmark: 'mmlu', nQueries: 20_000, seed: 3 });
    const acc = dataset.modelAccuracies();
    dataset.models.forEach((m, i) => {
      const target = tables.models.find((r) => r.id === m.id)!.accuracy.mmlu.value;
      assert.ok(Math.abs(acc[i] - target) < 0.015, `${m.id}: ${acc[i]} vs ${target}`);
    });
    assert.equal(report.calibration.models.length, 12);
  });

  it('per-subtask accuracies follow the calibration (musr, given per subtask)', () => {
    const rows = [
      { id: 'a', accuracy: { murder_mysteries: 0.9, object_placements: 0.2, team_allocation: 0.5 } },
      { id: 'b', accuracy: { murder_mysteries: 0.6, object_placements: 0.7, team_allocation: 0.3 } },
    ];
    const d = simulatePool({ benchmark: 'musr', models: rows, nQueries: 15_000, seed: 2 });
    for (const { name, data } of d.subtaskSlices()) {
      const acc = data.modelAccuracies();
      rows.forEach((r, i) => assert.ok(Math.abs(acc[i] - r.accuracy[name as keyof typeof r.accuracy]) < 0.03, `${r.id} on ${name}: ${acc[i]}`));
    }
  });
});

describe('sim/simulator: the stream', () => {
  it('exact subtask quotas, runs of the configured mean length, and the paper split inside each subtask', () => {
    const { dataset, report } = simulatePoolWithReport({ benchmark: 'bbh', nQueries: 20_000, seed: 5, meanRunLength: 60 });
    const weights = report.calibration.subtasks.map((s) => s.weight);
    const quotas = quotasFromWeights(weights, 20_000);
    report.calibration.subtasks.forEach((s, k) => assert.equal(report.subtaskQuotas[s.name], quotas[k]));
    assert.ok(report.meanRunLength > 50 && report.meanRunLength < 75, `mean run length ${report.meanRunLength}`);
    let runs = 1;
    for (let t = 1; t < dataset.nQueries; t++) if (dataset.subtaskIds[t] !== dataset.subtaskIds[t - 1]) runs += 1;
    assert.equal(runs, report.runs);
    for (const { data } of dataset.subtaskSlices()) {
      const nTrain = Math.floor(0.8 * data.nQueries);
      for (let t = 0; t < data.nQueries; t++) assert.equal(data.split[t], t < nTrain ? TRAIN : TEST);
    }
  });

  it('meanRunLength = Infinity lays the subtasks out as one block each, in table order', () => {
    const { dataset, report } = simulatePoolWithReport({ benchmark: 'musr', nQueries: 900, seed: 5, meanRunLength: Infinity });
    assert.equal(report.runs, 3);
    const order = [dataset.subtaskIds[0]];
    for (let t = 1; t < dataset.nQueries; t++) if (dataset.subtaskIds[t] !== order[order.length - 1]) order.push(dataset.subtaskIds[t]);
    assert.deepEqual(order, [0, 1, 2]);
  });
});

describe('sim/simulator: correlated errors, distractors, confidences, abstentions', () => {
  it('errors are correlated within a family more than across families', () => {
    const rows = ['a1', 'a2', 'b1', 'b2'].map((id) => ({ id, family: id[0], accuracy: 0.5 }));
    const stats = poolStatistics(simulatePool({ benchmark: 'gpqa', models: rows, nQueries: 20_000, seed: 4, difficultyLoading: 0.3, familyLoading: 0.6 }));
    const within = (stats.pairwisePhi[0][1] + stats.pairwisePhi[2][3]) / 2;
    const across = (stats.pairwisePhi[0][2] + stats.pairwisePhi[0][3] + stats.pairwisePhi[1][2] + stats.pairwisePhi[1][3]) / 4;
    assert.ok(within > across + 0.15, `within ${within}, across ${across}`);
    assert.ok(across > 0.02, 'the shared difficulty still correlates models of different families');
  });

  it('wrong models fall for the same attractive options as the appeal sharing grows, from uniform at 0', () => {
    const rows = [0.3, 0.35, 0.4, 0.45, 0.5].map((accuracy, i) => ({ id: `m${i}`, accuracy }));
    const rates = [0, 0.4, 0.9].map((appealSharing) => sameWrongRate(simulatePool({ benchmark: 'gpqa', models: rows, nQueries: 8000, seed: 6, appealSharing, abstentionRate: 0 })));
    assert.ok(Math.abs(rates[0] - 1 / 3) < 0.02, `no sharing: ${rates[0]} vs 1/(C - 1) = 1/3`);
    assert.ok(rates[1] > rates[0] + 0.05 && rates[2] > rates[1] + 0.1 && rates[2] > 0.7, `rates ${rates}`);
  });

  it('options other wrong models chose rank above the gold in a wrong model\'s vector more often than options nobody chose', () => {
    const rows = [0.3, 0.35, 0.4, 0.45, 0.5].map((accuracy, i) => ({ id: `m${i}`, accuracy }));
    const d = simulatePool({ benchmark: 'mmlu', models: rows, nQueries: 6000, seed: 7, appealSharing: 0.4, runnerUpBoost: 0, abstentionRate: 0 });
    const N = d.nModels;
    const beats = { chosen: 0, chosenPairs: 0, unchosen: 0, unchosenPairs: 0 };
    for (let t = 0; t < d.nQueries; t++) {
      const y = d.labels[t];
      const votes = new Set<number>();
      for (let i = 0; i < N; i++) votes.add(d.predictions[t * N + i]);
      for (let i = 0; i < N; i++) {
        const p = d.predictions[t * N + i];
        if (p === y) continue;
        const row = d.probRow(t, i);
        for (let k = 0; k < d.choiceCounts[t]; k++) {
          if (k === y || k === p) continue;
          const key = votes.has(k) ? 'chosen' : 'unchosen';
          beats[`${key}Pairs`] += 1;
          if (row[k] > row[y]) beats[key] += 1;
        }
      }
    }
    const chosen = beats.chosen / beats.chosenPairs;
    const unchosen = beats.unchosen / beats.unchosenPairs;
    assert.ok(chosen > unchosen + 0.05, `chosen ${chosen}, unchosen ${unchosen}`);
  });

  it('the runner-up boost moves P(gold is a wrong model\'s runner-up) along the exact formula', () => {
    const rows = [0.3, 0.4].map((accuracy, i) => ({ id: `m${i}`, accuracy }));
    for (const runnerUpBoost of [-0.5, 0, 0.8]) {
      const d = simulatePool({ benchmark: 'gpqa', models: rows, nQueries: 6000, seed: 8, runnerUpBoost, abstentionRate: 0 });
      const rate = runnerUpStatistics(d).goldRunnerUp;
      const expected = aboveSecondLargest(runnerUpBoost, 3);
      assert.ok(Math.abs(rate - expected) < 0.02, `boost ${runnerUpBoost}: ${rate} vs ${expected}`);
    }
  });

  it('confidences are informative (higher when right) and miscalibrated per the model temperature', () => {
    const rows = [
      { id: 'overconfident', accuracy: 0.6, temperature: 0.3 },
      { id: 'underconfident', accuracy: 0.6, temperature: 4 },
    ];
    const d = simulatePool({ benchmark: 'gpqa', models: rows, nQueries: 10_000, seed: 9, abstentionRate: 0 });
    const N = d.nModels;
    const meanTop = [0, 0];
    for (let i = 0; i < N; i++) {
      let right = 0, nRight = 0, wrong = 0, nWrong = 0;
      for (let t = 0; t < d.nQueries; t++) {
        const top = Math.max(...d.probRow(t, i));
        meanTop[i] += top / d.nQueries;
        if (d.correct[t * N + i]) { right += top; nRight++; } else { wrong += top; nWrong++; }
      }
      assert.ok(right / nRight > wrong / nWrong + 0.02, `${rows[i].id}: right ${right / nRight}, wrong ${wrong / nWrong}`);
    }
    const acc = d.modelAccuracies();
    assert.ok(meanTop[0] > acc[0] + 0.1, `overconfident: mean top ${meanTop[0]} vs accuracy ${acc[0]}`);
    assert.ok(meanTop[1] < acc[1] - 0.1, `underconfident: mean top ${meanTop[1]} vs accuracy ${acc[1]}`);
  });

  it('abstains at the configured rate, from would-be-wrong answers, so accuracies are kept', () => {
    const rows = [0.3, 0.6, 0.8].map((accuracy, i) => ({ id: `m${i}`, accuracy }));
    const { dataset, report } = simulatePoolWithReport({ benchmark: 'gpqa', models: rows, nQueries: 20_000, seed: 10, abstentionRate: 0.05 });
    const stats = poolStatistics(dataset);
    assert.ok(Math.abs(stats.abstentionRate - 0.05) < 0.005, `abstention ${stats.abstentionRate}`);
    assert.equal(report.abstentions, Math.round(stats.abstentionRate * 3 * 20_000));
    rows.forEach((r, i) => assert.ok(Math.abs(stats.accuracy[i] - r.accuracy) < 0.015));
  });
});

describe('sim/simulator: sampled answers (GSM8K-like)', () => {
  it('frequency vectors count / S over the K-answer space; accuracies near the table', () => {
    const tables = loadCalibrationTables();
    const { dataset, report } = simulatePoolWithReport({ benchmark: 'gsm8k', nQueries: 4000, seed: 11 });
    assertWellFormed(dataset);
    assert.ok(dataset.choiceCounts.every((c) => c === 10));
    for (let t = 0; t < dataset.nQueries; t++) {
      for (let i = 0; i < dataset.nModels; i++) {
        const row = dataset.probRow(t, i);
        assert.ok(row.every((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-12), `row (${t}, ${i}) is not count / 10: ${Array.from(row)}`);
      }
    }
    const acc = dataset.modelAccuracies();
    dataset.models.forEach((m, i) => {
      const target = tables.models.find((r) => r.id === m.id)!.accuracy.gsm8k.value;
      assert.ok(Math.abs(acc[i] - target) < 0.025, `${m.id}: ${acc[i]} vs ${target}`);
    });
    assert.equal(dataset.nQueries, 4000 - report.goldOutsideSpace);
  });

  it('questions whose gold falls outside the answer space: excluded and counted by default, kept with a reserved slot on request', () => {
    const options: SimulatePoolOptions = { benchmark: 'gsm8k', nQueries: 3000, seed: 12, answerSpace: 3 };
    const dropped = simulatePoolWithReport(options);
    assert.ok(dropped.report.goldOutsideSpace > 0);
    assert.equal(dropped.report.dropped, dropped.report.goldOutsideSpace);
    assert.equal(dropped.dataset.nQueries, 3000 - dropped.report.dropped);
    assert.ok(dropped.dataset.choiceCounts.every((c) => c === 3));
    assert.ok(dropped.dataset.provenance.notes!.some((n) => n.startsWith(`${dropped.report.goldOutsideSpace} of 3000 questions had the gold answer outside`) && /excluded/.test(n)));
    const kept = simulatePoolWithReport({ ...options, keepUnanswerable: true });
    assert.equal(kept.report.goldOutsideSpace, dropped.report.goldOutsideSpace, 'same draws, same count');
    assert.equal(kept.report.dropped, 0);
    assert.equal(kept.dataset.nQueries, 3000);
    assert.ok(kept.dataset.choiceCounts.every((c) => c === 4), 'the reserved slot is on every question');
    let reserved = 0;
    const N = kept.dataset.nModels;
    for (let t = 0; t < 3000; t++) {
      for (let i = 0; i < N; i++) assert.equal(kept.dataset.probRow(t, i)[3], 0, 'no model puts mass on the reserved slot');
      if (kept.dataset.labels[t] === 3) {
        reserved += 1;
        for (let i = 0; i < N; i++) assert.equal(kept.dataset.correct[t * N + i], 0);
      }
    }
    assert.equal(reserved, kept.report.goldOutsideSpace);
  });
});

describe('sim/simulator: calibrateToDataset and poolStatistics', () => {
  it('poolStatistics on a hand-checked pool', () => {
    // 4 queries, 3 models, 3 options; rows are one-hot predictions (model 2 abstains on query 3).
    const preds = [
      [0, 0, 1],
      [1, 2, 2],
      [2, 0, 1],
      [0, 1, -1],
    ];
    const labels = [0, 2, 1, 2];
    const probs: number[] = [];
    for (const row of preds) for (const p of row) for (let c = 0; c < 3; c++) probs.push(c === p ? 1 : 0);
    const d = new Dataset({
      models: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      choiceCounts: Uint8Array.from([3, 3, 3, 3]),
      labels: Int32Array.from(labels),
      probs: Float64Array.from(probs),
      taskIds: new Uint16Array(4),
      taskNames: ['t'],
      subtaskIds: new Uint16Array(4),
      subtaskNames: ['s'],
      split: new Uint8Array(4),
      provenance: { kind: 'synthetic', source: 'hand-made' },
    });
    const s = poolStatistics(d);
    assert.deepEqual(s.accuracy, [0.25, 0.5, 0.5]);
    // plurality: q0 -> 0 (right), q1 -> 2 (right), q2 -> tie 0/1/2 -> 0 (wrong), q3 -> tie 0/1 -> 0 (wrong)
    assert.equal(s.pluralityAccuracy, 0.5);
    assert.equal(s.oracleAccuracy, 0.75);
    assert.equal(s.abstentionRate, 1 / 12);
    // errors a = [0,1,1,1], b = [0,0,1,1]: phi = (2/4 - 3/4 * 2/4) / sqrt(3/16 * 1/4) = 0.577...
    assert.ok(Math.abs(s.pairwisePhi[0][1] - 1 / Math.sqrt(3)) < 1e-12);
  });

  it('runner-up and fusion probes on a hand-checked pool', () => {
    // 3 queries x 2 models, 3 options, gold 0 / 1 / 2.
    const rows = [
      [[0.1, 0.6, 0.3], [0.2, 0.2, 0.6]], // both wrong; model 0 runner-up 2, model 1 runner-up tie 0/1 -> 0 (lowest); mean argmax 2
      [[0.5, 0.3, 0.2], [0.1, 0.7, 0.2]], // model 0 wrong (runner-up 1 = gold), model 1 right
      [[0.3, 0.3, 0.4], [0.3, 0.4, 0.3]], // model 0 right, model 1 wrong (gold 2 ties 0 for runner-up: credit 1/2)
    ];
    const d = new Dataset({
      models: [{ id: 'a' }, { id: 'b' }],
      choiceCounts: Uint8Array.from([3, 3, 3]),
      labels: Int32Array.from([0, 1, 2]),
      probs: Float64Array.from(rows.flat(2)),
      taskIds: new Uint16Array(3),
      taskNames: ['t'],
      subtaskIds: new Uint16Array(3),
      subtaskNames: ['s'],
      split: new Uint8Array(3),
      provenance: { kind: 'synthetic', source: 'hand-made' },
    });
    assert.equal(goldRunnerUpCredit([0.2, 0.2, 0.6], 3, 2, 0), 0.5);
    assert.equal(goldRunnerUpCredit([0.1, 0.6, 0.3], 3, 1, 0), 0);
    const r = runnerUpStatistics(d);
    // wrong cells: (q0, a) 0, (q0, b) 1/2, (q1, a) 1, (q2, b) 1/2 -> 2 / 4
    assert.equal(r.goldRunnerUp, 0.5);
    assert.equal(r.chance, 0.5);
    assert.ok(Math.abs(r.meanGoldProbabilityWhenWrong - (0.1 + 0.2 + 0.3 + 0.3) / 4) < 1e-12);
    assert.equal(r.wrongPairs.pairs, 1);
    assert.equal(r.wrongPairs.bothGold, 0); // credits 0 and 1/2
    assert.equal(r.wrongPairs.sameNonGold, 0); // runner-ups 2 and 0
    const p = fusionProbes(d);
    assert.ok(Math.abs(p.oracleAccuracy - 2 / 3) < 1e-12);
    assert.ok(Math.abs(p.allWrong - 1 / 3) < 1e-12);
    // soft vote: q0 mean (0.15, 0.4, 0.45) -> 2 wrong; q1 (0.3, 0.5, 0.2) -> 1 right; q2 (0.3, 0.35, 0.35) -> 1 wrong
    assert.ok(Math.abs(p.softVoteAccuracy - 1 / 3) < 1e-12);
    assert.equal(p.allWrongSoftVoteGold, 0);
    assert.ok(p.logistic.accuracy >= 0 && p.logistic.accuracy <= 1);
  });

  it('recovers the latent model (loadings, family loading, accuracies) and the answer and confidence model of a simulated pool', () => {
    const truth: PoolCalibration = {
      source: 'test truth',
      mode: 'choices',
      subtasks: [
        { name: 'easy', task: 't', choices: 4, weight: 1 },
        { name: 'hard', task: 't', choices: 5, weight: 1 },
      ],
      models: [
        { info: { id: 'm0', family: 'x' }, accuracy: [0.8, 0.4], loading: 0.3, temperature: 0.5, sharpness: 0.5, confidenceNoise: 2, subtaskConfidenceGain: 1, runnerUpBoost: -0.3 },
        { info: { id: 'm1', family: 'x' }, accuracy: [0.7, 0.5], loading: 0.5, temperature: 1, sharpness: 1, confidenceNoise: 3, subtaskConfidenceGain: 0, runnerUpBoost: 0 },
        { info: { id: 'm2', family: 'y' }, accuracy: [0.6, 0.3], loading: 0.7, temperature: 2, sharpness: 1, confidenceNoise: 1, subtaskConfidenceGain: 2, runnerUpBoost: 0.3 },
        { info: { id: 'm3', family: 'z' }, accuracy: [0.75, 0.35], loading: 0.6, temperature: 1.5, sharpness: 2, confidenceNoise: 2, subtaskConfidenceGain: 0.5, runnerUpBoost: -0.1 },
      ],
      familyLoading: 0.5,
      appealSharing: 0.4,
      difficultyConfidence: 0.5,
      abstentionRate: 0.01,
      notes: [],
    };
    const sim = simulatePool({ benchmark: 'custom', calibration: truth, nQueries: 30_000, seed: 13 });
    const fit = calibrateToDataset(sim, { seed: 1 });
    // Subtasks come back in order of first appearance in the stream.
    const truthIndex = fit.subtasks.map((s) => truth.subtasks.findIndex((x) => x.name === s.name));
    assert.deepEqual([...truthIndex].sort(), [0, 1]);
    fit.subtasks.forEach((s, k) => assert.equal(s.choices, truth.subtasks[truthIndex[k]].choices));
    fit.models.forEach((m, i) => {
      const t = truth.models[i];
      assert.ok(Math.abs(m.loading - t.loading) < 0.08, `${t.info.id} loading ${m.loading} vs ${t.loading}`);
      m.accuracy.forEach((a, k) => assert.ok(Math.abs(a - t.accuracy[truthIndex[k]]) < 0.02));
      assert.ok(Math.abs(Math.log(m.temperature / t.temperature)) < 0.25, `${t.info.id} temperature ${m.temperature} vs ${t.temperature}`);
      assert.ok(Math.abs(m.runnerUpBoost - t.runnerUpBoost) < 0.08, `${t.info.id} runner-up boost ${m.runnerUpBoost} vs ${t.runnerUpBoost}`);
      assert.ok(Math.abs(Math.log(m.confidenceNoise / t.confidenceNoise)) < 0.4, `${t.info.id} confidence noise ${m.confidenceNoise} vs ${t.confidenceNoise}`);
    });
    assert.ok(Math.abs(fit.familyLoading - truth.familyLoading) < 0.12, `family loading ${fit.familyLoading}`);
    assert.ok(Math.abs(fit.appealSharing! - truth.appealSharing!) < 0.04, `appeal sharing ${fit.appealSharing}`);
    assert.ok(Math.abs(fit.abstentionRate - truth.abstentionRate) < 0.003);
    // The subtask gains and the difficulty weight are weakly identified apart (both move the pooled AUC); what
    // must hold is that the fitted pool reproduces the statistics they were fitted to.
    const want = confidenceStatistics(sim);
    const got = confidenceStatistics(simulatePool({ benchmark: 'custom', calibration: fit, nQueries: 30_000, seed: 14 }));
    want.auc.forEach((a, i) => {
      assert.ok(Math.abs(got.auc[i] - a) < 0.015, `model ${i} pooled lead AUC ${got.auc[i]} vs ${a}`);
      assert.ok(Math.abs(got.aucWithin[i] - want.aucWithin[i]) < 0.015, `model ${i} within-subtask lead AUC ${got.aucWithin[i]} vs ${want.aucWithin[i]}`);
      assert.ok(Math.abs(got.top[i] - want.top[i]) < 0.01, `model ${i} mean top probability ${got.top[i]} vs ${want.top[i]}`);
      assert.ok(Math.abs(got.split[i] - want.split[i]) < 0.015, `model ${i} confidence split ${got.split[i]} vs ${want.split[i]}`);
    });
    assert.ok(Math.abs(got.disagreementAuc - want.disagreementAuc) < 0.01, `disagreement AUC ${got.disagreementAuc} vs ${want.disagreementAuc}`);
  });

  it('property: any small simulated pool is a well-formed Dataset', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('mmlu', 'gsm8k', 'bbh', 'musr', 'gpqa'),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 1, max: 40, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (benchmark, nQueries, seed, meanRunLength, abstentionRate) => {
          const { dataset: d, report } = simulatePoolWithReport({ benchmark, nQueries, seed, meanRunLength, abstentionRate });
          assert.equal(d.nQueries, nQueries - report.dropped);
          if (benchmark !== 'gsm8k') assert.equal(report.dropped, 0);
          assertWellFormed(d);
        },
      ),
      { numRuns: 40 },
    );
  });
});
