/**
 * Notebook 02, part 1: the properties the paper states for focal diversity (§3.4, App. G.2), checked numerically.
 *
 *   range        every team's value lies in [0, 1]
 *   identical    a team of identical members (that fail at least once) scores 0 ("minimum diversity")
 *   disjoint     when no two members ever fail on the same query, every team scores 1 ("maximum diversity")
 *   member order relabelling the models (and listing a team's members in any order) changes nothing
 *   query order  shuffling the queries changes nothing
 *   definition   the library's count-based scan equals Eq. 8 evaluated straight from its definition
 *
 * Pools: random synthetic pools with controllable error coupling (here), plus any named pools the caller passes.
 */
import { Rng } from '../util/rng';
import { MAX_SCAN_MODELS, scanTeams, scanTeamMembers, type PredictionTable } from '../metrics/index';
import type { ExperimentTable } from '../notebook/output';

/**
 * Eq. 8 written out as the paper defines it, one focal member at a time: on the n_F queries where focal F fails,
 * p_j = n_j / n_F is the share on which exactly j members fail; P(1) = sum_j (j/m) p_j, P(2) = sum_j j(j-1)/(m(m-1)) p_j,
 * lambda_neg(F) = 1 - P(2)/P(1), and focal diversity is the mean over members. A member that never fails scores 1
 * (the authors' code). O(m^2 T): the reference the count-based scan is checked against.
 */
export function focalDiversityByDefinition(data: PredictionTable, team: readonly number[], queries?: ArrayLike<number>): number {
  const m = team.length;
  if (m < 2) return NaN;
  const N = data.nModels;
  const T = queries ? queries.length : data.nQueries;
  const fails = (t: number, i: number) => data.predictions[t * N + i] !== data.labels[t];
  let total = 0;
  for (const focal of team) {
    const n = new Float64Array(m + 1);
    let nF = 0;
    for (let q = 0; q < T; q++) {
      const t = queries ? queries[q] : q;
      if (!fails(t, focal)) continue;
      nF++;
      let x = 0;
      for (const member of team) if (fails(t, member)) x++;
      n[x]++;
    }
    if (nF === 0) {
      total += 1;
      continue;
    }
    let p1 = 0;
    let p2 = 0;
    for (let j = 1; j <= m; j++) {
      const pj = n[j] / nF;
      p1 += (j / m) * pj;
      p2 += ((j * (j - 1)) / (m * (m - 1))) * pj;
    }
    total += 1 - p2 / p1;
  }
  return total / m;
}

export interface CoupledPoolShape {
  nModels: number;
  nQueries: number;
  nChoices: number;
  /** Probability that a model's right/wrong draw uses the query's shared uniform instead of its own: 0 = independent
   * errors, 1 = errors nested by accuracy (a model fails whenever a more accurate one does). */
  coupling: number;
  /** Per-model accuracy, drawn uniformly from this range. */
  accuracyRange?: [number, number];
}

/**
 * A random pool whose error correlation is set by `coupling`. Model i is right when its uniform is below its
 * accuracy, so P(right) is exactly the drawn accuracy whatever the coupling. Wrong answers are uniform over the
 * other choices.
 */
export function coupledRandomPool(rng: Rng, shape: CoupledPoolShape): PredictionTable {
  const { nModels: N, nQueries: T, nChoices: C, coupling } = shape;
  const [lo, hi] = shape.accuracyRange ?? [0.3, 0.9];
  const accuracy = Float64Array.from({ length: N }, () => rng.uniform(lo, hi));
  const predictions = new Int32Array(T * N);
  const labels = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    labels[t] = rng.int(C);
    const shared = rng.next();
    for (let i = 0; i < N; i++) {
      const u = rng.bernoulli(coupling) ? shared : rng.next();
      predictions[t * N + i] = u < accuracy[i] ? labels[t] : (labels[t] + 1 + rng.int(C - 1)) % C;
    }
  }
  return { nModels: N, nQueries: T, maxChoices: C, predictions, labels, models: modelIds(N) };
}

/** A pool in which at most one model fails on each query (each query: nobody fails with probability `pNone`). */
export function disjointFailurePool(rng: Rng, nModels: number, nQueries: number, nChoices: number, pNone = 0.3): PredictionTable {
  const predictions = new Int32Array(nQueries * nModels);
  const labels = new Int32Array(nQueries);
  for (let t = 0; t < nQueries; t++) {
    labels[t] = rng.int(nChoices);
    const failing = rng.bernoulli(pNone) ? -1 : rng.int(nModels);
    for (let i = 0; i < nModels; i++) {
      predictions[t * nModels + i] = i === failing ? (labels[t] + 1 + rng.int(nChoices - 1)) % nChoices : labels[t];
    }
  }
  return { nModels, nQueries, maxChoices: nChoices, predictions, labels, models: modelIds(nModels) };
}

