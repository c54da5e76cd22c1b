import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Dataset, type ModelInfo } from '../../data/dataset';
import { DataFormatError } from '../../data/errors';
import { findLmEvalSampleFiles, readLmEvalSamples, type LmEvalSampleFile } from '../../data/lm-eval';
import { readRecordedOutputs, writeRecordedOutputs, MODELS_FILE, OUTPUTS_FILE } from '../../data/recorded';
import { readSampledAnswers, SLOT_ORDERS, type SampledAnswersReport, type SlotOrder } from '../../data/sampled-answers';
import { readDatasetArrow, readDatasetCsv } from '../../data/tables';
import { datasetSummary } from '../dataset-summary';
import { InputError } from '../errors';
import { checkOutDir } from '../out-dir';
import { choiceOption, integerOption, uniqueListOption } from '../options';
import { printSummary, type CliContext } from '../output';

const FORMATS = ['jsonl', 'lm-eval', 'samples', 'csv'] as const;
type ImportFormat = (typeof FORMATS)[number];

interface ImportOptions {
  format: ImportFormat;
  out: string;
  force?: boolean;
  models?: string[];
  scoreKind?: 'prob' | 'loglik';
  k?: number;
  answerKind?: 'numeric' | 'text';
  slotOrder?: SlotOrder;
  keepUnanswerable?: boolean;
  filter?: string;
  repeatedRuns?: 'error' | 'latest';
  trainFraction?: number;
  poolOrderedSlots?: boolean;
}

function fractionOption(text: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1)) throw new InputError(`expected a number in (0, 1), got "${text}"`, { field: '--train-fraction' });
  return value;
}

export function registerImport(program: Command, io: CliContext): void {
  program
    .command('import')
    .description('validate recorded outputs and convert them into the neutral folder layout (models.json + outputs.jsonl)')
    .argument('<inputs...>', 'input folders or files (several are concatenated in the given order)')
    .requiredOption('--format <format>', `input format: ${FORMATS.join(' | ')}`, choiceOption(FORMATS))
    .requiredOption('--out <dir>', 'output folder')
    .option('--force', 'overwrite an existing models.json/outputs.jsonl in --out')
    .option('--models <ids>', 'keep only these models, in this order (comma-separated)', uniqueListOption)
    .option('--score-kind <kind>', 'csv: how to read the score column (prob | loglik)', choiceOption(['prob', 'loglik'] as const), 'prob')
    .option('--k <n>', 'samples: answer slots per question', integerOption(2, 255), 10)
    .option('--answer-kind <kind>', 'samples: numeric | text', choiceOption(['numeric', 'text'] as const), 'numeric')
    .option(
      '--slot-order <order>',
      "samples: neutral (a fixed hash of question and answer; slot positions carry no information) | pool-count (most frequent first, as the authors' loader; marks the pool pool-ordered)",
      choiceOption(SLOT_ORDERS),
      'neutral',
    )
    .option('--keep-unanswerable', 'samples: keep questions whose gold answer is not among the K slots (label = reserved slot)')
    .option('--filter <name>', 'lm-eval: keep only lines of this filter')
    .option('--repeated-runs <policy>', 'lm-eval: several runs of a (model, task): error | latest', choiceOption(['error', 'latest'] as const), 'error')
    .option('--train-fraction <f>', 'lm-eval, samples: per subtask, the first fraction of questions is train', fractionOption)
    .option(
      '--pool-ordered-slots',
      "jsonl, csv, lm-eval: each question's answer slots are the pool's own answers sorted by how many models gave them (as the samples format makes them, e.g. a pool exported to csv); marks the pool so that no method reads a slot's position (samples: marked with --slot-order pool-count)",
    )
    .addHelpText(
      'after',
      `
Inputs per format:
  jsonl    recorded-outputs folders (models.json + outputs.jsonl), e.g. to merge, subset models or re-validate
  lm-eval  lm-evaluation-harness --log_samples output folders (<dir>/<model>/samples_<task>_<time>.jsonl),
           or single samples files as <model id>=<file> (or a file inside a <model> folder)
  samples  sampled-answers JSONL files (one question per line: question_id, gold, answers{model: [...]})
  csv      long-layout tables, one row per (question, model, choice): query_id,task,subtask,split,label,model,choice,score
           (.arrow files are read as Arrow IPC)`,
    )
    .action(async (inputs: string[], options: ImportOptions) => {
      checkOutDir(options.out);
      const existing = [MODELS_FILE, OUTPUTS_FILE].filter((f) => fs.existsSync(path.join(options.out, f)));
      if (existing.length > 0 && !options.force) {
        throw new InputError(`already holds ${existing.join(' and ')}; pass --force to overwrite`, { file: options.out, field: '--out' });
      }
      const excluded: SampledAnswersReport[] = [];
      const parts: Dataset[] = [];
      if (options.format === 'lm-eval') {
        parts.push(await readLmEval(inputs, options));
      } else {
        for (const input of inputs) {
          if (options.format === 'jsonl') parts.push(await readRecordedOutputs(recordedFolder(input), options.models ? { models: options.models } : {}));
          else if (options.format === 'csv') {
            const read = input.endsWith('.arrow') || input.endsWith('.feather') ? readDatasetArrow : readDatasetCsv;
            parts.push(read(input, { scoreKind: options.scoreKind, ...(options.models ? { models: options.models } : {}) }));
          } else {
            const { dataset, report } = await readSampledAnswers(input, {
              k: options.k,
              answerKind: options.answerKind,
              slotOrder: options.slotOrder,
              keepUnanswerable: options.keepUnanswerable,
              ...(options.models ? { models: options.models } : {}),
              ...(options.trainFraction !== undefined ? { trainFraction: options.trainFraction } : {}),
              warn: (message) => io.stderr.write(`rl-focal import: ${input}: ${message}\n`),
            });
            parts.push(dataset);
            excluded.push(report);
          }
        }
      }
      const joined = parts.length === 1 ? parts[0] : concatInputs(parts, inputs);
      // A table has no field for the mark (docs/rl.md §5i), so a pool that left the folder layout needs it said again.
      const data = options.poolOrderedSlots ? joined.withProvenance({ ...joined.provenance, answerSlots: 'pool-ordered' }) : joined;
      writeRecordedOutputs(data, options.out);
      // Read the written folder back: the output is checked by the same reader every command uses.
      const check = await readRecordedOutputs(options.out);
      if (check.nQueries !== data.nQueries || check.nModels !== data.nModels) {
        throw new Error(`internal: wrote ${data.nQueries} x ${data.nModels} but read back ${check.nQueries} x ${check.nModels}`);
      }
      printSummary(io, {
        command: 'import',
        format: options.format,
        inputs,
        out: options.out,
        ...datasetSummary(data),
        ...(excluded.length > 0
          ? {
              samples: excluded.map((r, k) => ({
                input: inputs[k],
                questions: r.questions,
                excluded: r.excluded,
                kept_unanswerable: r.keptUnanswerable,
                truncated: r.truncated,
                abstentions: r.abstentions,
              })),
            }
          : {}),
      });
    });
}

