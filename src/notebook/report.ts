/**
 * `figures/REPORT.md`, written by the last notebook of `npm run reproduce` from what the notebooks left in the figures
 * folder: every figure and table file present, grouped by the notebook that wrote it, and for notebooks that wrote a
 * `<notebook>.summary.json` (via `writeNotebookSummary`) their claim, provenance, our-vs-paper sentences and timing.
 * Nothing is recomputed here, so the report shows exactly the numbers the notebooks produced.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FigureSpec } from '../figures/spec';
import type { NotebookRun } from './notebook-run';
import type { ExperimentTable } from './output';
import { writeFileAtomic } from '../util/atomic';

export interface SummaryTable {
  name: string;
  title: string;
  provenance: string;
}

export interface NotebookSummary {
  /** Notebook file stem, e.g. "08-figure5-alpha-sweep". */
  notebook: string;
  title: string;
  /** What the paper claims and how the notebook tests it, one or two sentences. */
  claim: string;
  /** Written in fast mode (shrunk budgets): numbers are a smoke test, not results. */
  fast: boolean;
  mode: NotebookRun['mode'];
  /** Written by `npm run reproduce` from the committed notebook (see `notebookRun`); false for every other run. */
  reproduction: boolean;
  /** The notebook's RUN_PARAMETERS exactly as the run used them (undefined written as null, non-finite numbers as strings). */
  parameters: Record<string, unknown>;
  generatedAt: string;
  /** Wall-clock seconds of the notebook's computations, measured in the notebook. */
  seconds: number | null;
  /** One line per data source. */
  provenance: string[];
  tables: SummaryTable[];
  /** Figure file stems. */
  figures: string[];
  /** Our numbers beside the paper's, one sentence per difference. */
  comparisons: string[];
  /** Anything a reader must know (assumptions, skipped parts). */
  notes: string[];
}

export const SUMMARY_SUFFIX = '.summary.json';

export interface SummaryInput {
  notebook: string;
  title: string;
  claim: string;
  run: Pick<NotebookRun, 'mode' | 'reproduction'>;
  /** Every editable parameter of the notebook, as used. */
  parameters: Record<string, unknown>;
  seconds?: number | null;
  provenance?: string[];
  tables?: ReadonlyArray<ExperimentTable | SummaryTable>;
  figures?: ReadonlyArray<FigureSpec | string>;
  comparisons?: string[];
  notes?: string[];
}

