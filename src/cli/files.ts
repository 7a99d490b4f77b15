// File checks done before any reading, so a missing or unreadable file gets a
// one-line message naming it (exit 2) rather than a stack trace.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args.js';

/** Throws a UsageError unless `path` is a readable regular file. `what` names its role ("X", "labels"). */
export function checkReadable(path: string, what: string): void {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${what} file ${path}: no such file`);
    throw new UsageError(`${what} file ${path}: cannot read it (${code ?? (err as Error).message})`);
  }
  if (st.isDirectory()) throw new UsageError(`${what} file ${path}: is a directory, not a file`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UsageError(`${what} file ${path}: cannot read it (permission denied)`);
  }
}

/** Throws a UsageError unless the directory that will hold `path` exists. */
export function checkWritableTarget(path: string, option: string): void {
  const dir = dirname(resolve(path));
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${option} ${path}: directory ${dir} does not exist`);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${option} ${path}: is a directory`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}
