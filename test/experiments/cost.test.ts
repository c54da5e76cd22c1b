import assert from 'node:assert/strict';
import { PAPER_PRICES_CENTS } from '../../src/baselines/prices';
import type { MethodResult } from '../../src/eval/result';
import { authorsCode } from '../../src/train/presets';
import {
  TABLE7_CONFIGS,
  baselineGroup,
  methodCostRows,
  table7ParameterRows,
  table8CatalogueRows,
} from '../../src/experiments/cost';

describe('experiments/cost', () => {
  it("the authors'-code networks have the paper's 17k parameters for N = 8, C = 4 (no critic)", () => {
    const table = table7ParameterRows([{ label: 'code', config: authorsCode }], [{ pool: 'mmlu', nModels: 8, maxChoices: 4 }]);
    const row = table.rows[0];
    assert.equal(row.decider, 3472);
    assert.equal(row.fusion, 13804);
    assert.equal(row.critic, 0);
    assert.equal(row.decider_plus_fusion, 17276);
  });

  it('parameter counts grow with the pool and our MAPPO adds a critic', () => {
    const table = table7ParameterRows(TABLE7_CONFIGS, [8, 16, 32].map((n) => ({ pool: `N=${n}`, nModels: n, maxChoices: 10 })));
    for (const label of TABLE7_CONFIGS.map((c) => c.label)) {
      const rows = table.rows.filter((r) => r.configuration === label);
      const counts = rows.map((r) => Number(r.decider_plus_fusion));
      assert.ok(counts[0] < counts[1] && counts[1] < counts[2], `${label}: ${counts}`);
    }
    assert.ok(table.rows.filter((r) => r.configuration === TABLE7_CONFIGS[0].label).every((r) => Number(r.critic) > 0));
  });

  it('Table 8 catalogue: the eight paper prices are used as printed, every other price is marked assumed', () => {
    const rows = table8CatalogueRows().rows;
    const paper = rows.filter((r) => !r.assumed);
    assert.equal(paper.length, Object.keys(PAPER_PRICES_CENTS).length);
    for (const r of paper) assert.equal(r.price_cents_per_call, r.paper_table8_cents);
    for (const r of rows.filter((x) => x.assumed)) assert.match(String(r.source), /assumed/);
  });

  it('methodCostRows reports every method with its accuracy and cost, RL-Focal first', () => {
    const cost = { queries: 4, callsPerQuery: 2, costPer1000: 1234.5, callsPerModel: [4, 4] };
    const base: MethodResult = { kind: 'vote', rule: 'plurality', method: 'plurality vote: all 2 models', split: 'test', accuracy: 0.5, correct: new Uint8Array([1, 0, 1, 0]), predictions: new Int32Array(4), cost };
    const rl = { tags: { configuration: 'x' }, accuracy: 0.75, accuracyMacro: 0.7, callsPerQuery: 1.5, costPer1000: 99 } as unknown as Parameters<typeof methodCostRows>[1][number];
    const rows = methodCostRows([base], [rl], () => 'RL-Focal: x');
    assert.deepEqual(rows.map((r) => r.kind), ['RL-Focal', 'vote over all models']);
    assert.equal(rows[0].accuracy_pct, 75);
    assert.equal(rows[1].cost_per_1000_cents, 1234.5);
  });

  it('baselineGroup sorts the runAllBaselines kinds into groups', () => {
    assert.equal(baselineGroup('single'), 'single model');
    assert.equal(baselineGroup('vote'), 'vote over all models');
    assert.equal(baselineGroup('latest-correct'), 'greedy (Fig. 4)');
    assert.equal(baselineGroup('static-team-fusion'), 'supervised fusion');
    assert.equal(baselineGroup('best-team'), 'static team');
    assert.equal(baselineGroup('threshold-router'), 'router');
    assert.equal(baselineGroup('oracle'), 'oracle (upper bound)');
  });
});
