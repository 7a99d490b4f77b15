// File checks done before any reading or computing, so a missing, unreadable or
// unwritable file gets a one-line message naming it (exit 2) rather than a stack
// trace, a hang, or an error after minutes of work.
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { escapeUnsafe } from '../io/quote.js';
import { UsageError } from './args.js';

/** A path as messages show it: a name with control characters cannot drive the terminal. */
const shown = escapeUnsafe;

/** Throws a UsageError unless `path` is a readable regular file. `what` names its role ("X", "labels"). */
export function checkReadable(path: string, what: string): void {
  let st: Stats;
  try {
    st = statSync(path); // follows symlinks: a .csv link to /dev/zero is a device
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${what} file ${shown(path)}: no such file`);
    throw new UsageError(`${what} file ${shown(path)}: cannot read it (${code ?? (err as Error).message})`);
  }
  if (st.isDirectory()) throw new UsageError(`${what} file ${shown(path)}: is a directory, not a file`);
  if (!st.isFile()) {
    // A device never ends (/dev/zero) and a FIFO without a writer blocks the open: refuse both unread.
    const kind = st.isCharacterDevice()
      ? 'a character device'
      : st.isBlockDevice()
        ? 'a block device'
        : st.isFIFO()
          ? 'a named pipe (FIFO)'
          : st.isSocket()
            ? 'a socket'
            : 'a special file';
    throw new UsageError(`${what} file ${shown(path)}: is ${kind}, not a regular file; save the data to a file and pass that`);
  }
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UsageError(`${what} file ${shown(path)}: cannot read it (permission denied)`);
  }
}

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'cannot create a file there';
    default:
      return code ?? (err as Error).message;
  }
}

/**
 * The file a write to `path` lands in: through a symlink to its target (as a plain write
 * would go), else `path` itself; the directory part resolved by realpath where it exists.
 */
function writeTarget(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(p).isSymbolicLink()) break;
      link = readlinkSync(p);
    } catch {
      break;
    }
    p = resolve(dirname(p), link);
  }
  try {
    return join(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

/** What makes two paths one file: the resolved path, and for an existing file its device and inode (hard links). */
interface FileIdentity {
  path: string;
  dev?: number;
  ino?: number;
}

function identity(path: string): FileIdentity {
  const target = writeTarget(path);
  try {
    const st = statSync(target);
    return { path: target, dev: st.dev, ino: st.ino };
  } catch {
    return { path: target };
  }
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.path === b.path || (a.ino !== undefined && a.dev === b.dev && a.ino === b.ino);
}

/** A file the command reads or writes: `role` names it in messages ("X", "--labels", "--out"). */
export interface NamedFile {
  role: string;
  path: string;
}

/**
 * Throws a UsageError if an output is the same file as an input or as another output,
 * after symlinks and hard links: `--out x.npy` must not replace the embedding it reads.
 * Checked before any reading or computing.
 */
export function checkDistinctOutputs(outputs: readonly NamedFile[], inputs: readonly NamedFile[]): void {
  const ins = inputs.map((f) => ({ ...f, id: identity(f.path) }));
  const outs = outputs.map((f) => ({ ...f, id: identity(f.path) }));
  outs.forEach((o, i) => {
    const clash = ins.find((f) => sameFile(o.id, f.id)) ?? outs.slice(0, i).find((f) => sameFile(o.id, f.id));
    if (clash) {
      throw new UsageError(`${o.role} ${shown(o.path)} is the same file as ${clash.role} (${shown(clash.path)}); choose another output path`);
    }
  });
}

/** A temporary name in `dir`: short (a long output name must not push it past NAME_MAX) and hidden. */
function temporaryName(dir: string): string {
  return join(dir, `.spec-embed-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Throws a UsageError unless `path` can be written: its directory exists and a file can
 * really be created there (the output is written to a temporary file beside it and
 * renamed), and an existing file is writable. Permission bits alone do not tell (root
 * ignores them; read-only mounts and /proc refuse anyway), so this opens files: an
 * existing one in append mode (its content is untouched), a new temporary one, removed again.
 */
export function checkWritableTarget(path: string, option: string): void {
  const target = writeTarget(path);
  const dir = dirname(target);
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${option} ${shown(path)}: directory ${shown(dir)} does not exist`);
  let regular = true,
    exists = false;
  try {
    const st = statSync(target);
    if (st.isDirectory()) throw new UsageError(`${option} ${shown(path)}: is a directory`);
    exists = true;
    regular = st.isFile();
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
  const probes = exists ? [target] : [];
  if (regular) probes.push(temporaryName(dir));
  for (const probe of probes) {
    let fd: number;
    try {
      fd = probe === target ? openSync(probe, constants.O_WRONLY | constants.O_APPEND | (constants.O_NONBLOCK ?? 0)) : openSync(probe, 'wx');
    } catch (err) {
      throw new UsageError(`${option} ${shown(path)}: cannot write it (${why(err)})`);
    }
    closeSync(fd);
    if (probe !== target) {
      try {
        unlinkSync(probe);
      } catch {
        // Nothing to undo.
      }
    }
  }
}

/**
 * Writes an output file whole or not at all: to a temporary file in the same directory,
 * flushed, then renamed over `path`, so an interrupted or failed run leaves any earlier
 * file as it was and never a half-written report or map. An existing file keeps its
 * permission bits; a write through a symlink replaces the link's target. A target that
 * is not a regular file (/dev/stdout, a FIFO) cannot be renamed over and is written directly.
 */
export function writeOutput(path: string, data: string | Uint8Array, what: string): void {
  const target = writeTarget(path);
  let st: Stats | undefined;
  try {
    st = statSync(target);
  } catch {
    st = undefined; // a new file
  }
  if (st && !st.isFile()) {
    let fd: number;
    try {
      fd = openSync(target, constants.O_WRONLY | constants.O_APPEND);
    } catch (err) {
      throw new UsageError(`cannot write ${what} ${shown(path)} (${why(err)})`);
    }
    writeAll(fd, data, path, what);
    return;
  }
  const mode = st ? st.mode & 0o7777 : undefined;
  const tmp = temporaryName(dirname(target));
  try {
    writeAll(openSync(tmp, 'wx', mode ?? 0o666), data, path, what, true);
    if (mode !== undefined) chmodSync(tmp, mode); // the umask applied at open
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Never created.
    }
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot write ${what} ${shown(path)} (${why(err)})`);
  }
}

function writeAll(fd: number, data: string | Uint8Array, path: string, what: string, sync = false): void {
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    if (sync) fsyncSync(fd);
  } catch (err) {
    throw new UsageError(`cannot write ${what} ${shown(path)} (${why(err)})`);
  } finally {
    closeSync(fd);
  }
}
