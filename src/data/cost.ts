import type { Dataset } from './dataset';

/**
 * Cost accounting shared by the RL system and every baseline, as the paper defines it (spec §4.4):
 * cost (cents per 1,000 queries) = 1000 * sum_i (#queries on which model i was called / T) * price_i.
 * A model without a price makes the cost undefined (NaN) rather than silently free.
 */
export interface CostSummary {
  /** Queries served. */
  queries: number;
  /** Mean number of LLM calls per query (mean team size). */
  callsPerQuery: number;
  /** Expected cents per 1,000 queries at the dataset's per-model prices; NaN when a called model has no price. */
  costPer1000: number;
  /** How many times each model was called. */
  callsPerModel: number[];
}

export class CostMeter {
  private readonly calls: Float64Array;
  private queries = 0;

  constructor(private readonly models: Dataset['models']) {
    this.calls = new Float64Array(models.length);
  }

  /** Record one query served by the given team (member model indices). */
  record(team: ArrayLike<number>): void {
    for (let k = 0; k < team.length; k++) this.calls[team[k]] += 1;
    this.queries += 1;
  }

  /** Record one query from a 0/1 selection vector over the pool. */
  recordSelection(selection: ArrayLike<number>): void {
    for (let i = 0; i < selection.length; i++) if (selection[i]) this.calls[i] += 1;
    this.queries += 1;
  }

  summary(): CostSummary {
    return costSummary(this.models, this.calls, this.queries);
  }
}

export function costSummary(models: Dataset['models'], callsPerModel: ArrayLike<number>, queries: number): CostSummary {
  let calls = 0;
  let cents = 0;
  for (let i = 0; i < models.length; i++) {
    calls += callsPerModel[i];
    if (callsPerModel[i] > 0) cents += callsPerModel[i] * (models[i].priceCents ?? NaN);
  }
  return {
    queries,
    callsPerQuery: queries > 0 ? calls / queries : NaN,
    costPer1000: queries > 0 ? (1000 * cents) / queries : NaN,
    callsPerModel: Array.from(callsPerModel),
  };
}
