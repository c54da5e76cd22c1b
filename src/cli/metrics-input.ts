import type { LocatedJson } from './json-input';

/**
 * The input of `rl-focal metrics`:
 *   {"predictions": number[][]  (rows = queries, columns = models; -1 = abstained),
 *    "labels": number[], "team"?: number[], "convention"?: "higher-more-diverse" | "ensemblebench"}
 * Validated here, with the line of every offending value, before any metric is computed.
 */

export const CONVENTIONS = ['higher-more-diverse', 'ensemblebench'] as const;
export type CliConvention = (typeof CONVENTIONS)[number];

export interface MetricsInput {
  predictions: number[][];
  labels: number[];
  team?: number[];
  convention?: CliConvention;
}

const MEMBERS = ['predictions', 'labels', 'team', 'convention'];
/** Choice indices are stored in 8 bits across the library (C_t <= 255). */
const MAX_CHOICE = 254;

export function parseMetricsInput(json: LocatedJson): MetricsInput {
  const root = json.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw json.error([], 'expected a JSON object {"predictions": [[...]], "labels": [...], "team"?: [...], "convention"?: "..."}');
  }
  const doc = root as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!MEMBERS.includes(key)) throw json.error([key], `unknown member "${key}" (expected ${MEMBERS.join(', ')})`);
  }
  const isChoice = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= MAX_CHOICE;

  const predictions = doc.predictions;
  if (predictions === undefined) throw json.error([], 'missing "predictions" (rows = queries, columns = models)');
  if (!Array.isArray(predictions) || predictions.length === 0) throw json.error(['predictions'], 'must be a non-empty array of rows (one per query)');
  const first = predictions[0];
  if (!Array.isArray(first) || first.length === 0) throw json.error(['predictions', 0], 'a row must be a non-empty array (one prediction per model)');
  const nModels = first.length;
  predictions.forEach((row, t) => {
    if (!Array.isArray(row)) throw json.error(['predictions', t], `row ${t} must be an array of ${nModels} predictions`);
    if (row.length !== nModels) throw json.error(['predictions', t], `row ${t} has ${row.length} predictions but row 0 has ${nModels} (one per model)`);
    row.forEach((p, i) => {
      if (!isChoice(p, -1)) throw json.error(['predictions', t, i], `must be a choice index 0..${MAX_CHOICE} or -1 (abstained), got ${JSON.stringify(p)}`);
    });
  });

  const labels = doc.labels;
  if (labels === undefined) throw json.error([], 'missing "labels" (one gold choice per query)');
  if (!Array.isArray(labels)) throw json.error(['labels'], 'must be an array of choice indices');
  if (labels.length !== predictions.length) {
    throw json.error(['labels'], `has ${labels.length} entries but predictions has ${predictions.length} rows (one label per query)`);
  }
  labels.forEach((y, t) => {
    if (!isChoice(y, 0)) throw json.error(['labels', t], `must be a choice index 0..${MAX_CHOICE}, got ${JSON.stringify(y)}`);
  });

  const input: MetricsInput = { predictions: predictions as number[][], labels: labels as number[] };
  if (doc.team !== undefined) {
    const team = doc.team;
    if (!Array.isArray(team) || team.length === 0) throw json.error(['team'], 'must be a non-empty array of model (column) indices');
    const seen = new Set<number>();
    team.forEach((m, k) => {
      if (!(typeof m === 'number' && Number.isInteger(m) && m >= 0 && m < nModels)) {
        throw json.error(['team', k], `model index ${JSON.stringify(m)} is out of range [0, ${nModels - 1}] (predictions has ${nModels} columns)`);
      }
      if (seen.has(m)) throw json.error(['team', k], `model ${m} is listed twice`);
      seen.add(m);
    });
    input.team = team as number[];
  }
  if (doc.convention !== undefined) {
    if (!(CONVENTIONS as readonly unknown[]).includes(doc.convention)) {
      throw json.error(['convention'], `must be one of ${CONVENTIONS.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(doc.convention)}`);
    }
    input.convention = doc.convention as CliConvention;
  }
  return input;
}
