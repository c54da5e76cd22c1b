import type { BenchmarkReport, BenchmarkRow } from './report';

const percentText = (x: number) => `${(100 * x).toFixed(2)} %`;
const signed = (d: number) => `${d >= 0 ? '+' : '−'}${(100 * Math.abs(d)).toFixed(2)} points`;
const withSe = (r: BenchmarkRow) => (Number.isFinite(r.accuracySe) ? `${percentText(r.accuracy)} ± ${(100 * r.accuracySe).toFixed(2)}` : percentText(r.accuracy));

/**
 * One sentence per pool, built from the report's numbers: the most accurate deployable method, the best single
 * model chosen on train, the kNN router and the recent leader (the two one-call routers reading the question text and the
 * recent stream), and RL-Focal against the best single model and against the best static
 * vote team allowed at least as many calls as RL-Focal spent ("at equal calls": the smallest budget k >= its mean
 * calls per query). Of that budget's plurality and soft teams the sentence names the one better on test: a bound
 * for the comparison, not a method chosen on train (the table lists both).
 */
export function benchmarkFindings(report: BenchmarkReport): string[] {
  const lines: string[] = [];
  for (const pool of report.pools) {
    const rows = report.rows.filter((r) => r.pool === pool.pool);
    const deployable = rows.filter((r) => !r.reference);
    if (deployable.length === 0) continue;
    const top = deployable.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    const single = rows.find((r) => r.method === 'best single (chosen on train)');
    const knn = rows.find((r) => r.family === 'knn-router');
    const rl = rows.find((r) => r.family === 'rl-focal');
    const parts = [`${pool.pool} (${pool.nModels} models, ${pool.testQueries} test questions, real outputs): most accurate method ${top.method} at ${withSe(top)} with ${top.callsPerQuery.toFixed(2)} calls per query`];
    if (single) parts.push(`best single model (chosen on train) ${percentText(single.accuracy)}`);
    if (knn && single) parts.push(`kNN router ${percentText(knn.accuracy)} (${signed(knn.accuracy - single.accuracy)} vs best single, 1 call)`);
    const leader = rows.find((r) => r.family === 'window-leader');
    if (leader && single) parts.push(`recent leader ${percentText(leader.accuracy)} (${signed(leader.accuracy - single.accuracy)} vs best single, 1 call)`);
    if (rl) {
      let s = `${rl.method} ${withSe(rl)} at ${rl.callsPerQuery.toFixed(2)} calls per query`;
      if (single) s += ` (${signed(rl.accuracy - single.accuracy)} vs best single)`;
      const budgets = rows
        .filter((r) => r.family === 'budget-team')
        .map((r) => ({ r, k: Number(/<= (\d+)/.exec(r.method)?.[1]) }))
        .filter((b) => b.k >= rl.callsPerQuery - 1e-9);
      if (budgets.length > 0) {
        const k = Math.min(...budgets.map((b) => b.k));
        const atK = budgets.filter((b) => b.k === k).map((b) => b.r);
        const better = atK.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
        s += `; the best vote team of <= ${k} models (chosen on train) reaches ${percentText(better.accuracy)} (${signed(rl.accuracy - better.accuracy)} for RL-Focal at equal or fewer calls)`;
      }
      parts.push(s);
    }
    parts.push(`AIQ over calls ${percentText(pool.aiqCalls)}`);
    lines.push(parts.join('; ') + '.');
  }
  return lines;
}
