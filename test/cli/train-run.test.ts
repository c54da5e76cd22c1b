import { strict as assert } from 'node:assert';
import { episodesPerSeed, progressPosition } from '../../src/cli/train-run';
import { resolveConfig } from '../../src/train/config';
import type { TrainProgress } from '../../src/train/train-rl-focal';

describe('cli: train progress positions', () => {
  const config = resolveConfig({ deciderEpisodes: 3, fusionEpisodes: 2 });
  const event = (turn: TrainProgress['turn'], episode: number, subtaskIndex: number, refit?: true): TrainProgress => ({
    turn, episode, episodes: turn === 'decider' ? 3 : turn === 'fusion' ? 2 : 1, accuracy: 0.5, meanTeamSize: 2, subtaskIndex, subtaskCount: 2, ...(refit ? { refit } : {}),
  });
  const plan = (subtaskIndex: number, refit?: true) => [0, 1, 2].map((e) => event('decider', e, subtaskIndex, refit)).concat([0, 1].map((e) => event('fusion', e, subtaskIndex, refit)), [event('test', 0, subtaskIndex, refit)]);

  it('climbs one step per planned episode to the seed total, and the refit (not in the plan) holds it there', () => {
    const planned = [...plan(0), ...plan(1)].map((p) => progressPosition(config, p));
    assert.deepEqual(planned, Array.from({ length: 12 }, (_, k) => k + 1));
    assert.equal(planned.at(-1), episodesPerSeed(config, 2));
    for (const p of [...plan(0, true), ...plan(1, true)]) assert.equal(progressPosition(config, p), episodesPerSeed(config, 2), 'never backwards');
  });
});
