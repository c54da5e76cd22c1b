import { strict as assert } from 'node:assert';
import { formatDuration, formatRate, Progress } from '../../src/util/progress';

function fakeStream(isTTY: boolean): { write(s: string): void; isTTY: boolean; text: () => string } {
  let text = '';
  return { write: (s) => void (text += s), isTTY, text: () => text };
}

describe('util/progress', () => {
  it('plain mode prints whole lines at most once per interval, and always the final state', () => {
    let now = 0;
    const stream = fakeStream(false);
    const p = new Progress({ label: 'train', total: 10, unit: 'episodes', stream, intervalMs: 1000, now: () => now });
    for (let k = 1; k <= 10; k++) {
      now += 300;
      p.tick(1, `acc=${k / 10}`);
    }
    p.finish();
    const lines = stream.text().trimEnd().split('\n');
    assert.ok(!stream.text().includes('\r'));
    // ticks at 300 ms (first write), 1500, 2700 ms, then the final line at 3000 ms.
    assert.equal(lines.length, 4);
    assert.equal(lines[0], 'train  1/10 episodes (10%)  3.3 episodes/s  ETA 3s  acc=0.1');
    assert.equal(lines[3], 'train  10/10 episodes (100%)  3.3 episodes/s  in 3s  acc=1');
  });

  it('no ETA before 1% of the total is done: a slow first step (set-up work) says nothing about the rest', () => {
    let now = 0;
    const stream = fakeStream(false);
    const p = new Progress({ label: 'train', total: 868, unit: 'episodes', stream, intervalMs: 0, now: () => now });
    now = 26_000;
    p.tick(1);
    assert.ok(Number.isNaN(p.etaSeconds));
    assert.ok(!stream.text().includes('ETA'));
    now = 30_000;
    p.update(9);
    assert.ok(Number.isFinite(p.etaSeconds));
    assert.match(stream.text().trimEnd().split('\n')[1], /ETA /);
  });

  it('plain mode does not repeat the final state when the last update already printed it', () => {
    let now = 0;
    const stream = fakeStream(false);
    const p = new Progress({ label: 'sweep', total: 2, unit: 'cells', stream, intervalMs: 1000, now: () => now });
    now = 1000;
    p.tick(1, 'a');
    now = 2500;
    p.tick(1, 'b');
    p.finish();
    assert.equal(stream.text().trimEnd().split('\n').length, 2);
  });

  it('terminal mode redraws one line with a bar, rate and ETA, and ends it on finish', () => {
    let now = 0;
    const stream = fakeStream(true);
    const p = new Progress({ label: 'sweep', total: 4, unit: 'cells', stream, now: () => now });
    now = 2000;
    p.update(1);
    now = 4000;
    p.update(2);
    p.finish();
    const frames = stream.text().split('\r').filter(Boolean);
    assert.equal(frames.length, 3);
    assert.equal(frames[0], 'sweep [######------------------]  1/4 cells (25%)  2.0 s/cell  ETA 6s\x1b[K');
    assert.ok(frames[2].endsWith('\x1b[K\n'));
  });

  it('unknown total: count and rate only; disabled: writes nothing', () => {
    let now = 0;
    const stream = fakeStream(false);
    const p = new Progress({ label: 'read', unit: 'lines', stream, now: () => now });
    now = 2000;
    p.update(500);
    assert.equal(p.line(), 'read  500 lines  250 lines/s');
    const quiet = fakeStream(false);
    const q = new Progress({ label: 'x', total: 3, stream: quiet, enabled: false });
    q.tick();
    q.finish();
    assert.equal(quiet.text(), '');
  });

  it('formats rates and durations for reading', () => {
    assert.equal(formatRate(0.25, 'episodes'), '4.0 s/episode');
    assert.equal(formatRate(12.34, 'cells'), '12.3 cells/s');
    assert.equal(formatDuration(59.4), '59s');
    assert.equal(formatDuration(185), '3m05s');
    assert.equal(formatDuration(3720), '1h02m');
    assert.equal(formatDuration(NaN), '?');
  });
});
