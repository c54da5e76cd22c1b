/**
 * The validation guard's choices measured on development pools cut from the shared pools' train splits (docs/rl.md
 * §5h, §5i): each pool's train split becomes four development pools (`DEVELOPMENT_VARIANTS`, `developmentPool`),
 * RL-Focal's defaults run on each over several seeds, and every run's guard record is decided again by the older rule
 * (`GuardRule` 'more-right'), so the two rules are compared on the same trained agents; alternative configurations
 * (by default the guard without its fused-team candidate, `guardFusedTeam: false`, and the served agents without their
 * refit, `refitAfterGuard: false`) run on the same development pools beside the defaults. No test split is read: a
 * development pool's held-out part is a fifth of the shared pool's train split (of each subtask: the last fifth, or
 * the first for the reversed variants), its train part the rest.
 *
 * Provenance: real recorded outputs, train splits only.
 */
import type { Dataset } from '../data/dataset';
import type { MethodResult } from '../eval/result';
import { bestSingleBaseline, bestSinglePerSubtaskBaseline } from '../baselines/single';
import { pct, type ExperimentOutput, type ExperimentTable } from '../notebook/output';
import { runRlFocalSeeds, type SeedRun } from '../runs/seed-runs';
import { throttleProgress, type ProgressSink } from '../runs/progress-sink';
import { summarizeSeeds } from '../stats/seeds';
import { resolveConfig, type RlFocalConfig } from '../train/config';
import { guardChoice, type GuardRule } from '../train/guard';
import { teamBudget } from '../train/train-rl-focal';
import { Rng } from '../util/rng';
import { subtaskCount, voteTeamChosenOnTrain, voteTeamsWithin, type PoolToRun } from './rl-focal-pools';
import { formatPercentSe } from './seed-summaries';

/** How a development pool is cut from a pool's train split. */
export type DevelopmentVariant = 'standard' | 'reversed' | 'half pool' | 'half pool, reversed';

/** The four variants, in the order the suite runs them. */
export const DEVELOPMENT_VARIANTS: readonly DevelopmentVariant[] = ['standard', 'reversed', 'half pool', 'half pool, reversed'];

/**
 * One development pool of `dataset`, from its train split only: 'standard' = the train stream re-split 80/20 per subtask
 * in stream order (the development split every default of docs/rl.md §5b-5g was chosen on); 'reversed' = the same
 * after reversing the train stream, so that the held-out fifth is the first fifth of train; 'half pool' = the
 * standard split with a random half of the models (at least 3; `seed` draws them); 'half pool, reversed' = both.
 * Reversal and a different pool give pools on which nothing was tuned.
 */
export function developmentPool(dataset: Dataset, variant: DevelopmentVariant, seed = 0): Dataset {
  if (!DEVELOPMENT_VARIANTS.includes(variant)) throw new RangeError(`developmentPool: unknown variant ${JSON.stringify(variant)} (one of ${DEVELOPMENT_VARIANTS.map((v) => JSON.stringify(v)).join(', ')})`);
  const train = Array.from(dataset.splitIndices('train'));
  if (variant === 'reversed' || variant === 'half pool, reversed') train.reverse();
  const pool = dataset.selectQueries(train).withStreamSplit(0.8);
  if (variant === 'standard' || variant === 'reversed') return pool;
  const models = new Rng(seed).fork('half pool').shuffle(Array.from({ length: pool.nModels }, (_, i) => i));
  return pool.selectModels(Int32Array.from(models.slice(0, Math.max(3, Math.floor(pool.nModels / 2)))).sort());
}

export interface GuardSuiteParams {
  /** RL-Focal seeds per development pool. */
  seeds: number[];
  /** Which development pools to cut from each pool. */
  variants: DevelopmentVariant[];
  /** Draws the half pools. */
  variantSeed: number;
  /** RL-Focal's configuration ({} = the library's defaults). */
  config: Partial<RlFocalConfig>;
  /**
   * Other configurations (`config` with these changes), each run on the same development pools and seeds and reported
   * in a table of its own (`table`) beside the defaults; [] = none.
   */
  alternatives: GuardSuiteAlternative[];
}

