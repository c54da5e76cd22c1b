import * as presets from '../train/presets';
import type { ConfigObject } from './config-input';
import { InputError } from './errors';

/**
 * Named configurations of src/train/presets.ts, by their exported names (`--preset authorsCodeBbh`). Tables of
 * settings keyed by dataset (`authorsDatasetSettings`, every value an object) are not configurations themselves.
 */
export const PRESET_NAMES: readonly string[] = Object.keys(presets).filter((name) => {
  const value = (presets as Record<string, unknown>)[name];
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(value) && !Object.values(value as object).every(isObject);
});

export function presetConfig(name: string): ConfigObject {
  if (!PRESET_NAMES.includes(name)) throw new InputError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`, { field: '--preset' });
  return { ...(presets as unknown as Record<string, ConfigObject>)[name] };
}
