import assert from 'node:assert/strict';
import { TfidfIndex, tokenize } from '../../src/data/text-index';

describe('baselines/text index (TF-IDF)', () => {
  it('tokenizes into lowercase words and adjacent bigrams', () => {
    assert.deepEqual(tokenize('The Cat, sat!'), ['the', 'cat', 'sat', 'the cat', 'cat sat']);
  });

  it('finds a text itself first (cosine 1), ranks by shared rare terms, skips texts sharing nothing', () => {
    const texts = ['photosynthesis in plant cells', 'plant growth and soil', 'interest rates and inflation', 'the plant cells divide'];
    const index = new TfidfIndex(texts, { maxDocFraction: 1 });
    const hits = index.nearest('photosynthesis in plant cells', 3);
    assert.equal(hits[0].doc, 0);
    assert.ok(Math.abs(hits[0].similarity - 1) < 1e-12);
    assert.equal(hits[1].doc, 3, 'shares "plant cells" (a bigram too)');
    assert.ok(!hits.some((h) => h.doc === 2));
    assert.deepEqual(index.nearest('photosynthesis', 5, 0), [], 'excluding itself, nothing else shares the term');
  });
});
