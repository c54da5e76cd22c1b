/**
 * `npm run bench`: runs every bench/<name>.ts module (each exports `run()`), in name order, or only those named
 * on the command line (`npm run bench -- metrics rl`). Each module prints its own timings and the ratio against a
 * naive or reference implementation measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const modules = readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'main.ts')
    .map((f) => basename(f, '.ts'))
    .filter((name) => wanted.length === 0 || wanted.includes(name))
    .sort();
  if (modules.length === 0) throw new Error(`no bench module matches ${wanted.join(', ')}`);
  for (const name of modules) {
    console.log(`\n== bench/${name}`);
    const started = performance.now();
    const mod = (await import(join(__dirname, `${name}.ts`))) as { run: () => Promise<void> };
    await mod.run();
    console.log(`-- bench/${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
