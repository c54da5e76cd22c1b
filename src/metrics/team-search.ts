/**
 * Team search for pools of any size: every team of the small sizes while that stays within a budget of scored
 * teams, then a beam (the best `beamWidth` teams of each size, each grown by every model not in it) for the larger
 * sizes. With the default budget of 2^16 teams, pools of up to 16 models are enumerated exactly, so the search
 * equals exhaustive enumeration there; larger pools get exact small teams plus a beam, and the result says so.
 */

/** Scores teams grown one model at a time; `S` is whatever per-team state makes adding a member cheap. */
export interface TeamObjective<S> {
  /** State of the team with no member. */
  empty(): S;
  /** State of the parent team plus `model` (not a member of it); must not modify `parent`. */
  extend(parent: S, model: number): S;
  /**
   * Ranking key of `team` (ascending members) = the parent's team plus `added`, compared lexicographically,
   * higher is better (NaN ranks lowest). Need not build the child's state.
   */
  score(parent: S, team: Int32Array, added: number): number[];
}

export interface TeamSearchLimits {
  /** Sizes 1, 2, ... are enumerated in full while the running number of teams stays within this; default 65,536. */
  enumerationBudget?: number;
  /** Teams kept per size beyond the enumerated sizes; default 16. */
  beamWidth?: number;
}

/** How a search was run: printed with every result chosen by it. */
export interface TeamSearchMethod {
  /** 'exhaustive' when every team of the searched sizes was scored. */
  kind: 'exhaustive' | 'enumeration+beam';
  /** Largest size whose every team was scored. */
  enumeratedUpTo: number;
  beamWidth: number;
  enumerationBudget: number;
  teamsScored: number;
  /** One line, e.g. "exhaustive: all 1,023 teams" or "all teams of size <= 3 (13,287), then beam of width 16". */
  description: string;
}

export interface SearchedTeam {
  team: Int32Array;
  key: number[];
}

export interface TeamSearchResult {
  /** The best team of each size minSize..maxSize (by key; ties -> lexicographically smaller team). */
  bestPerSize: SearchedTeam[];
  method: TeamSearchMethod;
}

export const DEFAULT_ENUMERATION_BUDGET = 65_536;
export const DEFAULT_BEAM_WIDTH = 16;

/** Lexicographic comparison of ranking keys: > 0 when a is better; NaN ranks below every number. */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < a.length; k++) {
    const x = Number.isNaN(a[k]) ? -Infinity : a[k];
    const y = Number.isNaN(b[k]) ? -Infinity : b[k];
    if (x !== y) return x > y ? 1 : -1;
  }
  return 0;
}

function compareTeams(a: Int32Array, b: Int32Array): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k] - b[k];
  return a.length - b.length;
}

/** The `width` best entries (key, then smaller team), kept sorted best first. */
class TopList<T extends SearchedTeam> {
  readonly items: T[] = [];
  constructor(private readonly width: number) {}

