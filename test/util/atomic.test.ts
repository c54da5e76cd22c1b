import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRecordedOutputs, writeRecordedOutputs } from '../../src/data/recorded';
import { replaceFolderAtomic, replaceFolderAtomicAsync, WRITING_MARKER, writeFolderAtomic } from '../../src/util/atomic';
import { writeRecordedFolder } from '../cli/helpers';

describe('util/atomic', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-atomic-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves an existing folder untouched when the write fails midway, and no folder when there was none', () => {
    const target = path.join(dir, 'kept');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'a.txt'), 'old');
    const failing = (temp: string): void => {
      fs.writeFileSync(path.join(temp, 'a.txt'), 'new, but only half');
      throw new Error('disk full');
    };
    assert.throws(() => writeFolderAtomic(target, failing), /disk full/);
    assert.deepEqual(fs.readdirSync(target), ['a.txt']);
    assert.equal(fs.readFileSync(path.join(target, 'a.txt'), 'utf8'), 'old');
    const fresh = path.join(dir, 'fresh');
    assert.throws(() => writeFolderAtomic(fresh, failing), /disk full/);
    assert.equal(fs.existsSync(fresh), false);
    // No temporary folder is left behind either.
    assert.deepEqual(fs.readdirSync(dir).sort(), ['kept']);
  });

  it('replaces the files of an existing recorded-outputs folder only once the new ones are complete', async () => {
    const old = writeRecordedFolder(path.join(dir, 'data-old'), { models: 3, perSubtask: 20, subtasks: 1, seed: 1 });
    const bigger = await readRecordedOutputs(writeRecordedFolder(path.join(dir, 'data-new'), { models: 3, perSubtask: 30, subtasks: 2, seed: 2 }));
    writeRecordedOutputs(bigger, old);
    assert.equal((await readRecordedOutputs(old)).nQueries, 60);
    assert.equal(fs.existsSync(path.join(old, WRITING_MARKER)), false);
  });

  it('makes the reader refuse a folder whose update was interrupted between two renames', async () => {
    const data = writeRecordedFolder(path.join(dir, 'data-mixed'), { models: 3, perSubtask: 20, subtasks: 1, seed: 1 });
    fs.writeFileSync(path.join(data, WRITING_MARKER), 'models.json\noutputs.jsonl\n');
    await assert.rejects(readRecordedOutputs(data), /rl-focal-writing: a write into this folder was interrupted/);
  });

  it('replaceFolderAtomic swaps a whole folder (no old file survives) and leaves it untouched when filling fails', () => {
    const target = path.join(dir, 'run');
    fs.mkdirSync(path.join(target, 'seed-0'), { recursive: true });
    fs.writeFileSync(path.join(target, 'seed-0', 'agents.json'), 'old');
    assert.throws(
      () =>
        replaceFolderAtomic(target, (temp) => {
          fs.writeFileSync(path.join(temp, 'results.json'), 'half');
          throw new Error('killed');
        }),
      /killed/,
    );
    assert.deepEqual(fs.readdirSync(target), ['seed-0']);
    replaceFolderAtomic(target, (temp) => {
      fs.mkdirSync(path.join(temp, 'seed-7'));
      fs.writeFileSync(path.join(temp, 'seed-7', 'agents.json'), 'new');
    });
    assert.deepEqual(fs.readdirSync(target), ['seed-7']);
    assert.equal(fs.readFileSync(path.join(target, 'seed-7', 'agents.json'), 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.run')), [], 'no temporary or old folder left');
  });

  it('replaceFolderAtomicAsync: the same, with a fill that awaits (a rejected fill leaves the folder untouched)', async () => {
    const target = path.join(dir, 'async-run');
    fs.mkdirSync(path.join(target, 'seed-0'), { recursive: true });
    await assert.rejects(
      replaceFolderAtomicAsync(target, async (temp) => {
        fs.writeFileSync(path.join(temp, 'results.json'), 'half');
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('killed');
      }),
      /killed/,
    );
    assert.deepEqual(fs.readdirSync(target), ['seed-0']);
    await replaceFolderAtomicAsync(target, async (temp) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      fs.mkdirSync(path.join(temp, 'seed-3'));
    });
    assert.deepEqual(fs.readdirSync(target), ['seed-3']);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.async-run')), [], 'no temporary or old folder left');
  });
});
