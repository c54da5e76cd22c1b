import * as presets from '../train/presets';
import type { ConfigObject } from './config-input';
import { InputError } from './errors';

/** Named configurations of src/train/presets.ts, by their exported names (`--preset authorsCodeBbh`). */
export const PRESET_NAMES: readonly string[] = Object.keys(presets).filter((name) => {
  const value = (presets as Record<string, unknown>)[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value);
});

export function presetConfig(name: string): ConfigObject {
  if (!PRESET_NAMES.includes(name)) throw new InputError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`, { field: '--preset' });
  return { ...(presets as unknown as Record<string, ConfigObject>)[name] };
}
