import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * Writes that an interruption (Ctrl-C, kill -9, a full disk) cannot leave half done: readers see the old state or
 * the complete new one. Everything is written under a temporary name next to its destination (same file system,
 * so the final rename is atomic) and fsynced before it is renamed into place.
 */

let tempCounter = 0;

/** A name next to `target` that no other writer (process, worker thread, earlier call) uses. */
function tempSibling(target: string, suffix: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${threadId}.${tempCounter++}.${suffix}`);
}

/** Write `data` to `file` so that readers see either the old file or the complete new one, never a prefix. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = tempSibling(file, 'tmp');
  try {
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Present in a folder while `writeFolderAtomic` moves finished files into it (it lists them). A reader that finds
 * it knows the folder may hold a mix of old and new files and must refuse it.
 */
export const WRITING_MARKER = '.rl-focal-writing';

/**
 * Writes a folder made of several files: `fill(temp)` writes them into a fresh temporary folder next to `dir`, and
 * only once it has returned do they replace anything. A missing or empty `dir` is replaced by one rename (atomic).
 * Into an existing folder the files are renamed one by one under the `WRITING_MARKER` (no portable call swaps two
 * folders); the old files stay intact for as long as the new ones are being written, and other files in `dir` are
 * kept. If `fill` throws, nothing in `dir` has changed.
 */
export function writeFolderAtomic(dir: string, fill: (temp: string) => void): void {
  fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const temp = tempSibling(path.resolve(dir), 'partial');
  fs.mkdirSync(temp);
  try {
    fill(temp);
    const names = fs.readdirSync(temp);
    for (const name of names) fsyncFile(path.join(temp, name));
    if (!fs.existsSync(dir) || (fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length === 0)) {
      fs.renameSync(temp, dir);
      return;
    }
    const marker = path.join(dir, WRITING_MARKER);
    writeFileAtomic(marker, names.join('\n') + '\n');
    for (const name of names) fs.renameSync(path.join(temp, name), path.join(dir, name));
    fs.rmSync(marker);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a folder that replaces `dir` as a whole (a run's outputs, where old files must not mix with new ones):
 * `fill(temp)` writes a fresh temporary folder next to `dir`; only once it has returned is the old `dir` (if any)
 * moved aside and the new one renamed into place, then the old one removed. If `fill` throws, `dir` is untouched.
 */
export function replaceFolderAtomic(dir: string, fill: (temp: string) => void): void {
  const { target, temp } = startReplace(dir);
  try {
    fill(temp);
    finishReplace(target, temp);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** `replaceFolderAtomic` with an asynchronous `fill` (e.g. seeds run through the job engine). */
export async function replaceFolderAtomicAsync(dir: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const { target, temp } = startReplace(dir);
  try {
    await fill(temp);
    finishReplace(target, temp);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

function startReplace(dir: string): { target: string; temp: string } {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempSibling(target, 'partial');
  fs.mkdirSync(temp);
  return { target, temp };
}

/** Syncs the filled temporary folder, then swaps it in for `target` (the old one moved aside, then removed). */
function finishReplace(target: string, temp: string): void {
  for (const file of filesUnder(temp)) fsyncFile(file);
  if (!fs.existsSync(target)) {
    fs.renameSync(temp, target);
    return;
  }
  const old = tempSibling(target, 'old');
  fs.renameSync(target, old);
  fs.renameSync(temp, target);
  fs.rmSync(old, { recursive: true, force: true });
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}
