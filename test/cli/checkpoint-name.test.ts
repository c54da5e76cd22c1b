import { strict as assert } from 'node:assert';
import { subtaskCheckpointName } from '../../src/cli/checkpoint-name';

describe('cli/checkpoint-name', () => {
  it('gives distinct file-safe names to subtasks the sanitising maps together', () => {
    const subtasks = ['math/algebra', 'math algebra', '代数', '几何', '概率', 'boolean_expressions'];
    const names = subtasks.map(subtaskCheckpointName);
    assert.equal(new Set(names).size, subtasks.length);
    for (const name of names) assert.match(name, /^agents-[\w.-]+-[0-9a-f]{8}\.json$/);
    assert.equal(subtaskCheckpointName('boolean_expressions'), names[5]);
  });
});
