/**
 * TF-IDF vectors of short texts and a cosine-similarity nearest-neighbour search over them, in plain TypeScript
 * (no downloaded model). Terms are lowercased word unigrams and adjacent-word bigrams (split on anything that is
 * not a letter or digit). Weights are sublinear: (1 + ln tf) * idf, idf = ln((1 + n) / (1 + df)) + 1 over the
 * indexed texts; vectors are L2-normalised, so a dot product is the cosine. Terms found in more than
 * `maxDocFraction` of the indexed texts are dropped: stop words carry no topic and make the postings long.
 * The search walks an inverted index (postings per term), so it only touches texts sharing a term with the query.
 */

export interface SparseVector {
  /** Term ids, in order of first occurrence in the text. */
  terms: Int32Array;
  /** Weights aligned with `terms`, L2 norm 1 (or empty). */
  weights: Float64Array;
}

export function tokenize(text: string): string[] {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  const terms = words.slice();
  for (let k = 0; k + 1 < words.length; k++) terms.push(`${words[k]} ${words[k + 1]}`);
  return terms;
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of tokenize(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

export interface TextIndexOptions {
  /** Terms in more than this fraction of the indexed texts are dropped (default 0.5). */
  maxDocFraction?: number;
}

export interface Neighbour {
  /** Position of the indexed text (order of `texts` given to the constructor). */
  doc: number;
  similarity: number;
}

export class TfidfIndex {
  readonly size: number;
  private readonly vocabulary = new Map<string, number>();
  private readonly idf: Float64Array;
  private readonly offsets: Int32Array;
  private readonly postingDocs: Int32Array;
  private readonly postingWeights: Float64Array;
  private readonly scores: Float64Array;

  constructor(texts: readonly string[], options: TextIndexOptions = {}) {
    const maxFraction = options.maxDocFraction ?? 0.5;
    this.size = texts.length;
    const counts = texts.map(termCounts);
    const df = new Map<string, number>();
    for (const c of counts) for (const term of c.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const n = texts.length;
    const idf: number[] = [];
    const postingLength: number[] = [];
    // Term ids in order of first appearance: deterministic for the same texts.
    for (const [term, d] of df) {
      if (d > maxFraction * n && n > 1) continue;
      this.vocabulary.set(term, idf.length);
      idf.push(Math.log((1 + n) / (1 + d)) + 1);
      postingLength.push(d);
    }
    this.idf = Float64Array.from(idf);
    // Postings in one flat (CSR) layout: term j's entries are [offsets[j], offsets[j + 1]); a posting's length is
    // the term's document frequency, known before filling.
    const offsets = new Int32Array(idf.length + 1);
    for (let j = 0; j < idf.length; j++) offsets[j + 1] = offsets[j] + postingLength[j];
    const docs = new Int32Array(offsets[idf.length]);
    const weights = new Float64Array(offsets[idf.length]);
    const cursor = offsets.slice(0, idf.length);
    counts.forEach((c, doc) => {
      const v = this.vectorOfCounts(c);
      for (let k = 0; k < v.terms.length; k++) {
        const at = cursor[v.terms[k]]++;
        docs[at] = doc;
        weights[at] = v.weights[k];
      }
    });
    this.offsets = offsets;
    this.postingDocs = docs;
    this.postingWeights = weights;
    this.scores = new Float64Array(n);
  }

  get vocabularySize(): number {
    return this.idf.length;
  }

  /** The TF-IDF vector of a text under this index's vocabulary (unknown terms are ignored). */
  vector(text: string): SparseVector {
    return this.vectorOfCounts(termCounts(text));
  }

  private vectorOfCounts(counts: Map<string, number>): SparseVector {
    const terms = new Int32Array(counts.size);
    const weights = new Float64Array(counts.size);
    let m = 0;
    let norm = 0;
    for (const [term, tf] of counts) {
      const id = this.vocabulary.get(term);
      if (id === undefined) continue;
      const w = (1 + Math.log(tf)) * this.idf[id];
      terms[m] = id;
      weights[m++] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < m; k++) weights[k] /= norm;
    return { terms: terms.subarray(0, m), weights: weights.subarray(0, m) };
  }

  /**
   * The k indexed texts most similar to `text` (cosine), best first, ties -> lower position; only texts sharing at
   * least one term (similarity > 0) are returned, so there may be fewer than k. `exclude` skips one position
   * (a text's own entry, for leave-one-out use).
   */
  nearest(text: string, k: number, exclude = -1): Neighbour[] {
    const v = this.vector(text);
    const scores = this.scores;
    const touched: number[] = [];
    const docs = this.postingDocs;
    const ws = this.postingWeights;
    for (let a = 0; a < v.terms.length; a++) {
      const w = v.weights[a];
      for (let b = this.offsets[v.terms[a]], end = this.offsets[v.terms[a] + 1]; b < end; b++) {
        const d = docs[b];
        if (scores[d] === 0) touched.push(d);
        scores[d] += w * ws[b];
      }
    }
    // Top k by insertion into a short sorted list.
    const top: Neighbour[] = [];
    for (const doc of touched) {
      const s = scores[doc];
      scores[doc] = 0;
      if (doc === exclude || !(s > 0)) continue;
      if (top.length === k && !better(s, doc, top[k - 1])) continue;
      let at = top.length;
      while (at > 0 && better(s, doc, top[at - 1])) at--;
      top.splice(at, 0, { doc, similarity: s });
      if (top.length > k) top.pop();
    }
    return top;
  }
}

function better(similarity: number, doc: number, than: Neighbour): boolean {
  return similarity > than.similarity || (similarity === than.similarity && doc < than.doc);
}
