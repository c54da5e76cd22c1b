import { InputError } from './errors';
import { readJsonFile, type LocatedJson } from './json-input';

/**
 * Config from the command line: a named preset (`--preset`), a JSON file (`--config`), then `--set key=value`
 * overrides, then (in sweeps) the grid's values; each layer overrides the previous one. Keys are dotted paths into the config object (`decider.lr=0.001`); values are JSON when they
 * parse as JSON (numbers, true/false, arrays, objects) and strings otherwise (`preset=bbh`).
 */

export type ConfigObject = Record<string, unknown>;

/** A --config file, kept with the lines of its values so that a rejected value can be located. */
export function readConfigFile(file: string): LocatedJson {
  const json = readJsonFile(file);
  if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    throw json.error([], 'a config file is a JSON object of config keys');
  }
  return json;
}

export function parseSetOption(text: string): [key: string, value: unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`expected key=value, got "${text}"`, { field: '--set' });
  const key = text.slice(0, eq).trim();
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(key)) throw new InputError(`"${key}" is not a config key (letters, digits, _ and dots)`, { field: '--set' });
  const raw = text.slice(eq + 1);
  try {
    return [key, JSON.parse(raw)];
  } catch {
    return [key, raw];
  }
}

function isPlainObject(value: unknown): value is ConfigObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `target` with `value` at the dotted `key`; objects merge member-wise, anything else replaces. */
export function withOverride(target: ConfigObject, key: string, value: unknown): ConfigObject {
  const [head, ...rest] = key.split('.');
  const existing = target[head];
  let next: unknown;
  if (rest.length > 0) next = withOverride(isPlainObject(existing) ? existing : {}, rest.join('.'), value);
  else if (isPlainObject(existing) && isPlainObject(value)) next = Object.entries(value).reduce((acc, [k, v]) => withOverride(acc, k, v), existing);
  else next = value;
  return { ...target, [head]: next };
}

export function withOverrides(target: ConfigObject, overrides: Record<string, unknown> | Array<[string, unknown]>): ConfigObject {
  const entries = Array.isArray(overrides) ? overrides : Object.entries(overrides);
  return entries.reduce((acc, [key, value]) => withOverride(acc, key, value), target);
}

/** The preset (if any), overridden by the `--config` file's values (if any), then by the `--set` overrides in order. */
export function configFromOptions(configFile: LocatedJson | undefined, sets: readonly string[] = [], preset: ConfigObject = {}): ConfigObject {
  return withOverrides(withOverrides(preset, (configFile?.value ?? {}) as ConfigObject), sets.map(parseSetOption));
}