/** The same pool with its models reordered (`order[k]` = old index of new model k) and its queries reordered. */
export function permutedTable(data: PredictionTable, modelOrder: ArrayLike<number>, queryOrder: ArrayLike<number>): PredictionTable {
  const N = data.nModels;
  const T = queryOrder.length;
  const predictions = new Int32Array(T * N);
  const labels = new Int32Array(T);
  for (let q = 0; q < T; q++) {
    const t = queryOrder[q];
    labels[q] = data.labels[t];
    for (let k = 0; k < N; k++) predictions[q * N + k] = data.predictions[t * N + modelOrder[k]];
  }
  const models = Array.from(modelOrder, (i) => ({ id: data.models ? data.models[i].id : `m${i}` }));
  return { nModels: N, nQueries: T, maxChoices: data.maxChoices, predictions, labels, models };
}

/** Every model repeated `copies` times: model i's copies are i*copies .. i*copies + copies - 1. */
export function duplicatedTable(data: PredictionTable, copies: number): PredictionTable {
  const N = data.nModels;
  const wideN = N * copies;
  const predictions = new Int32Array(data.nQueries * wideN);
  for (let t = 0; t < data.nQueries; t++) {
    for (let k = 0; k < wideN; k++) predictions[t * wideN + k] = data.predictions[t * N + Math.floor(k / copies)];
  }
  const models = Array.from({ length: wideN }, (_, k) => ({ id: `${data.models?.[Math.floor(k / copies)].id ?? `m${Math.floor(k / copies)}`}#${k % copies}` }));
  return { nModels: wideN, nQueries: data.nQueries, maxChoices: data.maxChoices, predictions, labels: data.labels, models };
}

function modelIds(n: number): { id: string }[] {
  return Array.from({ length: n }, (_, i) => ({ id: `m${i}` }));
}

export interface NamedPool {
  /** Short stable key used in file names (e.g. "sim-mmlu", "real-bbh"). */
  key: string;
  /** One-line provenance for every number computed on it. */
  provenance: string;
  data: PredictionTable;
}

export interface FocalPropertyParams {
  seed: number;
  /** Random coupled pools (pool sizes 3..maxModels, coupling uniform in [0, 1]). */
  randomPools: number;
  maxModels: number;
  queriesRange: [number, number];
  /** Teams per pool compared against the definition (all teams when the pool has fewer). */
  definitionTeams: number;
}

export const FOCAL_PROPERTY_DEFAULTS: FocalPropertyParams = {
  seed: 8,
  randomPools: 40,
  maxModels: 8,
  queriesRange: [50, 400],
  definitionTeams: 200,
};

export interface PropertyCheck {
  property: string;
  expectation: string;
  pools: number;
  teams: number;
  /** Largest deviation from the expectation (0 = exact). */
  worstDeviation: number;
  /** Teams whose value was NaN (excluded from the deviation, counted here). */
  nanTeams: number;
  holds: boolean;
}

const TOLERANCE = 1e-12;

function focalColumn(data: PredictionTable): { teams: string[]; focal: Float64Array } {
  const scan = scanTeams(data);
  return { teams: scan.table.array('team') as string[], focal: scan.table.array('focal_diversity') as Float64Array };
}

