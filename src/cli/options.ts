import { InvalidArgumentError } from 'commander';

/** Options of the program itself, accepted before or after the command name. */
export interface GlobalOptions {
  debug?: boolean;
  quiet?: boolean;
}

/** Option parsers for commander: they reject bad values with a message commander prints as a usage error. */

export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidArgumentError(`expected an integer, got "${text}"`);
    if (value < min || value > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `must be >= ${min}` : `must be between ${min} and ${max}`);
    }
    return value;
  };
}

/** `a,b,c` -> ['a', 'b', 'c'] (empty items rejected). */
export function listOption(text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError(`expected a comma-separated list, got "${text}"`);
  return items;
}

/** Like `listOption`, and an item listed twice is an error (`--models m1,m1` would duplicate a model's column). */
export function uniqueListOption(text: string): string[] {
  const items = listOption(text);
  const twice = items.find((item, k) => items.indexOf(item) !== k);
  if (twice !== undefined) throw new InvalidArgumentError(`"${twice}" is listed twice`);
  return items;
}

/** Largest seed: random streams take seeds modulo 2^32, so a larger one would repeat a smaller one's run. */
export const MAX_SEED = 2 ** 32 - 1;

/** For repeatable options (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function choiceOption<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(choices as readonly string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${text}"`);
    return text as T;
  };
}
