import assert from 'node:assert/strict';
import { bbhLeaderboardAvailable } from '../../src/data/bbh';
import { runTable1, table1ColumnFacts, table1Findings, table1PaperFindings, TABLE1_PAPER } from '../../src/experiments/table1';
import { BENCHMARK_TITLES, calibrationIdOf, modelDisplayName } from '../../src/experiments/table1-pools';
import { bbhLeaderboard } from '../../src/train/presets';

const TINY = { ...bbhLeaderboard, deciderEpisodes: 1, fusionEpisodes: 1 };

describe('experiments/table1', () => {
  it('maps real checkpoint ids to the calibration rows of the paper', () => {
    assert.equal(calibrationIdOf('meta-llama/Llama-2-70b-chat-hf'), 'llama-2-70b');
    assert.equal(calibrationIdOf('mistralai/Mixtral-8x7B-Instruct-v0.1'), 'mixtral-8x7b');
    assert.equal(calibrationIdOf('mistralai/Mistral-7B-v0.1'), 'mistral-7b');
    assert.equal(calibrationIdOf('microsoft/phi-2'), 'phi-2');
    assert.equal(calibrationIdOf('acme/unknown'), undefined);
    assert.equal(modelDisplayName('phi-2'), 'Phi-2b');
  });

  it('one simulated column: per-model accuracies, best model, relative gain, control and paper quotes', async () => {
    const out = await runTable1({ benchmarks: ['gpqa', 'mmlu'], pool: 'code', nQueries: 150, seeds: [0, 1], rl: TINY, realBbh: false, votesOnlyControl: true });
    assert.equal(out.columns.length, 2);
    for (const c of out.columns) {
      const data = c.pool.data;
      const acc = data.modelAccuracies(data.splitIndices('test'));
      assert.equal(c.modelAccuracy.size, data.nModels);
      assert.equal(c.best.accuracy, Math.max(...acc));
      assert.ok(Math.abs(c.relativeGain - (100 * (c.rl.accuracy.mean - c.best.accuracy)) / c.best.accuracy) < 1e-9);
      assert.equal(c.rl.runs.length, 2);
      assert.ok(c.votesOnly, 'votes-only control ran');
      assert.match(c.pool.provenance, /^simulated pool/);
    }
    const wide = out.tables.find((t) => t.name === 'table1-main-results')!;
    assert.ok(wide.rows.some((r) => String(r.model).startsWith('RL-Focal (mean ± SE, 2 seeds)')));
    assert.ok(wide.rows.some((r) => r.model === 'Rel. gain over best model (%)'));
    const comparison = out.tables.find((t) => t.name === 'table1-paper-comparison')!;
    // Every quoted MMLU code-side number appears beside ours.
    for (const value of Object.values(TABLE1_PAPER.mmluCode)) assert.ok(comparison.rows.some((r) => String(r.paper).startsWith(String(value))));
    assert.ok(table1Findings(out).length >= 3);
    assert.equal(out.figures[0].name, 'table1-rl-focal-vs-best-model');
  });

  it('paper findings and column facts are computed from the columns, in the comparison table\'s units', async () => {
    const out = await runTable1({ benchmarks: ['gpqa', 'mmlu'], pool: 'table1', nQueries: 150, seeds: [0], rl: TINY, realBbh: false, votesOnlyControl: true });
    const facts = table1ColumnFacts(out);
    // The pool's provenance line states the assumed count in words; the facts must agree with it.
    const stated = out.columns.reduce((s, c) => s + Number(/(\d+) assumed/.exec(c.pool.provenance)?.[1] ?? 0), 0);
    assert.equal(facts.assumedAccuracies, stated);
    assert.equal(facts.calibratedAccuracies, out.columns.reduce((s, c) => s + c.pool.data.nModels, 0));
    const tests = out.columns.map((c) => c.pool.data.splitIndices('test').length);
    assert.deepEqual([facts.smallestTest, facts.largestTest], [Math.min(...tests), Math.max(...tests)]);
    assert.ok(facts.oracleBreaches >= 0 && facts.oracleBreaches <= out.columns.length);

    const lines = table1PaperFindings(out);
    const agree = out.columns.filter((c) => modelDisplayName(c.best.id).startsWith(modelDisplayName(TABLE1_PAPER.bestModelText[c.pool.key.replace(/^sim-/, '') as 'gpqa' | 'mmlu']))).length;
    assert.ok(lines[0].startsWith(`Best single model per simulated column (paper's text vs ours): ${BENCHMARK_TITLES.gpqa} `), lines[0]);
    assert.ok(lines[0].includes(`— ${agree} of 2 agree`), lines[0]);
    const mmlu = out.columns.find((c) => c.pool.key === 'sim-mmlu')!;
    const present = Object.keys(TABLE1_PAPER.mmluCode).filter((id) => mmlu.modelAccuracy.has(id)).length;
    assert.ok(lines[1].includes(`(rebuttal.ipynb, ${present} models in our pool)`), lines[1]);
    assert.ok(lines.some((l) => l.startsWith(`MMLU RL-Focal (%): paper ${TABLE1_PAPER.mmluCodeRlFocal} `)));
    assert.ok(lines[lines.length - 1].startsWith('Votes-only control'));
  });

  it('adds the real BBH column when the data folder exists (skipped otherwise)', async function () {
    if (!bbhLeaderboardAvailable()) this.skip();
    const out = await runTable1({ benchmarks: [], seeds: [0], realBbh: true, realBbhRl: TINY, votesOnlyControl: false });
    const real = out.columns[0];
    assert.equal(real.pool.key, 'real-bbh');
    // bbh-leaderboard README: best model on test (corrected labels, micro) is Mixtral-8x7B-Instruct at 0.5087.
    assert.equal(real.best.id, 'mixtral-8x7b');
    assert.ok(Math.abs(real.best.accuracy - 0.5087) < 5e-5);
    assert.equal(real.rl.runs[0].perSubtask!.length, 24);
  });
});
