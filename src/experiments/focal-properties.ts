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
 * Pools: random synthetic pools with controllable error coupling (sim/prediction-pools), plus any named pools the
 * caller passes.
 */
import { Rng } from '../util/rng';
import { focalDiversityByDefinition } from '../metrics/focal-by-definition';
import { MAX_SCAN_MODELS, scanTeams, scanTeamMembers, type PredictionTable } from '../metrics/index';
import { coupledRandomPool, disjointFailurePool, duplicatedTable, permutedTable } from '../sim/prediction-pools';
import type { ExperimentTable } from '../notebook/output';

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

/** What `checkFocalProperties` found, with the parameters it ran with. */
export interface FocalPropertiesResult {
  checks: PropertyCheck[];
  table: ExperimentTable;
  params: FocalPropertyParams;
}

/** Runs every property check over random pools plus `named` pools. */
export function checkFocalProperties(named: readonly NamedPool[], overrides: Partial<FocalPropertyParams> = {}): FocalPropertiesResult {
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
  return { checks, table, params };
}

/**
 * The paper's statement of Eq. 8's properties (§3.4, stated without a numerical check) against this run: how many
 * checks hold, over how many team evaluations and pools, and the worst deviation. `named` are the pools passed to
 * `checkFocalProperties`.
 */
export function focalPropertiesFindings(result: FocalPropertiesResult, named: readonly NamedPool[]): string {
  const { checks, params } = result;
  const teams = checks.reduce((s, c) => s + c.teams, 0);
  const worst = Math.max(...checks.map((c) => c.worstDeviation));
  const holding = checks.filter((c) => c.holds).length;
  return (
    `Paper (§3.4, Eq. 8): focal diversity lies in [0, 1], 0 when members always fail together, 1 when no two fail together (stated, no numerical check). ` +
    `Ours: ${holding} of ${checks.length} checks hold (${checks.map((c) => c.property).join('; ')}) over ` +
    `${teams} team evaluations on ${checks[0].pools} pools (${params.randomPools} synthetic random + ${named.map((p) => p.key).join(', ')}), ` +
    `worst deviation ${worst.toExponential(1)}.`
  );
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