/** One alternative configuration of the suite (`GuardSuiteParams.alternatives`). */
export interface GuardSuiteAlternative {
  label: string;
  config: Partial<RlFocalConfig>;
  /** Name of its table. */
  table: string;
}

/**
 * 5 seeds, all four variants, the defaults, beside the guard without its fused team (the decision of docs/rl.md §5i)
 * and without the refit of the agents it serves (§5j): the suite of docs/rl.md §5h-5j.
 */
export const GUARD_SUITE_DEFAULTS: GuardSuiteParams = {
  seeds: [0, 1, 2, 3, 4],
  variants: [...DEVELOPMENT_VARIANTS],
  variantSeed: 0,
  config: {},
  alternatives: [
    { label: 'without the fused team (session 8)', config: { guardFusedTeam: false }, table: 'guard-candidates-suite' },
    { label: 'without the refit (session 9)', config: { refitAfterGuard: false }, table: 'guard-refit-suite' },
  ],
};

/** One development pool of the suite: its bar, its runs, and what each rule serves. */
export interface GuardSuiteCell {
  pool: string;
  variant: DevelopmentVariant;
  nModels: number;
  perSubtask: boolean;
  /** max(best single, Max Expert, the vote team chosen on the development pool's train part): issue 12's bar. */
  bar: number;
  barMethods: { bestSingle: MethodResult; maxExpert?: MethodResult; voteTeamChosenOnTrain: MethodResult };
  runs: SeedRun[];
  /** Accuracy per seed as each rule would serve. */
  served: Record<GuardRule, number[]>;
  /** Each alternative configuration's runs (`GuardSuiteParams.alternatives`, same order), served by their own guard. */
  alternatives: Array<{ label: string; runs: SeedRun[] }>;
}

/**
 * The served accuracy of `run` had its guard decided by `rule`. The same candidate ranks first under either rule, and
 * the run keeps the pass of what served and the learned agents' own, which is all a rule can choose between unless it
 * refuses learned agents that served (a run made with a laxer rule than `rule`). Where only `rule` would serve the
 * learned agents, their pass is that of the agents the guard compared, not refit on the whole train split
 * (`RlFocalConfig.refitAfterGuard` refits only what the run's own guard served).
 */
export function servedUnderRule(run: SeedRun, rule: GuardRule): number {
  if (!run.guard) return run.test.accuracy;
  const choice = guardChoice(run.guard, rule);
  if (choice === run.guard.served) return run.test.accuracy;
  if (choice === 'learned') return run.learned.accuracy;
  throw new RangeError(`servedUnderRule: seed ${run.seed} served the learned agents, which rule '${rule}' refuses; the candidate's pass was not kept`);
}

