import assert from 'node:assert/strict';
import { notebookRun, REPRODUCTION_FIGURES_DIR, SCRATCH_FIGURES_DIR } from '../../src/notebook/notebook-run';

describe('notebook/notebook-run', () => {
  it('writes to the scratch folder unless told otherwise', () => {
    assert.deepEqual(notebookRun({}), { mode: 'full', fast: false, reproduction: false, figuresDir: SCRATCH_FIGURES_DIR });
    assert.equal(notebookRun({ RL_FOCAL_WRITE_FIGURES: '1' }).figuresDir, REPRODUCTION_FIGURES_DIR);
    assert.equal(notebookRun({ RL_FOCAL_WRITE_FIGURES: '1', RL_FOCAL_FIGURES: '/tmp/x' }).figuresDir, '/tmp/x');
    assert.equal(notebookRun({ RL_FOCAL_FIGURES: '' }).figuresDir, SCRATCH_FIGURES_DIR);
  });

  it('is the reproduction only in full mode with the runner\'s flag', () => {
    assert.equal(notebookRun({ RL_FOCAL_REPRODUCTION: '1' }).reproduction, true);
    assert.equal(notebookRun({ RL_FOCAL_REPRODUCTION: '1', RL_FOCAL_FAST: '1' }).reproduction, false);
    assert.equal(notebookRun({ RL_FOCAL_WRITE_FIGURES: '1' }).reproduction, false);
    assert.equal(notebookRun({ RL_FOCAL_FAST: '1' }).mode, 'fast');
  });
});
