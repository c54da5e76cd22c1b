import * as fs from 'node:fs';
import type { Command } from 'commander';
import { printSummary, type CliIo } from '../output';
import { checkOutDir } from '../out-dir';
import { buildSweepReport, incompleteWarning, reportCsv, reportFiles, reportMarkdown } from '../sweep/report';
import { SweepStore } from '../../runs/store';
import { writeFileAtomic } from '../../util/atomic';

export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('merge sweep folders (e.g. one per shard) into one table: mean and standard error over seeds per config')
    .argument('<dirs...>', 'sweep output folders of the same sweep')
    .option('--out <dir>', 'where to write report.csv and report.md (default: the first folder)')
    .action((dirs: string[], options: { out?: string }) => {
      if (options.out !== undefined) checkOutDir(options.out);
      const report = buildSweepReport(dirs);
      const manifest = new SweepStore(dirs[0]).readManifest();
      const outDir = options.out ?? dirs[0];
      fs.mkdirSync(outDir, { recursive: true });
      const files = reportFiles(outDir);
      const markdown = reportMarkdown(report, manifest);
      const warning = incompleteWarning(report, manifest.seeds.length);
      if (warning !== undefined) io.stderr.write(`rl-focal report: warning: ${warning}\n`);
      writeFileAtomic(files.csv, reportCsv(report));
      writeFileAtomic(files.md, markdown);
      io.stdout(markdown);
      printSummary(io, {
        command: 'report',
        csv: files.csv,
        md: files.md,
        configs: report.rows.length,
        cells_expected: report.cellsExpected,
        cells_found: report.cellsFound,
        missing: report.cellsExpected - report.cellsFound,
        duplicates: report.duplicates,
        metrics: report.metrics,
        rows: report.rows,
      });
    });
}