/** A recorded-outputs folder, or the outputs.jsonl inside one. */
function recordedFolder(input: string): string {
  return fs.existsSync(input) && fs.statSync(input).isFile() && path.basename(input).startsWith('outputs.jsonl') ? path.dirname(input) : input;
}

async function readLmEval(inputs: string[], options: ImportOptions): Promise<Dataset> {
  const files: LmEvalSampleFile[] = [];
  for (const input of inputs) {
    const eq = input.indexOf('=');
    const [model, file] = eq > 0 && !fs.existsSync(input) ? [input.slice(0, eq), input.slice(eq + 1)] : [undefined, input];
    if (!fs.existsSync(file)) throw new DataFormatError('does not exist', { file });
    if (fs.statSync(file).isDirectory()) {
      if (model !== undefined) throw new InputError('<model>=<path> takes a samples file, not a folder', { file });
      files.push(...findLmEvalSampleFiles(file, options.repeatedRuns));
    } else {
      files.push({ model: model ?? path.basename(path.dirname(path.resolve(file))).replace(/__/g, '/'), path: file });
    }
  }
  let data = await readLmEvalSamples(files, {
    ...(options.filter !== undefined ? { filter: options.filter } : {}),
    ...(options.trainFraction !== undefined ? { trainFraction: options.trainFraction } : {}),
  });
  if (options.models) data = data.selectModels(options.models.map((id) => modelIndex(data.models, id, inputs[0])));
  return data;
}

function modelIndex(models: readonly ModelInfo[], id: string, where: string): number {
  const at = models.findIndex((m) => m.id === id);
  if (at < 0) throw new InputError(`unknown model "${id}" (known: ${models.map((m) => m.id).join(', ')})`, { file: where, field: '--models' });
  return at;
}

function concatInputs(parts: Dataset[], inputs: string[]): Dataset {
  const ids = parts[0].models.map((m) => m.id).join(', ');
  parts.forEach((p, k) => {
    const these = p.models.map((m) => m.id).join(', ');
    if (these !== ids) throw new InputError(`has models [${these}] but ${inputs[0]} has [${ids}]; inputs must share their models (use --models)`, { file: inputs[k], field: 'models' });
  });
  const firstInput = new Map<string, number>();
  parts.forEach((p, k) => {
    for (const id of p.queryIds ?? []) {
      const seen = firstInput.get(id);
      if (seen !== undefined && seen !== k) throw new InputError(`query id "${id}" also occurs in ${inputs[seen]}`, { file: inputs[k], field: 'id' });
      firstInput.set(id, k);
    }
  });
  return Dataset.concat(parts);
}
