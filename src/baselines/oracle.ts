import type { Dataset } from '../data/dataset';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import type { EvalOptions } from './single';
import { allModels, checkTeam, teamLabel } from './team';

/**
 * Upper bound: a query counts as solved when any member of the team is right (every member is called). Not a
 * deployable method; the answer reported is the label when some member has it, else the first member's answer.
 */
export function oracleBaseline(dataset: Dataset, team?: ArrayLike<number>, options: EvalOptions = {}): MethodResult {
  const members = team ? checkTeam(dataset, team, 'oracleBaseline') : allModels(dataset);
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'oracle', method: team ? `oracle: ${teamLabel(dataset, members)}` : 'oracle (any model right)' },
    (t, meter) => {
      meter.record(members);
      const y = dataset.labels[t];
      for (let k = 0; k < members.length; k++) if (predictions[t * N + members[k]] === y) return y;
      return predictions[t * N + members[0]];
    },
    { team: Array.from(members, (i) => dataset.models[i].id) },
  );
}
