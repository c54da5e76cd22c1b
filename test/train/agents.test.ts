import { strict as assert } from 'node:assert';
import { createAgents } from '../../src/train/agents';
import { resolveConfig } from '../../src/train/config';

describe('train/agents: where the Decider starts', () => {
  const selection = (config: Parameters<typeof resolveConfig>[0], team?: number[]) => {
    const agents = createAgents(resolveConfig({ deciderHidden: [8], ...config }), 4, 3, team);
    return Array.from(agents.decider.selectionProbabilities(new Float64Array(agents.deciderLayout.size)));
  };
  const near = (got: number[], want: number[]) => got.forEach((p, i) => assert.ok(Math.abs(p - want[i]) < 0.05, `model ${i}: ${p} vs ${want[i]}`));

  it("'uniform': every model at min(1/2, k / N)", () => {
    near(selection({ deciderInitialTeamSize: 1, deciderInitialTeam: 'uniform' }), [0.25, 0.25, 0.25, 0.25]);
    near(selection({ deciderInitialTeamSize: 3, deciderInitialTeam: 'uniform' }), [0.5, 0.5, 0.5, 0.5]);
  });

  it("'best-on-train' and 'best-vote-team': the starting team's members at 0.8, the others at 1 / N", () => {
    near(selection({ deciderInitialTeamSize: 2, deciderInitialTeam: 'best-on-train' }, [3, 1]), [0.25, 0.8, 0.25, 0.8]);
    near(selection({ deciderInitialTeamSize: 3, deciderInitialTeam: 'best-vote-team' }, [2]), [0.25, 0.25, 0.8, 0.25]);
  });

  it("k = 0 keeps the paper's initialisation, whatever the team", () => {
    const params = (config: Parameters<typeof resolveConfig>[0], team?: number[]) => Array.from(createAgents(resolveConfig(config), 4, 3, team).decider.net.params);
    assert.deepEqual(params({ deciderInitialTeamSize: 0, deciderInitialTeam: 'best-on-train' }, [3, 1]), params({ deciderInitialTeamSize: 0 }));
  });
});
