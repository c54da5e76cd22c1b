import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pairedSignTest, signTestTwoSided, signTestUpper } from '../../src/eval/paired-sign-test';

describe('eval: paired sign test', () => {
  it('counts the queries exactly one pass answers right', () => {
    const t = pairedSignTest(Uint8Array.of(1, 1, 0, 0, 1, 1), Uint8Array.of(1, 0, 1, 0, 0, 0));
    assert.deepEqual([t.wins, t.losses], [3, 1]);
    assert.ok(Math.abs(t.p - 5 / 16) < 1e-12, 'P(X >= 3 | n = 4) = (4 + 1) / 16');
  });

  it('signTestUpper is the binomial(n, 1/2) upper tail, exact on small n', () => {
    const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (n, k0) => {
        const k = Math.min(k0, n);
        let tail = 0;
        for (let j = k; j <= n; j++) tail += choose(n, j);
        assert.ok(Math.abs(signTestUpper(k, n) - tail / 2 ** n) < 1e-12);
      }),
    );
    assert.equal(signTestUpper(0, 0), 1, 'no differing answer: no evidence');
  });

  it('signTestTwoSided: symmetric, 1 on a tie, twice the larger tail', () => {
    fc.assert(fc.property(fc.nat(60), fc.nat(60), (w, l) => assert.equal(signTestTwoSided(w, l), signTestTwoSided(l, w))));
    assert.equal(signTestTwoSided(7, 7), 1);
    assert.equal(signTestTwoSided(0, 0), 1);
    assert.ok(Math.abs(signTestTwoSided(10, 0) - 2 / 1024) < 1e-15);
    assert.ok(Math.abs(signTestTwoSided(1, 3) - 2 * (5 / 16)) < 1e-12);
  });

  it('refuses passes over different queries', () => {
    assert.throws(() => pairedSignTest(Uint8Array.of(1), Uint8Array.of(1, 0)), /same queries/);
  });
});
