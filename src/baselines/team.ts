import type { Dataset } from '../data/dataset';

/** Checks a team of member model indices against the pool and returns it as a typed array. */
export function checkTeam(dataset: Dataset, team: ArrayLike<number>, who: string): Int32Array {
  if (team.length === 0) throw new RangeError(`${who}: the team is empty`);
  const seen = new Set<number>();
  for (let k = 0; k < team.length; k++) {
    const i = team[k];
    if (!(Number.isInteger(i) && i >= 0 && i < dataset.nModels)) {
      throw new RangeError(`${who}: team member ${i} is not a model index in [0, ${dataset.nModels})`);
    }
    if (seen.has(i)) throw new RangeError(`${who}: model ${i} appears twice in the team`);
    seen.add(i);
  }
  return Int32Array.from(team);
}

/** "a+b+c" from the members' model ids, for method names. */
export function teamLabel(dataset: Dataset, team: ArrayLike<number>): string {
  return Array.from(team, (i) => dataset.models[i].id).join(' + ');
}

export function allModels(dataset: Dataset): Int32Array {
  return Int32Array.from({ length: dataset.nModels }, (_, i) => i);
}