/** Runs the suite: every pool x variant, RL-Focal's defaults over the seeds, the bar, and both rules' served accuracy. */
export async function runGuardSuite(pools: readonly PoolToRun[], overrides: Partial<GuardSuiteParams> = {}, options: { onProgress?: ProgressSink } = {}): Promise<ExperimentOutput & { cells: GuardSuiteCell[] }> {
  const unknown = Object.keys(overrides).filter((k) => !(k in GUARD_SUITE_DEFAULTS));
  if (unknown.length > 0) throw new RangeError(`runGuardSuite: unknown parameter ${unknown.map((k) => JSON.stringify(k)).join(', ')} (known: ${Object.keys(GUARD_SUITE_DEFAULTS).join(', ')})`);
  const p: GuardSuiteParams = { ...GUARD_SUITE_DEFAULTS, ...overrides };
  const sink = throttleProgress(options.onProgress);
  const cells: GuardSuiteCell[] = [];
  for (const { name, data: whole } of pools) {
    for (const variant of p.variants) {
      const data = developmentPool(whole, variant, p.variantSeed);
      const perSubtask = subtaskCount(data) > 1;
      const budget = teamBudget(resolveConfig(p.config), data.nModels);
      const bestSingle = bestSingleBaseline(data);
      const maxExpert = perSubtask ? bestSinglePerSubtaskBaseline(data) : undefined;
      const chosen = voteTeamChosenOnTrain(data, voteTeamsWithin(data, budget, perSubtask), budget, perSubtask);
      const rl = await runRlFocalSeeds(data, p.config, { seeds: p.seeds, perSubtask, label: `guard suite · ${name} · ${variant}`, onProgress: sink });
      const alternatives: GuardSuiteCell['alternatives'] = [];
      for (const alt of p.alternatives) {
        const runs = await runRlFocalSeeds(data, { ...p.config, ...alt.config }, { seeds: p.seeds, perSubtask, label: `guard suite · ${name} · ${variant} · ${alt.label}`, onProgress: sink });
        alternatives.push({ label: alt.label, runs: runs.runs });
      }
      cells.push({
        pool: name,
        variant,
        nModels: data.nModels,
        perSubtask,
        bar: Math.max(bestSingle.accuracy, maxExpert?.accuracy ?? 0, chosen.accuracy),
        barMethods: { bestSingle, ...(maxExpert ? { maxExpert } : {}), voteTeamChosenOnTrain: chosen },
        runs: rl.runs,
        served: { 'sign-test': rl.runs.map((r) => servedUnderRule(r, 'sign-test')), 'more-right': rl.runs.map((r) => servedUnderRule(r, 'more-right')) },
        alternatives,
      });
    }
  }
  const tables = [guardSuiteTable(cells, p), ...p.alternatives.map((alt, k) => alternativeTable(cells, p, alt, k))];
  return { cells, tables, figures: [], provenance: ['real recorded outputs (train splits only): ' + pools.map((x) => x.name).join(', ')] };
}

const mean = (xs: readonly number[]) => summarizeSeeds(xs).mean;

/** Seeds of `cell` in which `rule` lets the learned agents serve. */
function learnedServed(cell: GuardSuiteCell, rule: GuardRule): number {
  return cell.runs.filter((r) => r.guard !== undefined && guardChoice(r.guard, rule) === 'learned').length;
}

function guardSuiteTable(cells: readonly GuardSuiteCell[], p: GuardSuiteParams): ExperimentTable {
  return {
    name: 'guard-rule-suite',
    title: `The guard's rule on development pools cut from train (accuracy % on each development pool's held-out part, mean ± SE over ${p.seeds.length} seeds; the bar = max(best single, Max Expert, vote team chosen on train))`,
    provenance: 'real recorded outputs, train splits only; no test split is read',
    rows: cells.map((c) => ({
      pool: `${c.pool} (${c.nModels})${c.perSubtask ? ', per subtask' : ''}`,
      variant: c.variant,
      bar: pct(c.bar),
      'sign test, p < 0.05 (default)': formatPercentSe(summarizeSeeds(c.served['sign-test'])),
      'more right (sessions 5-7)': formatPercentSe(summarizeSeeds(c.served['more-right'])),
      'difference, points': pct(mean(c.served['sign-test']) - mean(c.served['more-right'])),
      'learned served (sign test / more right)': `${learnedServed(c, 'sign-test')} / ${learnedServed(c, 'more-right')} of ${c.runs.length}`,
      'below the bar (sign test / more right)': `${mean(c.served['sign-test']) < c.bar - 1e-12 ? 'yes' : 'no'} / ${mean(c.served['more-right']) < c.bar - 1e-12 ? 'yes' : 'no'}`,
    })),
  };
}

/** Accuracy per seed of the `k`-th alternative configuration's runs, as served. */
const alternativeServed = (cell: GuardSuiteCell, k: number): number[] => cell.alternatives[k].runs.map((r) => r.test.accuracy);

/** Seeds of `runs` served by each kind of method: the learned agents, a fused team, a static vote or single model. */
function servedKinds(runs: readonly SeedRun[]): string {
  const served = runs.map((r) => r.guard?.served ?? 'learned');
  const learned = served.filter((m) => m === 'learned').length;
  const fused = served.filter((m) => m.includes('fused')).length;
  return `${learned} / ${fused} / ${served.length - learned - fused}`;
}