/** Runs every property check over random pools plus `named` pools. */
export function checkFocalProperties(named: readonly NamedPool[], overrides: Partial<FocalPropertyParams> = {}): { checks: PropertyCheck[]; table: ExperimentTable } {
  const params = { ...FOCAL_PROPERTY_DEFAULTS, ...overrides };
  const rng = new Rng(params.seed);
  const poolRng = rng.fork('pools');
  const pools: PredictionTable[] = named.map((p) => p.data);
  for (let k = 0; k < params.randomPools; k++) {
    pools.push(coupledRandomPool(poolRng, {
      nModels: 3 + poolRng.int(params.maxModels - 2),
      nQueries: params.queriesRange[0] + poolRng.int(params.queriesRange[1] - params.queriesRange[0] + 1),
      nChoices: 2 + poolRng.int(4),
      coupling: poolRng.next(),
    }));
  }
  const permRng = rng.fork('permutations');
  const teamRng = rng.fork('definition-teams');
  const range = newCheck('range', 'every team in [0, 1]');
  const definition = newCheck('scan = definition (Eq. 8)', '|scan - definition| = 0');
  const memberOrder = newCheck('member order', 'same value after relabelling models and reordering team members');
  const queryOrder = newCheck('query order', 'same value after shuffling queries');
  for (const data of pools) {
    const { teams, focal } = focalColumn(data);
    const byTeam = new Map<string, number>(teams.map((t, r) => [t, focal[r]]));
    range.pools++;
    for (const v of focal) {
      range.teams++;
      if (Number.isNaN(v)) range.nanTeams++;
      else range.worstDeviation = Math.max(range.worstDeviation, Math.max(0, -v, v - 1));
    }

    definition.pools++;
    const sample = teams.length <= params.definitionTeams ? teams : sampleWithoutReplacement(teamRng, teams, params.definitionTeams);
    for (const team of sample) {
      const members = scanTeamMembers(team);
      const reference = focalDiversityByDefinition(data, members);
      const shuffled = focalDiversityByDefinition(data, teamRng.shuffle(members.slice()));
      compare(definition, byTeam.get(team)!, reference);
      compare(memberOrder, reference, shuffled);
    }

    const modelOrder = permRng.shuffle(Array.from({ length: data.nModels }, (_, i) => i));
    const relabelled = focalColumn(permutedTable(data, modelOrder, Array.from({ length: data.nQueries }, (_, t) => t)));
    memberOrder.pools++;
    relabelled.teams.forEach((team, r) => {
      const original = scanTeamMembers(team).map((k) => modelOrder[k]).sort((a, b) => a - b).join(',');
      compare(memberOrder, byTeam.get(original)!, relabelled.focal[r]);
    });

    const shuffledQueries = focalColumn(permutedTable(data, Array.from({ length: data.nModels }, (_, i) => i), permRng.shuffle(Array.from({ length: data.nQueries }, (_, t) => t))));
    queryOrder.pools++;
    shuffledQueries.teams.forEach((team, r) => compare(queryOrder, byTeam.get(team)!, shuffledQueries.focal[r]));
  }

  const identical = newCheck('identical members', 'team of copies of one model (that fails at least once) = 0');
  const disjoint = newCheck('disjoint failures', 'every team = 1 when no two models fail on the same query');
  const copyRng = rng.fork('copies');
  for (const data of pools.slice(0, named.length + 10)) {
    const copies = 2 + copyRng.int(3);
    const wide = duplicatedTable(data, copies);
    const fails = new Int32Array(data.nModels);
    for (let t = 0; t < data.nQueries; t++) for (let i = 0; i < data.nModels; i++) if (data.predictions[t * data.nModels + i] !== data.labels[t]) fails[i]++;
    identical.pools++;
    // The scan covers pools of at most MAX_SCAN_MODELS models; wider duplicated pools are checked by definition only.
    const scanned = wide.nModels <= MAX_SCAN_MODELS ? focalColumn(wide) : null;
    for (let i = 0; i < data.nModels; i++) {
      if (fails[i] === 0) continue;
      const team = Array.from({ length: copies }, (_, c) => i * copies + c);
      compare(identical, 0, focalDiversityByDefinition(wide, team));
      if (scanned) compare(identical, 0, scanned.focal[scanned.teams.indexOf(team.join(','))]);
    }
  }
  const disjointRng = rng.fork('disjoint');
  for (let k = 0; k < 10; k++) {
    const data = disjointFailurePool(disjointRng, 3 + disjointRng.int(6), 100 + disjointRng.int(300), 2 + disjointRng.int(4));
    disjoint.pools++;
    for (const v of focalColumn(data).focal) compare(disjoint, 1, v);
  }

  const checks = [range, identical, disjoint, memberOrder, queryOrder, definition].map((c) => ({ ...c, holds: c.worstDeviation <= TOLERANCE }));
  const table: ExperimentTable = {
    name: '02-focal-properties',
    title: 'Focal diversity (Eq. 8): properties checked numerically',
    provenance: `synthetic random pools (seed ${params.seed}, ${params.randomPools} pools)${named.length > 0 ? ' + ' + named.map((p) => p.key).join(', ') : ''}`,
    rows: checks.map((c) => ({
      property: c.property,
      expectation: c.expectation,
      pools: c.pools,
      teams_checked: c.teams,
      nan_teams: c.nanTeams,
      worst_deviation: Number(c.worstDeviation.toExponential(2)),
      holds: c.holds,
    })),
  };
  return { checks, table };
}

function newCheck(property: string, expectation: string): PropertyCheck {
  return { property, expectation, pools: 0, teams: 0, worstDeviation: 0, nanTeams: 0, holds: false };
}

function compare(check: PropertyCheck, expected: number, actual: number): void {
  check.teams++;
  if (Number.isNaN(expected) || Number.isNaN(actual)) {
    if (Number.isNaN(expected) !== Number.isNaN(actual)) check.worstDeviation = Infinity;
    else check.nanTeams++;
    return;
  }
  check.worstDeviation = Math.max(check.worstDeviation, Math.abs(expected - actual));
}

function sampleWithoutReplacement<T>(rng: Rng, items: readonly T[], k: number): T[] {
  return rng.shuffle(items.slice()).slice(0, k);
}
