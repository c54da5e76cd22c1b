import * as fs from 'node:fs';
import { InputError } from './errors';

/**
 * JSON files given on the command line (metrics input, --config, --grid), parsed with the line of every value
 * remembered, so that a validation error can say "metrics.json:7: field predictions[5]" instead of only "row 5".
 * JSON.parse gives neither the line of a syntax error on every Node version nor the line of a value at all.
 */

export type JsonPath = ReadonlyArray<string | number>;

/** Line of a value, with the lines of its items (arrays) or members (objects). */
interface LineNode {
  line: number;
  items?: Array<LineNode | number>;
  members?: Map<string, LineNode | number>;
}

export class LocatedJson {
  constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly root: LineNode,
  ) {}

  /** 1-based line where the value at `path` starts; the nearest existing ancestor's line when the path is absent. */
  lineOf(path: JsonPath): number {
    let node: LineNode | number = this.root;
    for (const key of path) {
      if (typeof node === 'number') return node;
      const next: LineNode | number | undefined =
        typeof key === 'number' ? node.items?.[key] : node.members?.get(key);
      if (next === undefined) return node.line;
      node = next;
    }
    return typeof node === 'number' ? node : node.line;
  }

  /** An InputError located at `path` (file, line and the path written as a field name). */
  error(path: JsonPath, message: string): InputError {
    return new InputError(message, { file: this.file, line: this.lineOf(path), field: formatPath(path) });
  }
}

/** `predictions[3][1]`, `train.alpha`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out === '' ? '(document)' : out;
}

export function readJsonFile(file: string): LocatedJson {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a JSON file' : String(error), { file });
  }
  return parseLocatedJson(text, file);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

export function parseLocatedJson(text: string, file: string): LocatedJson {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  const fail = (message: string): never => {
    throw new InputError(`invalid JSON: ${message}`, { file, line });
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      pos++;
    }
  };
  const describe = (): string => (pos >= text.length ? 'end of file' : `'${text[pos]}'`);
  const token = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = pos;
    const match = pattern.exec(text);
    if (!match) return undefined;
    pos += match[0].length;
    return match[0];
  };

  const parseValue = (): { value: unknown; node: LineNode | number } => {
    skipSpace();
    const startLine = line;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const value: Record<string, unknown> = {};
      const members = new Map<string, LineNode | number>();
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { value, node: { line: startLine, members } };
      }
      for (;;) {
        skipSpace();
        const key = token(STRING);
        if (key === undefined) fail(`expected a quoted member name, found ${describe()}`);
        skipSpace();
        if (text[pos] !== ':') fail(`expected ':' after member name ${key}, found ${describe()}`);
        pos++;
        const member = parseValue();
        const name = JSON.parse(key!) as string;
        // An own property even for "__proto__", as JSON.parse makes it (plain assignment would set the prototype).
        Object.defineProperty(value, name, { value: member.value, enumerable: true, writable: true, configurable: true });
        members.set(name, member.node);
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { value, node: { line: startLine, members } };
        }
        fail(`expected ',' or '}' in object, found ${describe()}`);
      }
    }
    if (c === '[') {
      pos++;
      const value: unknown[] = [];
      const items: Array<LineNode | number> = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { value, node: { line: startLine, items } };
      }
      for (;;) {
        const item = parseValue();
        value.push(item.value);
        items.push(item.node);
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { value, node: { line: startLine, items } };
        }
        fail(`expected ',' or ']' in array, found ${describe()}`);
      }
    }
    if (c === '"') {
      const raw = token(STRING);
      if (raw === undefined) fail('unterminated string or invalid escape');
      return { value: JSON.parse(raw!), node: startLine };
    }
    const literal = token(LITERAL);
    if (literal !== undefined) return { value: literal === 'null' ? null : literal === 'true', node: startLine };
    const number = token(NUMBER);
    if (number !== undefined) return { value: Number(number), node: startLine };
    return fail(`unexpected ${describe()}`);
  };

  skipSpace();
  if (pos >= text.length) fail('the file is empty');
  const { value, node } = parseValue();
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe()} after the end of the document`);
  return new LocatedJson(file, value, typeof node === 'number' ? { line: node } : node);
}
