/**
 * The PPO diagnostics of a training run per episode: approximate KL between the policy before and after an update,
 * clip fraction, policy entropy and the critic's explained variance (the quantities CleanRL and SB3 log). The
 * trainer reports them per update (`RlFocalRun.diagnostics`, one list per turn); an update belongs to the episode in
 * which its rollout filled, which the updates' sample counts give (the rollout carries over episode ends within a
 * turn and is dropped at the turn's end).
 */
import type { UpdateDiagnostics } from './episode';
import type { EpisodeSummary, RlFocalRun } from './train-rl-focal';

/** Sample-weighted means over the updates of one episode; NaN where the agent was not updated (or no update ran). */
export interface AgentDiagnostics {
  approxKl: number;
  clipFraction: number;
  entropy: number;
  explainedVariance: number;
}

export interface EpisodeDiagnostics {
  /** Updates that ran during the episode. */
  updates: number;
  decider: AgentDiagnostics;
  fusion: AgentDiagnostics;
}

export const DIAGNOSTIC_NAMES = ['approxKl', 'clipFraction', 'entropy', 'explainedVariance'] as const;

function fieldsOf(agent: 'decider' | 'fusion'): Record<keyof AgentDiagnostics, keyof UpdateDiagnostics> {
  return agent === 'decider'
    ? { approxKl: 'deciderApproxKl', clipFraction: 'deciderClipFraction', entropy: 'deciderEntropy', explainedVariance: 'explainedVarianceDecider' }
    : { approxKl: 'fusionApproxKl', clipFraction: 'fusionClipFraction', entropy: 'fusionEntropy', explainedVariance: 'explainedVarianceFusion' };
}

/** Sample-weighted mean of each diagnostic over `updates`, skipping NaN (an agent that did not learn). */
function meanOf(updates: readonly UpdateDiagnostics[], agent: 'decider' | 'fusion'): AgentDiagnostics {
  const fields = fieldsOf(agent);
  const out = {} as AgentDiagnostics;
  for (const name of DIAGNOSTIC_NAMES) {
    let sum = 0;
    let weight = 0;
    for (const u of updates) {
      const v = u[fields[name]];
      if (Number.isFinite(v)) {
        sum += v * u.samples;
        weight += u.samples;
      }
    }
    out[name] = weight > 0 ? sum / weight : NaN;
  }
  return out;
}

/**
 * Splits the updates of one turn over its episodes: an update is assigned to the episode in which its cumulative
 * sample count falls. `skipSteps` leading steps belong to an earlier pass (the validation pass before the test pass).
 */
export function diagnosticsPerEpisode(
  updates: readonly UpdateDiagnostics[],
  episodeSteps: readonly number[],
  skipSteps = 0,
): EpisodeDiagnostics[] {
  const groups: UpdateDiagnostics[][] = episodeSteps.map(() => []);
  let end = skipSteps;
  const ends = episodeSteps.map((s) => (end += s));
  let cumulative = 0;
  let e = 0;
  for (const u of updates) {
    cumulative += u.samples;
    if (cumulative <= skipSteps) continue;
    while (e < ends.length - 1 && cumulative > ends[e]) e++;
    if (cumulative <= ends[e]) groups[e].push(u);
  }
  return groups.map((g) => ({ updates: g.length, decider: meanOf(g, 'decider'), fusion: meanOf(g, 'fusion') }));
}

/** Per-episode diagnostics of both warm-start turns and of the online test pass of one run. */
export function runDiagnostics(run: RlFocalRun): { decider: EpisodeDiagnostics[]; fusion: EpisodeDiagnostics[]; test: EpisodeDiagnostics } {
  const steps = (episodes: readonly EpisodeSummary[]) => episodes.map((e) => e.steps);
  return {
    decider: diagnosticsPerEpisode(run.diagnostics.decider, steps(run.curves.decider)),
    fusion: diagnosticsPerEpisode(run.diagnostics.fusion, steps(run.curves.fusion)),
    test: diagnosticsPerEpisode(run.diagnostics.test, [run.learned.testEpisode.steps], run.guard?.queries ?? 0)[0],
  };
}

/**
 * Episode k of several agent sets' warm-start turns pooled (`trainPerSubtask`: one agent set per subtask): each
 * diagnostic's mean over the sets that were updated in that episode, weighted by their update counts.
 */
export function pooledRunDiagnostics(runs: ReadonlyArray<{ decider: EpisodeDiagnostics[]; fusion: EpisodeDiagnostics[] }>): { decider: EpisodeDiagnostics[]; fusion: EpisodeDiagnostics[] } {
  const pool = (turns: ReadonlyArray<readonly EpisodeDiagnostics[]>): EpisodeDiagnostics[] => {
    const length = Math.max(0, ...turns.map((t) => t.length));
    return Array.from({ length }, (_, k) => {
      const episode = turns.filter((t) => k < t.length).map((t) => t[k]);
      const agent = (name: 'decider' | 'fusion'): AgentDiagnostics => {
        const out = {} as AgentDiagnostics;
        for (const d of DIAGNOSTIC_NAMES) {
          let sum = 0;
          let weight = 0;
          for (const e of episode) {
            if (e.updates > 0 && Number.isFinite(e[name][d])) {
              sum += e[name][d] * e.updates;
              weight += e.updates;
            }
          }
          out[d] = weight > 0 ? sum / weight : NaN;
        }
        return out;
      };
      return { updates: episode.reduce((s, e) => s + e.updates, 0), decider: agent('decider'), fusion: agent('fusion') };
    });
  };
  return { decider: pool(runs.map((r) => r.decider)), fusion: pool(runs.map((r) => r.fusion)) };
}
