import assert from 'node:assert/strict';
import { Dataset } from '../../src/data/dataset';
import { DEVELOPMENT_VARIANTS, developmentPool, guardSuiteFindings, runGuardSuite, servedUnderRule } from '../../src/experiments/guard-suite';
import type { SeedRun } from '../../src/runs/seed-runs';
import type { MethodResult } from '../../src/eval/result';
import { syntheticPool } from '../train/synthetic-pool';

describe('experiments: the guard rule on development pools cut from train (docs/rl.md §5h)', () => {
  const base = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 100 }, { name: 'B', expert: 3, queries: 60 }], nModels: 6, nChoices: 4, seed: 3, expertAccuracy: 0.85 });
  const pool = new Dataset({ ...base.columns(), queryIds: Array.from({ length: base.nQueries }, (_, t) => `q${t}`) });
  const position = (id: string) => Number(id.slice(1));

  it('every development pool holds the train queries only, a fifth of each subtask held out at the end or, reversed, at the start', () => {
    const train = Array.from(pool.splitIndices('train'));
    for (const variant of DEVELOPMENT_VARIANTS) {
      const dev = developmentPool(pool, variant, 7);
      const ids = dev.queryIds!;
      assert.equal(dev.nQueries, train.length, variant);
      assert.ok(ids.every((id) => pool.split[position(id)] !== 1), `${variant}: no test query of the pool`);
      for (const subtask of ['A', 'B']) {
        const ofSubtask = train.filter((t) => pool.subtaskNames[pool.subtaskIds[t]] === subtask);
        const heldOut = Array.from(dev.splitIndices('test'), (q) => position(ids[q])).filter((t) => pool.subtaskNames[pool.subtaskIds[t]] === subtask).sort((a, b) => a - b);
        const reversed = variant.endsWith('reversed');
        const expected = reversed ? ofSubtask.slice(0, heldOut.length) : ofSubtask.slice(ofSubtask.length - heldOut.length);
        assert.deepEqual(heldOut, expected, `${variant} ${subtask}`);
        assert.ok(Math.abs(heldOut.length - ofSubtask.length / 5) <= 1, `${variant} ${subtask}: a fifth held out`);
      }
    }
  });

  it('the half pools: half the models (at least 3), the same for the same seed, in both half-pool variants', () => {
    const models = (variant: (typeof DEVELOPMENT_VARIANTS)[number], seed: number) => developmentPool(pool, variant, seed).models.map((m) => m.id);
    assert.equal(models('half pool', 1).length, 3);
    assert.deepEqual(models('half pool', 1), models('half pool, reversed', 1));
    assert.deepEqual(models('half pool', 1), models('half pool', 1));
    assert.equal(models('standard', 1).length, 6);
    const small = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 60 }], nModels: 4, nChoices: 3, seed: 1 });
    assert.equal(developmentPool(small, 'half pool').nModels, 3, 'never fewer than 3 models');
    assert.throws(() => developmentPool(small, ' reversed' as never), /unknown variant " reversed"/, 'a misspelt variant is refused, not cut as a half pool');
  });

  it('servedUnderRule: the pass the run kept for what each rule would choose', () => {
    const result = (accuracy: number) => ({ accuracy }) as MethodResult;
    const run = (served: string, wins: number, losses: number): SeedRun =>
      ({
        seed: 0,
        test: result(served === 'learned' ? 0.6 : 0.5),
        learned: result(0.6),
        guard: { queries: 100, trainQueries: 500, learnedCorrect: 50 + wins - losses, learnedCalls: 100, budget: 3, served, candidates: [{ method: 'team', correct: 50, crossValidated: 400, learnedWins: wins, learnedLosses: losses }] },
      }) as unknown as SeedRun;
    const narrow = run('team', 3, 1);
    assert.equal(servedUnderRule(narrow, 'sign-test'), 0.5, 'p = 5/16: the team, as served');
    assert.equal(servedUnderRule(narrow, 'more-right'), 0.6, 'any margin: the learned agents');
    assert.equal(servedUnderRule(run('learned', 9, 0), 'more-right'), 0.6);
    assert.throws(() => servedUnderRule(run('learned', 1, 0), 'sign-test'), /candidate's pass was not kept/);
    assert.equal(servedUnderRule({ ...narrow, guard: undefined }, 'more-right'), 0.5, 'no guard: as served');
  });

  it('runs the suite: one row per pool and variant, the default rule equal to what served, a subtask too short to train served by the pool', async () => {
    const withShort = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 120 }, { name: 'B', expert: 2, queries: 120 }, { name: 'C', expert: 1, queries: 4 }], nModels: 4, nChoices: 4, seed: 5, expertAccuracy: 0.85 });
    const config = { window: 5, updatePeriod: 25, minibatches: 2, deciderEpisodes: 2, fusionEpisodes: 2 };
    const out = await runGuardSuite([{ name: 'topics', data: withShort }], { seeds: [0, 1], variants: ['standard', 'half pool, reversed'], config });
    assert.deepEqual(out.tables.map((t) => [t.name, t.rows.length]), [['guard-rule-suite', 2], ['guard-candidates-suite', 2], ['guard-refit-suite', 2]]);
    await assert.rejects(runGuardSuite([], { alternative: null } as never), /unknown parameter "alternative"/, 'a parameter of an older version is refused, not ignored');
    for (const cell of out.cells) {
      assert.ok(cell.bar >= cell.barMethods.bestSingle.accuracy && cell.bar >= cell.barMethods.voteTeamChosenOnTrain.accuracy);
      cell.runs.forEach((r, k) => {
        assert.equal(cell.served['sign-test'][k], r.test.accuracy, 'the default rule is the one the runs were served by');
        assert.ok([r.test.accuracy, r.learned.accuracy].includes(cell.served['more-right'][k]));
      });
      const [withoutFused, withoutRefit] = cell.alternatives;
      assert.equal(withoutFused.runs.length, 2);
      withoutFused.runs.forEach((r, k) => {
        assert.ok(r.guard!.candidates.every((c) => !c.method.includes('fused')), 'the alternative runs without the fused team');
        if (!r.guard!.refit && !cell.runs[k].guard!.refit) assert.equal(r.learned.accuracy, cell.runs[k].learned.accuracy, 'the candidates do not change what the agents learn');
      });
      withoutRefit.runs.forEach((r, k) => {
        assert.equal(r.guard!.refit, undefined);
        assert.equal(r.guard!.served, cell.runs[k].guard!.served, 'the refit comes after the guard has chosen');
        if (r.guard!.served !== 'learned') assert.equal(r.test.accuracy, cell.runs[k].test.accuracy, 'nothing changes where a simple candidate serves');
        else assert.equal(cell.runs[k].guard!.refit, true);
      });
    }
    const untrained = (out.cells[0].runs[0].test.details as { untrainedSubtasks?: Array<{ subtask: string; servedBy: string | null }> }).untrainedSubtasks;
    assert.equal(untrained?.find((u) => u.subtask === 'C')?.servedBy?.startsWith('best single of the whole pool'), true, 'subtask C is too short to train');
    assert.equal(guardSuiteFindings(out).length >= 2, true);
    assert.match(guardSuiteFindings(out)[0], /^Over 2 development pools/);
    assert.match(guardSuiteFindings(out).at(-2)!, /^The defaults against the configuration without the fused team \(session 8\)/);
    assert.match(guardSuiteFindings(out).at(-1)!, /^The defaults against the configuration without the refit \(session 9\)/);
  });
});
