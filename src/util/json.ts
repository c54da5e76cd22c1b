/**
 * JSON.stringify replacer: non-finite numbers -> null (JSON has no NaN or Infinity, and a missing price makes a
 * cost NaN, a single seed a standard error NaN: that must not produce unparsable output), typed arrays -> plain
 * arrays.
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** JSON text with `jsonReplacer` (NaN and Infinity as null). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, jsonReplacer, indent);
}
