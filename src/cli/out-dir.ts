import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';

/**
 * Checks an output folder before any work is done, so that a long computation does not end in a refusal to write:
 * an existing file is not a folder; a folder that already holds files is refused when the command replaces the
 * folder as a whole (`replaces`) unless `force`; the nearest existing ancestor must be writable.
 */
export function checkOutDir(out: string, options: { replaces?: boolean; force?: boolean; field?: string } = {}): void {
  const field = options.field ?? '--out';
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(out);
  } catch {
    stat = undefined;
  }
  if (stat !== undefined && !stat.isDirectory()) throw new InputError('is a file; it must be a folder (or a path that does not exist yet)', { file: out, field });
  if (stat !== undefined && options.replaces && !options.force && fs.readdirSync(out).length > 0) {
    throw new InputError('already holds files (of an earlier run?); pass --force to replace the folder, or choose another', { file: out, field });
  }
  let existing = path.resolve(out);
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) throw new InputError(`${existing} is a file, so no folder can be made under it`, { file: out, field });
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch {
    throw new InputError(`cannot write into ${existing} (permission denied)`, { file: out, field });
  }
}
