// File checks done before any reading or computing, so a missing, unreadable or
// unwritable file gets a one-line message naming it (exit 2) rather than a stack
// trace, a hang, or an error after minutes of work.
import { accessSync, closeSync, constants, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args.js';

/** Throws a UsageError unless `path` is a readable regular file. `what` names its role ("X", "labels"). */
export function checkReadable(path: string, what: string): void {
  let st;
  try {
    st = statSync(path); // follows symlinks: a .csv link to /dev/zero is a device
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${what} file ${path}: no such file`);
    throw new UsageError(`${what} file ${path}: cannot read it (${code ?? (err as Error).message})`);
  }
  if (st.isDirectory()) throw new UsageError(`${what} file ${path}: is a directory, not a file`);
  if (!st.isFile()) {
    // A device never ends (/dev/zero) and a FIFO without a writer blocks the open: refuse both unread.
    const kind = st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device'
      : st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : 'a special file';
    throw new UsageError(`${what} file ${path}: is ${kind}, not a regular file; save the data to a file and pass that`);
  }
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UsageError(`${what} file ${path}: cannot read it (permission denied)`);
  }
}

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    case 'ENOENT': return 'cannot create a file there';
    default: return code ?? (err as Error).message;
  }
}

/**
 * Throws a UsageError unless `path` can be written: its directory exists and a file can
 * really be opened for writing there. Permission bits alone do not tell (root ignores
 * them; read-only mounts and /proc refuse anyway), so this opens the file: an existing
 * one in append mode (its content is untouched), a new one exclusively, removed again.
 */
export function checkWritableTarget(path: string, option: string): void {
  const dir = dirname(resolve(path));
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${option} ${path}: directory ${dir} does not exist`);
  let exists = false;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`${option} ${path}: is a directory`);
    exists = true;
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
  let fd: number;
  try {
    fd = openSync(path, exists ? constants.O_WRONLY | constants.O_APPEND | (constants.O_NONBLOCK ?? 0) : 'wx');
  } catch (err) {
    throw new UsageError(`${option} ${path}: cannot write it (${why(err)})`);
  }
  closeSync(fd);
  if (!exists) {
    try {
      unlinkSync(path);
    } catch {
      // Written over at the end anyway.
    }
  }
}
