import type { CostSummary } from '../data/cost';
import type { EnsembleEnv, StepOutcome } from '../env/ensemble-env';

/**
 * Who does what during one pass over a stream. Algorithm 1's two turns and Algorithm 2 are three settings of it:
 *
 * | episode                     | decider | fusion    | deciderAction  | fusionAction                  |
 * |-----------------------------|---------|-----------|----------------|-------------------------------|
 * | warm start, Decider's turn  | learn   | interim   | sample         | -                             |
 * | warm start, Fusion's turn   | act     | learn     | sample         | sample (MAPPO) / argmax (code)|
 * | online test (Algorithm 2)   | learn   | learn     | sample or mode | argmax                        |
 * | frozen evaluation           | act     | act       | sample or mode | argmax                        |
 *
 * 'interim' = the answer is the plurality vote of the team (the Fusion agent does not act).
 */
export interface EpisodeRoles {
  decider: 'learn' | 'act';
  fusion: 'interim' | 'learn' | 'act';
  deciderAction: 'sample' | 'mode';
  fusionAction: 'sample' | 'argmax';
}

/** What an update reports (NaN where an agent was not updated). Means over the update's minibatches. */
export interface UpdateDiagnostics {
  /** Steps in the update batch. */
  samples: number;
  deciderLoss: number;
  deciderEntropy: number;
  deciderApproxKl: number;
  deciderClipFraction: number;
  fusionLoss: number;
  fusionEntropy: number;
  fusionApproxKl: number;
  fusionClipFraction: number;
  /** Critic MSE at the Decider's and at the Fusion agent's move (MAPPO only). */
  valueLossDecider: number;
  valueLossFusion: number;
  /** 1 - Var(R - V) / Var(R) of the critic's values before the update (MAPPO only). */
  explainedVarianceDecider: number;
  explainedVarianceFusion: number;
}

export interface EpisodeStats {
  /** Queries served. */
  steps: number;
  correct: number;
  /** correct / steps (or the authors' off-by-one figure when `parityLoopQuirks` is on). */
  accuracy: number;
  meanReward: number;
  meanTeamSize: number;
  /** Fraction of served queries on which each model was selected. */
  selectionFrequency: number[];
  cost: CostSummary;
  /** Dataset index, final answer and correctness of every served query, in order. */
  queries: Int32Array;
  answers: Int32Array;
  correctness: Uint8Array;
  updates: UpdateDiagnostics[];
}

/** Accumulates the per-step outcomes of an episode. */
export class EpisodeRecorder {
  private readonly queries: Int32Array;
  private readonly answers: Int32Array;
  private readonly correctness: Uint8Array;
  private readonly selected: Float64Array;
  private steps = 0;
  private correct = 0;
  private rewardSum = 0;
  private teamSizeSum = 0;
  readonly updates: UpdateDiagnostics[] = [];

  constructor(private readonly env: EnsembleEnv) {
    const n = env.episodeLength;
    this.queries = new Int32Array(n);
    this.answers = new Int32Array(n);
    this.correctness = new Uint8Array(n);
    this.selected = new Float64Array(env.nModels);
  }

  record(team: ArrayLike<number>, outcome: StepOutcome): void {
    const k = this.steps++;
    this.queries[k] = outcome.query;
    this.answers[k] = outcome.answer;
    this.correctness[k] = outcome.correct ? 1 : 0;
    this.correct += outcome.correct ? 1 : 0;
    this.rewardSum += outcome.reward;
    this.teamSizeSum += outcome.teamSize;
    for (let i = 0; i < team.length; i++) this.selected[i] += team[i];
  }

  finish(accuracyOverride?: number): EpisodeStats {
    const n = this.steps;
    return {
      steps: n,
      correct: this.correct,
      accuracy: accuracyOverride ?? (n > 0 ? this.correct / n : NaN),
      meanReward: n > 0 ? this.rewardSum / n : NaN,
      meanTeamSize: n > 0 ? this.teamSizeSum / n : NaN,
      selectionFrequency: Array.from(this.selected, (s) => (n > 0 ? s / n : NaN)),
      cost: this.env.cost(),
      queries: this.queries.slice(0, n),
      answers: this.answers.slice(0, n),
      correctness: this.correctness.slice(0, n),
      updates: this.updates,
    };
  }
}

/** The interface both algorithms implement for the schedule (Algorithms 1 and 2). */
export interface Trainer {
  /** One pass over the env's served queries with the given roles, updating the learning agents as it goes. */
  runEpisode(env: EnsembleEnv, roles: EpisodeRoles): EpisodeStats;
  /** Ends a turn: drops the partial rollout (and, for the authors' code, rebuilds the optimizers). */
  endTurn(): void;
}

export function emptyDiagnostics(samples: number): UpdateDiagnostics {
  return {
    samples,
    deciderLoss: NaN,
    deciderEntropy: NaN,
    deciderApproxKl: NaN,
    deciderClipFraction: NaN,
    fusionLoss: NaN,
    fusionEntropy: NaN,
    fusionApproxKl: NaN,
    fusionClipFraction: NaN,
    valueLossDecider: NaN,
    valueLossFusion: NaN,
    explainedVarianceDecider: NaN,
    explainedVarianceFusion: NaN,
  };
}