function alternativeTable(cells: readonly GuardSuiteCell[], p: GuardSuiteParams, { label, table }: GuardSuiteAlternative, k: number): ExperimentTable {
  const below = (accuracy: number, bar: number) => (accuracy < bar - 1e-12 ? 'yes' : 'no');
  return {
    name: table,
    title: `The defaults beside the configuration ${label}, on the same development pools (accuracy % on each held-out part, mean ± SE over ${p.seeds.length} seeds; both served by the sign test)`,
    provenance: 'real recorded outputs, train splits only; no test split is read',
    rows: cells.map((c) => ({
      pool: `${c.pool} (${c.nModels})${c.perSubtask ? ', per subtask' : ''}`,
      variant: c.variant,
      bar: pct(c.bar),
      defaults: formatPercentSe(summarizeSeeds(c.served['sign-test'])),
      [label]: formatPercentSe(summarizeSeeds(alternativeServed(c, k))),
      'difference, points': pct(mean(c.served['sign-test']) - mean(alternativeServed(c, k))),
      'served by learned / fused team / other (defaults)': servedKinds(c.runs),
      'below the bar (defaults / alternative)': `${below(mean(c.served['sign-test']), c.bar)} / ${below(mean(alternativeServed(c, k)), c.bar)}`,
    })),
  };
}

/** What the suite says about the two rules and each alternative configuration, in numbers, and where the defaults stay below the bar. */
export function guardSuiteFindings(out: { cells: readonly GuardSuiteCell[] }): string[] {
  const cells = out.cells;
  if (cells.length === 0) return ['No development pool ran (no shared pool present).'];
  const difference = cells.reduce((s, c) => s + mean(c.served['sign-test']) - mean(c.served['more-right']), 0);
  const below = (rule: GuardRule) => cells.filter((c) => mean(c.served[rule]) < c.bar - 1e-12);
  const changed = cells.filter((c) => Math.abs(mean(c.served['sign-test']) - mean(c.served['more-right'])) > 1e-12);
  const lines = [
    `Over ${cells.length} development pools, the sign test serves ${difference >= 0 ? '+' : ''}${(100 * difference).toFixed(2)} accuracy points more than "more right" (summed over pools); it changes what serves on ${changed.length}: ` +
      (changed.length ? changed.map((c) => `${c.pool}, ${c.variant} ${(100 * (mean(c.served['sign-test']) - mean(c.served['more-right']))).toFixed(2)}`).join('; ') : 'none') + '.',
    `Below the bar (max of best single, Max Expert and the vote team chosen on train): ${below('sign-test').length} pools with the sign test, ${below('more-right').length} with "more right".`,
  ];
  for (const c of below('sign-test')) {
    lines.push(`${c.pool}, ${c.variant}: ${pct(mean(c.served['sign-test']))} % against the bar's ${pct(c.bar)} % (learned agents served in ${learnedServed(c, 'sign-test')} of ${c.runs.length} seeds).`);
  }
  cells[0].alternatives.forEach(({ label }, k) => {
    const gain = cells.reduce((s, c) => s + mean(c.served['sign-test']) - mean(alternativeServed(c, k)), 0);
    const moved = cells.filter((c) => Math.abs(mean(c.served['sign-test']) - mean(alternativeServed(c, k))) > 1e-12);
    const belowAlternative = cells.filter((c) => mean(alternativeServed(c, k)) < c.bar - 1e-12).length;
    lines.push(
      `The defaults against the configuration ${label}: ${gain >= 0 ? '+' : ''}${(100 * gain).toFixed(2)} accuracy points summed over ${cells.length} development pools; different on ${moved.length}: ` +
        (moved.length ? moved.map((c) => `${c.pool}, ${c.variant} ${(100 * (mean(c.served['sign-test']) - mean(alternativeServed(c, k)))).toFixed(2)}`).join('; ') : 'none') +
        `. Below the bar: ${below('sign-test').length} pools with the defaults, ${belowAlternative} ${label}.`,
    );
  });
  return lines;
}