/** Writes `<outDir>/<notebook>.summary.json` and returns its path. */
export function writeNotebookSummary(input: SummaryInput, outDir: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(input.notebook)) throw new RangeError(`writeNotebookSummary: notebook "${input.notebook}" must be a file stem`);
  const summary: NotebookSummary = {
    notebook: input.notebook,
    title: input.title,
    claim: input.claim,
    fast: input.run.mode === 'fast',
    mode: input.run.mode,
    reproduction: input.run.mode === 'full' && input.run.reproduction,
    parameters: exactParameters(input.parameters),
    generatedAt: new Date().toISOString(),
    seconds: input.seconds ?? null,
    provenance: input.provenance ?? [],
    tables: (input.tables ?? []).map((t) => ({ name: t.name, title: t.title, provenance: t.provenance })),
    figures: (input.figures ?? []).map((f) => (typeof f === 'string' ? f : f.name)),
    comparisons: input.comparisons ?? [],
    notes: input.notes ?? [],
  };
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${input.notebook}${SUMMARY_SUFFIX}`);
  writeFileAtomic(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}

/** A JSON copy of the parameters that keeps what JSON.stringify would drop or blur: undefined, NaN and ±Infinity. */
function exactParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(parameters, (_key, value: unknown) => {
    if (value === undefined) return null;
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

/** Output files of one stem (e.g. `08-fig5-alpha-sweep` -> png, svg, csv, md). */
export interface OutputStem {
  stem: string;
  formats: string[];
}

const OUTPUT_FORMATS = ['png', 'svg', 'csv', 'md'];

export function listOutputStems(figuresDir: string): OutputStem[] {
  if (!fs.existsSync(figuresDir)) return [];
  const byStem = new Map<string, string[]>();
  for (const file of fs.readdirSync(figuresDir).sort()) {
    if (file === 'REPORT.md' || file.endsWith(SUMMARY_SUFFIX)) continue;
    const ext = path.extname(file).slice(1);
    if (!OUTPUT_FORMATS.includes(ext)) continue;
    const stem = file.slice(0, -(ext.length + 1));
    byStem.set(stem, [...(byStem.get(stem) ?? []), ext]);
  }
  return [...byStem.entries()].map(([stem, formats]) => ({ stem, formats: OUTPUT_FORMATS.filter((f) => formats.includes(f)) }));
}

export function readSummaries(figuresDir: string): { summaries: NotebookSummary[]; errors: string[] } {
  const summaries: NotebookSummary[] = [];
  const errors: string[] = [];
  if (!fs.existsSync(figuresDir)) return { summaries, errors };
  for (const file of fs.readdirSync(figuresDir).sort()) {
    if (!file.endsWith(SUMMARY_SUFFIX)) continue;
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(figuresDir, file), 'utf8')) as NotebookSummary;
      if (typeof parsed.notebook !== 'string' || !Array.isArray(parsed.tables) || !Array.isArray(parsed.figures)) {
        throw new Error('missing notebook, tables or figures');
      }
      summaries.push(parsed);
    } catch (error) {
      errors.push(`${file}: unreadable summary (${(error as Error).message}); its files are listed under "other outputs"`);
    }
  }
  summaries.sort((a, b) => a.notebook.localeCompare(b.notebook));
  return { summaries, errors };
}

/**
 * The notebook a file stem most likely came from when no summary claims it: the notebook whose source names the stem
 * literally, else the one whose number prefix the stem starts with, else the one whose source contains the stem's
 * first word and a dash (names built in code, e.g. `tour-${pool}-models`).
 */
export function attributeStem(stem: string, notebooks: ReadonlyArray<{ name: string; source: string }>): string | null {
  const literal = notebooks.find((n) => n.source.includes(stem));
  if (literal) return literal.name;
  const prefix = /^(\d+)-/.exec(stem);
  if (prefix) {
    const byNumber = notebooks.find((n) => n.name.startsWith(`${prefix[1]}-`));
    if (byNumber) return byNumber.name;
  }
  const word = /^([A-Za-z0-9]+)-/.exec(stem);
  if (word) {
    const byWord = notebooks.find((n) => n.source.includes(`${word[1]}-`));
    if (byWord) return byWord.name;
  }
  return null;
}

export function readNotebookSources(notebooksDir: string): Array<{ name: string; source: string }> {
  if (!fs.existsSync(notebooksDir)) return [];
  return fs
    .readdirSync(notebooksDir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(notebooksDir, f), 'utf8');
      let source = text;
      try {
        const nb = JSON.parse(text) as { cells?: Array<{ source?: string | string[] }> };
        source = (nb.cells ?? []).map((c) => (Array.isArray(c.source) ? c.source.join('') : (c.source ?? ''))).join('\n');
      } catch {
        // A notebook that is not valid JSON is still searched as text.
      }
      return { name: f.replace(/\.ipynb$/, ''), source };
    });
}

export interface ReportOptions {
  /** Folder of the notebooks, to attribute files no summary claims (default: ../notebooks next to figuresDir). */
  notebooksDir?: string;
  /** Rows of a table shown inline before it is cut (the CSV always has every row). */
  maxTableRows?: number;
  /** Fixed timestamp (tests). */
  now?: Date;
}

const PROVENANCE_LEGEND = [
  '**real recorded outputs** — computed here from the real bbh-leaderboard model outputs (Open LLM Leaderboard v2 detail logs);',
  '**simulated pool (<benchmark>, calibrated to <table>)** — computed here on seeded simulated LLM outputs whose per-model accuracies come from `data/calibration` (several of them assumed, as marked there); never the paper\'s data;',
  '**synthetic** — computed here on constructed data with known properties;',
  '**measured here** — timings on the machine that ran `npm run reproduce`;',
  '**paper** — quoted from the paper (or, where marked, from the authors\' code), via `shared/spec/paper.md`.',
];

export function buildReport(figuresDir: string, options: ReportOptions = {}): string {
  const { summaries, errors } = readSummaries(figuresDir);
  const stems = listOutputStems(figuresDir);
  const notebooks = readNotebookSources(options.notebooksDir ?? path.join(figuresDir, '..', 'notebooks'));
  const maxRows = options.maxTableRows ?? 40;
  const now = options.now ?? new Date();
  const claimed = new Set<string>();
  for (const s of summaries) {
    for (const t of s.tables) claimed.add(t.name);
    for (const f of s.figures) claimed.add(f);
  }
  const stemFormats = new Map(stems.map((s) => [s.stem, s.formats]));

  const lines: string[] = [];
  const fastCount = summaries.filter((s) => s.fast).length;
  // Summaries written before runs recorded `reproduction` lack the field: they are counted as not the reproduction.
  const notReproduction = summaries.filter((s) => !s.fast && s.reproduction !== true).length;
  lines.push('# RL-Focal reproduction report', '');
  lines.push(
    `Generated ${now.toISOString()} by \`notebooks/99-report.ipynb\` from the files the notebooks wrote to this folder ` +
      `(${stems.length} outputs, ${summaries.length} notebook summaries). Nothing below is recomputed: every number is the one a notebook wrote.`,
    '',
  );
  if (fastCount > 0) {
    lines.push(
      `> **${fastCount} of ${summaries.length} summaries come from FAST mode** (shrunk budgets for the test suite): their numbers only show that the ` +
        'pipeline runs; run `npm run reproduce` for the full budgets.',
      '',
    );
  }
  if (notReproduction > 0) {
    lines.push(
      `> **${notReproduction} of ${summaries.length} full-mode summaries are not from the reproduction** (an interactive, edited or ` +
        'opted-in run, or one that did not record it): their parameters are listed with each notebook below; `npm run reproduce` ' +
        'regenerates them from the committed notebooks.',
      '',
    );
  }
  lines.push('Where each number comes from (every table and sentence names one):', '', ...PROVENANCE_LEGEND.map((l) => `- ${l}`), '');
  if (errors.length > 0) lines.push('Problems reading summaries:', '', ...errors.map((e) => `- ${e}`), '');

  // Group every output: summaries first (by their notebook), then the rest by attributed notebook or stem prefix.
  const groups = new Map<string, { summary?: NotebookSummary; stems: string[] }>();
  for (const s of summaries) groups.set(s.notebook, { summary: s, stems: [] });
  for (const { stem } of stems) {
    if (claimed.has(stem)) continue;
    const owner = attributeStem(stem, notebooks) ?? `unattributed (${stem.split('-')[0]})`;
    const group = groups.get(owner) ?? { stems: [] };
    group.stems.push(stem);
    groups.set(owner, group);
  }
  const order = [...groups.keys()].sort((a, b) => a.localeCompare(b));

  lines.push('## Contents', '');
  for (const key of order) {
    const g = groups.get(key)!;
    const title = g.summary ? `${key} — ${g.summary.title}` : `${key} (no summary: files only)`;
    lines.push(`- [${title}](#${anchor(title)})`);
  }
  lines.push('');

  for (const key of order) {
    const g = groups.get(key)!;
    const s = g.summary;
    const title = s ? `${key} — ${s.title}` : `${key} (no summary: files only)`;
    lines.push(`## ${title}`, '');
    if (s) {
      lines.push(`**Claim tested.** ${s.claim}`, '');
      lines.push(
        `**Run.** ${s.fast ? 'FAST mode (smoke-test budgets)' : 'full mode'}, ${runKind(s)}, ${s.generatedAt}` +
          `${s.seconds !== null ? `, ${s.seconds.toFixed(1)} s of computation (measured here)` : ''}.`,
        '',
      );
      if (s.parameters !== undefined) {
        lines.push('<details><summary>Parameters of this run</summary>', '', '```json', JSON.stringify(s.parameters, null, 2), '```', '', '</details>', '');
      }
      if (s.provenance.length > 0) lines.push('**Provenance.**', '', ...s.provenance.map((p) => `- ${p}`), '');
      if (s.comparisons.length > 0) lines.push('**Ours beside the paper.**', '', ...s.comparisons.map((c) => `- ${c}`), '');
      if (s.notes.length > 0) lines.push('**Notes.**', '', ...s.notes.map((n) => `- ${n}`), '');
      for (const t of s.tables) lines.push(...tableSection(figuresDir, t.name, t.title, t.provenance, stemFormats.get(t.name), maxRows));
      for (const f of s.figures) lines.push(...figureSection(f, stemFormats.get(f)));
    } else {
      lines.push('This notebook wrote no summary, so its provenance is stated only in the notebook itself; the files it left are listed as they are.', '');
    }
    for (const stem of g.stems) {
      const formats = stemFormats.get(stem) ?? [];
      if (formats.includes('png') || formats.includes('svg')) lines.push(...figureSection(stem, formats));
      if (formats.includes('md') || formats.includes('csv')) lines.push(...tableSection(figuresDir, stem, stem, null, formats, maxRows));
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

function runKind(s: NotebookSummary): string {
  if (s.fast) return 'not the reproduction';
  if (s.reproduction === true) return 'the reproduction (`npm run reproduce`, committed notebook)';
  if (s.reproduction === false) return '**not the reproduction** (interactive, edited or opted-in run)';
  return '**reproduction not recorded**';
}

function tableSection(dir: string, name: string, title: string, provenance: string | null, formats: string[] | undefined, maxRows: number): string[] {
  const out = [`### Table: ${title}`, ''];
  if (provenance) out.push(`*Provenance:* ${provenance}`, '');
  if (!formats || formats.length === 0) {
    out.push(`*(missing: the notebook named \`${name}\` but no file of that name is in this folder)*`, '');
    return out;
  }
  if (formats.includes('md')) {
    const rows = fs.readFileSync(path.join(dir, `${name}.md`), 'utf8').trimEnd().split('\n');
    const shown = rows.slice(0, maxRows + 2);
    out.push(...shown);
    if (rows.length > shown.length) out.push('', `*(${rows.length - shown.length} more rows in the CSV)*`);
    out.push('');
  }
  out.push(`Files: ${formats.filter((f) => f === 'csv' || f === 'md').map((f) => `[${name}.${f}](${name}.${f})`).join(' · ')}`, '');
  return out;
}

function figureSection(name: string, formats: string[] | undefined): string[] {
  if (!formats || !(formats.includes('png') || formats.includes('svg'))) {
    return [`*(figure \`${name}\` missing from this folder)*`, ''];
  }
  const image = formats.includes('png') ? `${name}.png` : `${name}.svg`;
  return [
    `### Figure: ${name}`,
    '',
    `![${name}](${image})`,
    '',
    `Files: ${formats.filter((f) => f === 'png' || f === 'svg').map((f) => `[${name}.${f}](${name}.${f})`).join(' · ')}`,
    '',
  ];
}

/** GitHub-style heading anchor. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** Builds the report and writes `<figuresDir>/REPORT.md`. */
export function writeReport(figuresDir: string, options: ReportOptions = {}): { path: string; summaries: number; outputs: number } {
  const text = buildReport(figuresDir, options);
  fs.mkdirSync(figuresDir, { recursive: true });
  const file = path.join(figuresDir, 'REPORT.md');
  writeFileAtomic(file, text);
  return { path: file, summaries: readSummaries(figuresDir).summaries.length, outputs: listOutputStems(figuresDir).length };
}
