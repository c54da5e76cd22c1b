import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CellClaims } from '../../src/runs/claims';
import { SweepStore } from '../../src/runs/store';

describe('runs/claims: the cells one run holds in a sweep store', () => {
  const storeIn = () => {
    const store = new SweepStore(fs.mkdtempSync(path.join(os.tmpdir(), 'claims-')));
    fs.mkdirSync(store.cellsDir, { recursive: true });
    return store;
  };
  const claimFiles = (store: SweepStore) => fs.readdirSync(store.cellsDir).filter((f) => f.endsWith('.claim')).sort();

  it('holds what it takes, leaves what another live run holds, counts what another run finished', () => {
    const store = storeIn();
    // Another live process on this host (the parent of this test process) holds cell c; cell d is finished.
    fs.writeFileSync(store.claimFile('c'), JSON.stringify({ pid: process.ppid, host: os.hostname(), time: new Date().toISOString() }) + '\n');
    fs.writeFileSync(store.cellFile('d'), '{}\n');
    const claims = new CellClaims(store);
    assert.equal(claims.take('a'), true);
    assert.equal(claims.take('b'), true);
    assert.equal(claims.take('c'), false);
    assert.equal(claims.take('d'), false);
    assert.deepEqual(claims.elsewhere, ['c']);
    assert.equal(claims.finishedMeanwhile, 1);
    claims.release('a');
    assert.deepEqual(claimFiles(store), ['b.claim', 'c.claim']);
  });

  it('releaseAll frees only its own claims (an interrupted run in a live notebook kernel)', () => {
    const store = storeIn();
    fs.writeFileSync(store.claimFile('c'), JSON.stringify({ pid: process.ppid, host: os.hostname(), time: new Date().toISOString() }) + '\n');
    const claims = new CellClaims(store);
    claims.take('a');
    claims.take('b');
    claims.take('c');
    claims.releaseAll();
    assert.deepEqual(claimFiles(store), ['c.claim']);
    // The same process can take them again: nothing is mistaken for another run's.
    const again = new CellClaims(store);
    assert.equal(again.take('a'), true);
    assert.equal(again.take('b'), true);
  });
});
