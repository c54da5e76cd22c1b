/**
 * Reading speed of the data layer at the scale the brief sets: 100,000 questions x 12 models (2..6 choices,
 * log-likelihoods printed like float32 values), generated into a temp folder. Reference: the naive reader
 * (readFileSync of the whole text, split, JSON.parse, softmax, no validation) measured in the same run.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecordedOutputs, writeRecordedOutputs } from '../src/data/recorded';
import { readDatasetArrow, readDatasetCsv, writeDatasetArrow, writeDatasetCsv } from '../src/data/tables';
import { Rng } from '../src/util/rng';

const QUERIES = 100_000;
const MODELS = 12;

function generate(dir: string): void {
  const rng = new Rng(20250113).fork('bench-data');
  const ids = Array.from({ length: MODELS }, (_, i) => `org/model-${i}`);
  writeFileSync(join(dir, 'models.json'), JSON.stringify({ score_kind: 'loglik', models: ids.map((id, column) => ({ column, id })) }));
  const fd = openSync(join(dir, 'outputs.jsonl'), 'w');
  let chunk = '';
  for (let t = 0; t < QUERIES; t++) {
    const choices = 2 + rng.int(5);
    const label = rng.int(choices);
    const scores: Record<string, number[]> = {};
    for (const id of ids) scores[id] = Array.from({ length: choices }, () => Number((-8 * rng.next()).toPrecision(8)));
    const subtask = `sub${Math.floor(t / 5000)}`;
    const split = t % 5000 < 4000 ? 'train' : 'test';
    chunk += JSON.stringify({ task: 'bench', subtask, split, index: t % 5000, doc_id: t % 5000, label, choices, scores }) + '\n';
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/** The reference: whole file in memory, no validation. */
function naiveRead(dir: string): { probs: number; queries: number } {
  const ids = (JSON.parse(readFileSync(join(dir, 'models.json'), 'utf8')) as { models: Array<{ id: string }> }).models.map((m) => m.id);
  const lines = readFileSync(join(dir, 'outputs.jsonl'), 'utf8').split('\n');
  const probs: number[] = [];
  let queries = 0;
  for (const line of lines) {
    if (!line) continue;
    const r = JSON.parse(line) as { scores: Record<string, number[]> };
    for (const id of ids) {
      const row = r.scores[id];
      const max = Math.max(...row);
      const e = row.map((s) => Math.exp(s - max));
      const z = e.reduce((a, b) => a + b, 0);
      for (const v of e) probs.push(v / z);
    }
    queries++;
  }
  return { probs: probs.length, queries };
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - started) / 1000 };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-focal-bench-data-'));
  try {
    const gen = await timed(() => generate(dir));
    const megabytes = statSync(join(dir, 'outputs.jsonl')).size / 1e6;
    console.log(`generated ${QUERIES} questions x ${MODELS} models (${megabytes.toFixed(0)} MB) in ${gen.seconds.toFixed(2)} s`);

    const naive = await timed(() => naiveRead(dir));
    const ours = await timed(() => readRecordedOutputs(dir));
    const data = ours.value;
    console.log(`readRecordedOutputs (streaming, validated): ${ours.seconds.toFixed(2)} s, ${(megabytes / ours.seconds).toFixed(0)} MB/s, ${data.nQueries} questions, ${data.probs.length} probabilities`);
    console.log(`naive readFileSync + JSON.parse (no validation): ${naive.seconds.toFixed(2)} s; ratio ours/naive = ${(ours.seconds / naive.seconds).toFixed(2)}`);

    const out = join(dir, 'written');
    const write = await timed(() => writeRecordedOutputs(data, out));
    const reread = await timed(() => readRecordedOutputs(out));
    console.log(`writeRecordedOutputs (prob): ${write.seconds.toFixed(2)} s; read back: ${reread.seconds.toFixed(2)} s`);

    const part = data.selectQueries(Int32Array.from({ length: 10_000 }, (_, t) => t));
    const csvFile = join(dir, 'part.csv');
    const arrowFile = join(dir, 'part.arrow');
    const csvWrite = await timed(() => writeDatasetCsv(part, csvFile));
    const csvRead = await timed(() => readDatasetCsv(csvFile));
    const arrowWrite = await timed(() => writeDatasetArrow(part, arrowFile));
    const arrowRead = await timed(() => readDatasetArrow(arrowFile));
    const rows = part.probs.length;
    console.log(`CSV long layout, 10,000 questions (${rows} rows): write ${csvWrite.seconds.toFixed(2)} s, read ${csvRead.seconds.toFixed(2)} s`);
    console.log(`Arrow long layout, same rows: write ${arrowWrite.seconds.toFixed(2)} s, read ${arrowRead.seconds.toFixed(2)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
