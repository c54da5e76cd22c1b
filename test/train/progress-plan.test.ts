import { strict as assert } from 'node:assert';
import { resolveConfig } from '../../src/train/config';
import { progressPosition, stepsPerSeed } from '../../src/train/progress-plan';
import { trainPerSubtask, trainRlFocal, type TrainProgress } from '../../src/train/train-rl-focal';
import { syntheticPool } from './synthetic-pool';

describe('train: the progress plan', () => {
  const config = resolveConfig({ deciderEpisodes: 3, fusionEpisodes: 2 });
  const event = (turn: TrainProgress['turn'], episode: number, subtaskIndex: number, refit?: true): TrainProgress => ({
    turn, episode, episodes: turn === 'decider' ? 3 : turn === 'fusion' ? 2 : 1, accuracy: 0.5, meanTeamSize: 2, subtaskIndex, subtaskCount: 2, ...(refit ? { refit } : {}),
  });
  const plan = (subtaskIndex: number, guard: boolean, refit?: true) =>
    [0, 1, 2].map((e) => event('decider', e, subtaskIndex, refit)).concat(
      [0, 1].map((e) => event('fusion', e, subtaskIndex, refit)),
      [event('test', 0, subtaskIndex, refit)],
      guard && !refit ? [event('guard', 0, subtaskIndex)] : [],
    );

  it('climbs one step per planned episode, test pass and guard to the seed total; the refit (not in the plan) holds it there', () => {
    const planned = [...plan(0, true), ...plan(1, true)].map((p) => progressPosition(config, p));
    assert.deepEqual(planned, Array.from({ length: 14 }, (_, k) => k + 1));
    assert.equal(planned.at(-1), stepsPerSeed(config, 2));
    for (const p of [...plan(0, true, true), ...plan(1, true, true)]) assert.equal(progressPosition(config, p), stepsPerSeed(config, 2), 'never backwards');
  });

  it('without a validation share there is no guard step', () => {
    const paper = resolveConfig({ deciderEpisodes: 3, fusionEpisodes: 2, validationFraction: 0 });
    const planned = [...plan(0, false), ...plan(1, false)].map((p) => progressPosition(paper, p));
    assert.deepEqual(planned, Array.from({ length: 12 }, (_, k) => k + 1));
    assert.equal(stepsPerSeed(paper, 2), 12);
  });

  it('is what the trainer reports: the guard comes after the test pass and the last planned event ends the seed', function () {
    this.timeout(60_000);
    const data = syntheticPool({ topics: [{ name: 'a', expert: 0, queries: 160 }, { name: 'b', expert: 2, queries: 160 }], nModels: 4, nChoices: 4, seed: 3 });
    const small = { deciderEpisodes: 2, fusionEpisodes: 2, refitAfterGuard: false };
    for (const validationFraction of [0.2, 0]) {
      const cfg = resolveConfig({ ...small, validationFraction });
      const single: TrainProgress[] = [];
      trainRlFocal(data, { ...small, validationFraction }, { onProgress: (p) => single.push(p) });
      assert.deepEqual(single.map((p) => p.turn), ['decider', 'decider', 'fusion', 'fusion', 'test', ...(validationFraction > 0 ? ['guard'] : [])]);
      assert.equal(progressPosition(cfg, single.at(-1)!), stepsPerSeed(cfg, 1));
      const perSubtask: TrainProgress[] = [];
      trainPerSubtask(data, { ...small, validationFraction }, { onProgress: (p) => perSubtask.push(p) });
      const positions = perSubtask.map((p) => progressPosition(cfg, p));
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'never backwards');
      assert.equal(positions.at(-1), stepsPerSeed(cfg, 2));
    }
    const guard = [] as TrainProgress[];
    trainRlFocal(data, small, { onProgress: (p) => p.turn === 'guard' && guard.push(p) });
    assert.equal(guard.length, 1);
    assert.ok(guard[0].accuracy >= 0 && guard[0].accuracy <= 1 && guard[0].meanTeamSize >= 1);
  });
});
