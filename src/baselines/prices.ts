import type { Dataset, ModelInfo } from '../data/dataset';

/** DeepInfra prices in US cents per call, paper Table 8 (spec §3); the key is matched inside model ids. */
export const PAPER_PRICES_CENTS: Readonly<Record<string, number>> = {
  'llama-2-13b': 0.08,
  'llama-2-70b': 0.63,
  'llama-2-7b': 0.09,
  'mistral-7b': 0.085,
  'mixtral-8x7b': 0.48,
  'gemma-2b': 0.11,
  'gemma-7b': 0.13,
  'phi-2': 0.08,
};

export const PAPER_PRICE_SOURCE = 'paper Table 8 (DeepInfra)';

/** The Table 8 key found in a model id (case-insensitive substring; the longest key wins), or undefined. */
export function paperPriceKey(modelId: string): string | undefined {
  const id = modelId.toLowerCase();
  let best: string | undefined;
  for (const key of Object.keys(PAPER_PRICES_CENTS)) {
    if (id.includes(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best;
}

/**
 * The dataset with Table 8 prices filled in by model id. A model that matches no Table 8 entry keeps the price it
 * already had; without one its price becomes NaN (source says so), so any cost that calls it is NaN, never free.
 */
export function withPaperPrices(dataset: Dataset): Dataset {
  const models: ModelInfo[] = dataset.models.map((m) => {
    const key = paperPriceKey(m.id);
    if (key !== undefined) return { ...m, priceCents: PAPER_PRICES_CENTS[key], priceSource: `${PAPER_PRICE_SOURCE}: ${key}` };
    if (m.priceCents !== undefined && Number.isFinite(m.priceCents)) return { ...m };
    return { ...m, priceCents: NaN, priceSource: 'no price: not in paper Table 8' };
  });
  return dataset.withModels(models);
}
