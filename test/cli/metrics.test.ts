import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { teamMetricsFromPredictions } from '../../src/metrics/from-predictions';
import { Rng } from '../../src/util/rng';
import { ensureBuilt, runCli, tempDir } from './helpers';

/** `rl-focal metrics` through the built binary. */

const FIELDS = [
  'focal_diversity',
  'focal_negative_correlation',
  'generalized_diversity',
  'kohavi_wolpert',
  'fleiss_kappa',
  'q_statistic',
  'correlation',
  'disagreement',
  'kappa_pairwise',
  'binary_entropy',
  'plurality_accuracy',
  'majority_accuracy',
  'oracle_accuracy',
];

function randomInput(rng: Rng, queries: number, models: number, choices: number): { predictions: number[][]; labels: number[] } {
  const labels = Array.from({ length: queries }, () => rng.int(choices));
  const predictions = labels.map((y) => Array.from({ length: models }, () => (rng.next() < 0.05 ? -1 : rng.next() < 0.6 ? y : rng.int(choices))));
  return { predictions, labels };
}

describe('cli: metrics (built binary)', function () {
  this.timeout(60000);
  before(ensureBuilt);

  it('prints every metric, equal to the library on the same input (64 models, 20 choices, both conventions)', async () => {
    const dir = tempDir();
    const rng = new Rng(5);
    const input = randomInput(rng, 200, 64, 20);
    const team = [0, 5, 17, 63, 40];
    for (const convention of ['higher-more-diverse', 'ensemblebench'] as const) {
      const file = path.join(dir, `${convention}.json`);
      fs.writeFileSync(file, JSON.stringify({ ...input, team, convention }));
      const run = await runCli(['metrics', file]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim().split('\n').length, 1);
      for (const field of FIELDS) assert.ok(field in run.summary, `missing ${field}`);
      assert.equal(run.summary.focal_negative_correlation.length, team.length);
      const expected = JSON.parse(JSON.stringify(teamMetricsFromPredictions(input.predictions, input.labels, team, convention), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
      assert.deepEqual(run.summary, expected);
    }
  });

  it('defaults the team to every model and writes NaN as null', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'one.json');
    // One member: pairwise statistics are undefined (NaN) and must come out as null, not break the JSON.
    fs.writeFileSync(file, JSON.stringify({ predictions: [[0], [1], [1]], labels: [0, 1, 0] }));
    const run = await runCli(['metrics', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.summary.team, [0]);
    assert.equal(run.summary.plurality_accuracy, 2 / 3);
    assert.equal(run.summary.q_statistic, null);
    assert.ok(!run.stdout.includes('NaN'));
  });

  describe('bad input: exit 2, one line naming file, line and field', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['ragged rows', '{"predictions": [\n  [0, 1, 0],\n  [1, 1],\n  [2, 0, 2]\n], "labels": [0, 1, 2]}', /bad\.json:3: field "predictions\[1\]": row 1 has 2 predictions but row 0 has 3/],
      ['labels length', '{"predictions": [[0, 1], [1, 1]],\n "labels": [0]}', /bad\.json:2: field "labels": has 1 entries but predictions has 2 rows/],
      ['team out of range', '{"predictions": [[0, 1], [1, 1]], "labels": [0, 1],\n "team": [0,\n  2]}', /bad\.json:3: field "team\[1\]": model index 2 is out of range \[0, 1\]/],
      ['team repeats a model', '{"predictions": [[0, 1]], "labels": [0], "team": [1, 1]}', /field "team\[1\]": model 1 is listed twice/],
      ['prediction not a choice', '{"predictions": [[0, 1],\n [1, -2]], "labels": [0, 1]}', /bad\.json:2: field "predictions\[1\]\[1\]": must be a choice index 0\.\.254 or -1/],
      ['label not an integer', '{"predictions": [[0]], "labels": [0.5]}', /field "labels\[0\]": must be a choice index/],
      ['unknown convention', '{"predictions": [[0]], "labels": [0],\n "convention": "lower"}', /bad\.json:2: field "convention": must be one of "higher-more-diverse", "ensemblebench"/],
      ['misspelt member', '{"predictions": [[0]], "lables": [0]}', /field "lables": unknown member "lables"/],
      ['missing labels', '{"predictions": [[0]]}', /missing "labels"/],
      ['malformed JSON', '{"predictions": [[0]],\n "labels": [0,]}', /bad\.json:2: invalid JSON: unexpected '\]'/],
    ];
    for (const [name, text, pattern] of cases) {
      it(name, async () => {
        const file = path.join(tempDir(), 'bad.json');
        fs.writeFileSync(file, text);
        const run = await runCli(['metrics', file]);
        assert.equal(run.code, 2, run.stderr);
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
        assert.match(run.stderr, pattern);
        assert.equal(run.stdout, '');
      });
    }

    it('a missing file', async () => {
      const run = await runCli(['metrics', path.join(tempDir(), 'nope.json')]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /nope\.json: no such file/);
    });
  });
});
