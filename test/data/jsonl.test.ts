import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { forEachLine } from '../../src/data/jsonl';

describe('data/jsonl', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-jsonl-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rejects a truncated .gz file with a DataFormatError naming the file (not an unhandled stream error)', async () => {
    const text = Array.from({ length: 20000 }, (_, k) => JSON.stringify({ line: k, pad: 'x'.repeat(k % 50) })).join('\n');
    const whole = gzipSync(text);
    const file = path.join(dir, 'outputs.jsonl.gz');
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    await assert.rejects(forEachLine(file, () => {}), (error: Error) => {
      assert.equal(error.name, 'DataFormatError');
      assert.match(error.message, /outputs\.jsonl\.gz: cannot (read|decompress): unexpected end of file/);
      return true;
    });
  });
});
