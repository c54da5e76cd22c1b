import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attributeStem, buildReport, listOutputStems, writeNotebookSummary, writeReport } from '../../src/notebook/report';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-report-'));
}

describe('notebook/report', () => {
  let root: string;
  let figures: string;
  let notebooks: string;

  beforeEach(() => {
    root = tempDir();
    figures = path.join(root, 'figures');
    notebooks = path.join(root, 'notebooks');
    fs.mkdirSync(figures);
    fs.mkdirSync(notebooks);
    fs.writeFileSync(path.join(figures, '08-fig5.md'), '|alpha|acc|\n|-:|-:|\n|0|81.1|\n');
    fs.writeFileSync(path.join(figures, '08-fig5.csv'), 'alpha,acc\n0,81.1\n');
    fs.writeFileSync(path.join(figures, '08-fig5.png'), 'png');
    fs.writeFileSync(path.join(figures, 'appG-claim.md'), '|x|\n|-|\n|1|\n');
    fs.writeFileSync(path.join(figures, 'tour-plot.svg'), '<svg/>');
    fs.writeFileSync(path.join(notebooks, '12-robustness.ipynb'), JSON.stringify({ cells: [{ source: ['table("appG-claim")'] }] }));
    fs.writeFileSync(path.join(notebooks, '01-tour.ipynb'), JSON.stringify({ cells: [{ source: 'const name = `tour-${pool}`;' }] }));
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists every output stem with its formats, ignoring summaries and the report', () => {
    writeNotebookSummary({ notebook: '08-x', title: 't', claim: 'c', run: { mode: 'full', reproduction: true }, parameters: {} }, figures);
    fs.writeFileSync(path.join(figures, 'REPORT.md'), 'old');
    assert.deepEqual(listOutputStems(figures), [
      { stem: '08-fig5', formats: ['png', 'csv', 'md'] },
      { stem: 'appG-claim', formats: ['md'] },
      { stem: 'tour-plot', formats: ['svg'] },
    ]);
  });

  it('attributes files without a summary to the notebook that names them', () => {
    const sources = [
      { name: '01-tour', source: 'const name = `tour-${pool}`;' },
      { name: '08-figure5', source: '' },
      { name: '12-robustness', source: 'table("appG-claim")' },
    ];
    assert.equal(attributeStem('appG-claim', sources), '12-robustness');
    assert.equal(attributeStem('08-anything', sources), '08-figure5');
    assert.equal(attributeStem('tour-plot', sources), '01-tour');
    assert.equal(attributeStem('zzz-none', sources), null);
  });

  it('puts summarised notebooks with their claim, provenance and sentences, and every other file under its notebook', () => {
    writeNotebookSummary(
      {
        notebook: '08-figure5',
        title: 'Figure 5',
        claim: 'alpha matters',
        run: { mode: 'fast', reproduction: false },
        parameters: { ALPHAS: [0, 0.6] },
        seconds: 12.5,
        provenance: ['simulated pool (gsm8k)'],
        tables: [{ name: '08-fig5', title: 'alpha table', provenance: 'ours: simulated' }, { name: '08-gone', title: 'missing', provenance: 'p' }],
        figures: ['08-fig5'],
        comparisons: ['ours 81.1 vs paper 73.06'],
      },
      figures,
    );
    const text = buildReport(figures, { notebooksDir: notebooks, now: new Date('2025-01-01T00:00:00Z') });
    assert.match(text, /## 08-figure5 — Figure 5/);
    assert.match(text, /\*\*Claim tested\.\*\* alpha matters/);
    assert.match(text, /FAST mode/);
    assert.match(text, /- simulated pool \(gsm8k\)/);
    assert.match(text, /- ours 81\.1 vs paper 73\.06/);
    assert.match(text, /\|0\|81\.1\|/); // the table inline
    assert.match(text, /!\[08-fig5\]\(08-fig5\.png\)/);
    assert.match(text, /missing: the notebook named `08-gone`/);
    assert.match(text, /## 12-robustness \(no summary: files only\)/);
    assert.match(text, /## 01-tour \(no summary: files only\)[\s\S]*tour-plot\.svg/);
    assert.match(text, /2025-01-01T00:00:00\.000Z/);
  });

  it('reports an unreadable summary instead of failing, and still lists the files', () => {
    fs.writeFileSync(path.join(figures, 'broken.summary.json'), '{not json');
    const written = writeReport(figures, { notebooksDir: notebooks });
    const text = fs.readFileSync(written.path, 'utf8');
    assert.match(text, /broken\.summary\.json: unreadable summary/);
    assert.match(text, /08-fig5\.csv/);
    assert.equal(written.summaries, 0);
    assert.equal(written.outputs, 3);
  });

  it('records mode, reproduction and the exact parameters, and flags every full run that is not the reproduction', () => {
    const file = writeNotebookSummary(
      {
        notebook: '08-figure5',
        title: 'Figure 5',
        claim: 'alpha matters',
        run: { mode: 'full', reproduction: false },
        parameters: { ALPHAS: [0, 0.6], SUBTASKS: undefined, CLIP: Infinity, CONFIG: { window: 100 } },
      },
      figures,
    );
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(written.mode, 'full');
    assert.equal(written.fast, false);
    assert.equal(written.reproduction, false);
    assert.deepEqual(written.parameters, { ALPHAS: [0, 0.6], SUBTASKS: null, CLIP: 'Infinity', CONFIG: { window: 100 } });
    const text = buildReport(figures, { notebooksDir: notebooks });
    assert.match(text, /1 of 1 full-mode summaries are not from the reproduction/);
    assert.match(text, /full mode, \*\*not the reproduction\*\*/);
    assert.match(text, /"window": 100/);
  });

  it('never records a fast run as the reproduction', () => {
    const file = writeNotebookSummary(
      { notebook: '08-figure5', title: 'F', claim: 'c', run: { mode: 'fast', reproduction: true }, parameters: {} },
      figures,
    );
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).reproduction, false);
  });

  it('counts a summary written before runs recorded it as not the reproduction', () => {
    fs.writeFileSync(
      path.join(figures, '08-old.summary.json'),
      JSON.stringify({ notebook: '08-old', title: 'old', claim: 'c', fast: false, generatedAt: 'x', seconds: null, provenance: [], tables: [], figures: [], comparisons: [], notes: [] }),
    );
    const text = buildReport(figures, { notebooksDir: notebooks });
    assert.match(text, /1 of 1 full-mode summaries are not from the reproduction/);
    assert.match(text, /reproduction not recorded/);
  });
});
