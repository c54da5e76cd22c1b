import assert from 'node:assert/strict';
import { repeatedTestQueries, runRlFocalOnPools, rlFocalPoolsFindings } from '../../src/experiments/rl-focal-pools';
import { Dataset } from '../../src/data/dataset';
import { syntheticPool } from '../train/synthetic-pool';

describe('experiments: RL-Focal on pools beside its baselines (issue 12 report)', () => {
  it('tables, budget curve, selection and training figures, one finding per pool', async () => {
    const topics = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 120 }, { name: 'B', expert: 2, queries: 120 }], nModels: 4, nChoices: 4, seed: 5, expertAccuracy: 0.85 });
    const single = syntheticPool({ topics: [{ name: 'A', expert: 1, queries: 200 }], nModels: 5, nChoices: 3, seed: 6, expertAccuracy: 0.8 });
    const config = { window: 5, updatePeriod: 25, minibatches: 2, deciderEpisodes: 2, fusionEpisodes: 2 };
    const out = await runRlFocalOnPools([{ name: 'topics', data: topics }, { name: 'single', data: single }], { seeds: [0, 1], config, budgets: [1, 3], budgetSeeds: [0], fusionSeeds: [0, 1] });
    assert.deepEqual(out.tables.map((t) => t.name), ['rl-focal-defaults-real-pools', 'rl-focal-vs-bar', 'rl-focal-signal', 'rl-focal-budget-curve', 'rl-focal-selection-frequency', 'rl-focal-guard']);
    const [main, versusBar, signal, curve, selection, guard] = out.tables;
    for (const [k, row] of versusBar.rows.entries()) {
      const r = out.pools[k];
      const single = r.maxExpert && r.maxExpert.accuracy > r.bestSingle.accuracy ? r.maxExpert : r.bestSingle;
      // The counts are the seeds' served passes against the bar's, query by query.
      const wins = r.rl.runs.map((s) => s.test.correct.reduce((n, c, q) => n + (c && !single.correct[q] ? 1 : 0), 0));
      const losses = r.rl.runs.map((s) => s.test.correct.reduce((n, c, q) => n + (!c && single.correct[q] ? 1 : 0), 0));
      const cell = String(row['RL-Focal right / it right; p']);
      const pairs = [...cell.matchAll(/(\d+)\/(\d+) p (?:= |< )([\d.]+)/g)];
      if (pairs.length === 1) {
        assert.match(cell, /\(2 seeds\)$/, 'seeds that agree are written once, with their count');
        assert.ok(wins.every((w, i) => w === +pairs[0][1] && losses[i] === +pairs[0][2]));
      } else assert.deepEqual(pairs.map((m) => [+m[1], +m[2]]), wins.map((w, i) => [w, losses[i]]));
      for (const m of pairs) assert.ok(+m[3] >= 0.001 && +m[3] <= 1);
      const gap = r.rl.accuracy.mean - single.accuracy;
      assert.ok(Math.abs(+row['points above it']! - 100 * gap) < 0.006, 'the difference is the mean over seeds minus the bar');
    }
    assert.equal(guard.rows.length, 2);
    for (const [k, row] of guard.rows.entries()) {
      const runs = out.pools[k].rl.runs;
      assert.equal(row['learned agents served'], `${runs.filter((s) => s.guard!.served === 'learned').length} of 2`);
      const firsts = runs.map((s) => s.guard!.candidates.reduce((a, c) => (c.crossValidated > a.crossValidated ? c : a)).method);
      const named = String(row['ranked first by cross-validation']).split('; ').map((n) => n.replace(/ \(\d+ of \d+ seeds\)$/, ''));
      assert.deepEqual(new Set(named), new Set(firsts), 'every seed\'s ranked-first candidate is named, and only those');
      assert.equal(String(row['learned right / it right, where exactly one is (per seed)']).split(', ').length, 2);
      const clear = String(row['sign-test p < 0.05 (per seed)']).split(', ');
      runs.forEach((s, i) => assert.ok(s.guard!.served !== 'learned' || clear[i] === 'yes', 'the learned agents served only where the sign test said so'));
      runs.forEach((s, i) => assert.ok(s.guard!.served === 'learned' || s.guard!.served === firsts[i], 'what did not serve learned is the candidate ranked first'));
    }
    assert.equal(signal.rows.length, 2);
    assert.ok('recent leader (w = 5)' in signal.rows[0], 'the recent leader reads the configured window');
    assert.equal(main.rows.length, 2);
    assert.match(String(main.rows[0].pool), /topics \(4\), per subtask/);
    assert.equal(main.rows[1]['Max Expert'], '—', 'one subtask: no Max Expert');
    assert.equal(curve.rows.length, 4);
    assert.equal(selection.rows.length, 4 + 5);
    for (const r of out.pools) {
      assert.equal(r.rl.runs.length, 2);
      for (const b of r.budgetCurve) assert.ok(b.team.cost.callsPerQuery <= b.budget + 1e-9, 'the static team keeps to its budget');
      assert.equal(r.voteTeams.length, r.perSubtask ? 4 : 2);
      assert.ok(r.voteTeams.includes(r.voteTeamChosenOnTrain), 'the comparator chosen on train is one of the vote teams');
      assert.equal(r.signal.recentLeader.cost.callsPerQuery, 1);
      assert.equal(r.signal.recentLeader.perSubtask, r.perSubtask);
      assert.equal(r.supervisedFusion!.overall.n, 2);
      assert.equal(r.supervisedFusion!.perSubtask !== undefined, r.perSubtask, 'one network per subtask only where there are subtasks');
    }
    assert.match(String(main.rows[0]['supervised fusion of all (overall / per subtask)']), /^[\d.]+ ± [\d.]+ \/ [\d.]+ ± [\d.]+ @ 4$/);
    assert.deepEqual(out.figures.map((f) => f.name), ['rl-focal-selection-topics', 'rl-focal-training-topics', 'rl-focal-selection-single', 'rl-focal-training-single', 'rl-focal-budget-curve']);
    const findings = rlFocalPoolsFindings(out);
    assert.equal(findings.length, 2);
    assert.match(findings[0], /vs best single .* vs Max Expert .* vs the vote team chosen on train .* vs the best vote team of <= 3 models/);
    assert.match(findings[0], /Against the supervised fusion of all 4 models \(4 calls\): .* vs one network .* vs one per subtask/);
    assert.match(findings[1], /Per-query signal: the recent leader .* scored [\d.]+ %, (above|not above) the best single model/);
  });

  it('repeatedTestQueries: the test positions whose text a train query has word for word; none without text', () => {
    const pool = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 40 }], nModels: 3, nChoices: 2, seed: 1, trainFraction: 0.5 });
    const questions = Array.from({ length: pool.nQueries }, (_, t) => `question ${t % 25}`);
    const withText = new Dataset({ ...pool.columns(), questions });
    // Train holds questions 0-19 (t < 20); test t = 20..39 has texts 20..24 (new) then 0..14 (repeated).
    assert.deepEqual(repeatedTestQueries(withText), Array.from({ length: 15 }, (_, k) => 5 + k));
    assert.deepEqual(repeatedTestQueries(pool), []);
  });
});