  offer(item: T): void {
    const { items } = this;
    const better = (a: T, b: T) => {
      const c = compareKeys(a.key, b.key);
      return c > 0 || (c === 0 && compareTeams(a.team, b.team) < 0);
    };
    if (items.length === this.width && !better(item, items[items.length - 1])) return;
    let at = items.length;
    while (at > 0 && better(item, items[at - 1])) at--;
    items.splice(at, 0, item);
    if (items.length > this.width) items.pop();
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The best team of each size in minSize..maxSize under an objective (see the file comment for the method). */
export function searchTeams<S>(
  nModels: number,
  objective: TeamObjective<S>,
  sizes: { minSize: number; maxSize: number },
  limits: TeamSearchLimits = {},
): TeamSearchResult {
  const N = nModels;
  const { minSize, maxSize } = sizes;
  const budget = limits.enumerationBudget ?? DEFAULT_ENUMERATION_BUDGET;
  const width = limits.beamWidth ?? DEFAULT_BEAM_WIDTH;
  if (!(Number.isInteger(N) && N >= 1)) throw new RangeError(`searchTeams: nModels must be an integer >= 1, got ${N}`);
  if (!(Number.isInteger(minSize) && Number.isInteger(maxSize) && minSize >= 1 && minSize <= maxSize && maxSize <= N)) {
    throw new RangeError(`searchTeams: need integers 1 <= minSize <= maxSize <= ${N}, got ${minSize}..${maxSize}`);
  }
  if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`searchTeams: beamWidth must be an integer >= 1, got ${width}`);
  if (!(budget >= 0)) throw new RangeError(`searchTeams: enumerationBudget must be >= 0, got ${budget}`);

  // Size 1 is always enumerated (N teams): the beam needs somewhere to start.
  let enumeratedUpTo = 1;
  let enumeratedTeams = N;
  while (enumeratedUpTo < maxSize && enumeratedTeams + binomial(N, enumeratedUpTo + 1) <= budget) {
    enumeratedUpTo++;
    enumeratedTeams += binomial(N, enumeratedUpTo);
  }
  // The beam grows from the last enumerated size, so it needs that size's top teams even below minSize.
  const tops = Array.from({ length: maxSize + 1 }, (_, m) => new TopList<SearchedTeam>(m === enumeratedUpTo ? Math.max(width, 1) : 1));
  let teamsScored = 0;

  const members = new Int32Array(N);
  const visit = (state: S, depth: number, from: number) => {
    for (let i = from; i < N; i++) {
      members[depth] = i;
      const team = members.slice(0, depth + 1);
      tops[depth + 1].offer({ team, key: objective.score(state, team, i) });
      teamsScored++;
      if (depth + 1 < enumeratedUpTo) visit(objective.extend(state, i), depth + 1, i + 1);
    }
  };
  visit(objective.empty(), 0, 0);

  const stateOf = (team: Int32Array) => {
    let s = objective.empty();
    for (const i of team) s = objective.extend(s, i);
    return s;
  };
  let beam = tops[enumeratedUpTo].items.map((item) => ({ ...item, state: stateOf(item.team) }));
  for (let m = enumeratedUpTo + 1; m <= maxSize; m++) {
    const next = new TopList<SearchedTeam & { parent: number; added: number }>(width);
    const seen = new Set<string>();
    beam.forEach((parent, p) => {
      const inTeam = new Uint8Array(N);
      for (const i of parent.team) inTeam[i] = 1;
      for (let added = 0; added < N; added++) {
        if (inTeam[added]) continue;
        const team = Int32Array.from([...parent.team, added]).sort();
        const id = team.join(',');
        if (seen.has(id)) continue;
        seen.add(id);
        next.offer({ team, key: objective.score(parent.state, team, added), parent: p, added });
        teamsScored++;
      }
    });
    beam = next.items.map((item) => ({ team: item.team, key: item.key, state: objective.extend(beam[item.parent].state, item.added) }));
    if (beam.length > 0) tops[m].offer({ team: beam[0].team, key: beam[0].key });
  }

  const exhaustive = enumeratedUpTo >= maxSize;
  const method: TeamSearchMethod = {
    kind: exhaustive ? 'exhaustive' : 'enumeration+beam',
    enumeratedUpTo,
    beamWidth: width,
    enumerationBudget: budget,
    teamsScored,
    description: exhaustive
      ? `exhaustive: every team of size <= ${maxSize} (${teamsScored} teams scored)`
      : `every team of size <= ${enumeratedUpTo} (enumeration budget ${budget}), then beam of width ${width} up to size ${maxSize} (${teamsScored} teams scored)`,
  };
  const bestPerSize: SearchedTeam[] = [];
  for (let m = minSize; m <= maxSize; m++) if (tops[m].items.length > 0) bestPerSize.push(tops[m].items[0]);
  return { bestPerSize, method };
}
