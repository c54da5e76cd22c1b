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

  it('rejects a line longer than maxLineBytes with the file and the line, before buffering it whole', async () => {
    const file = path.join(dir, 'long.jsonl');
    fs.writeFileSync(file, '{"a":1}\n{"b":2}\n' + 'x'.repeat(200_000));
    const seen: number[] = [];
    await assert.rejects(forEachLine(file, (_text, line) => seen.push(line), { maxLineBytes: 50_000 }), (error: Error) => {
      assert.equal(error.name, 'DataFormatError');
      assert.equal(error.message, `${file}:3: line is longer than 50000 bytes (is this a JSONL file?)`);
      return true;
    });
    assert.deepEqual(seen, [1, 2]);
    // Under the limit the same content reads.
    assert.equal(await forEachLine(file, () => {}, { maxLineBytes: 300_000 }), 3);
  });

  it('reports an unreadable file as permission denied, not as missing', async function () {
    const file = path.join(dir, 'locked.jsonl');
    fs.writeFileSync(file, '{}\n');
    fs.chmodSync(file, 0o000);
    // root reads any file whatever its mode: the binary case in test/cli/faults.test.ts runs as another user instead.
    if (process.getuid?.() === 0) this.skip();
    await assert.rejects(forEachLine(file, () => {}), /locked\.jsonl: permission denied/);
  });
});
