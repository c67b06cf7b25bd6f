import * as fs from 'fs';
import * as path from 'path';

/** Options of {@link replaceDirectory}. */
export interface ReplaceDirectoryOptions {
  /**
   * How long to wait for another synth that holds the lock.
   * @default 30000
   */
  readonly lockTimeoutMs?: number;
}

/**
 * Replaces `outdir` with exactly `files` (relative path → content), all or nothing: everything is written
 * to a staging folder beside it, and only then swapped in by two renames. A crash while writing leaves
 * `outdir` untouched; a crash between the two renames leaves the previous tree in `.NAME.previous`, which
 * the next run restores before doing anything else. A lock folder keeps concurrent runs apart.
 */
export function replaceDirectory(
  outdir: string,
  files: ReadonlyMap<string, string>,
  options: ReplaceDirectoryOptions = {},
): void {
  const parent = path.dirname(path.resolve(outdir));
  const base = path.basename(outdir);
  const lock = path.join(parent, `.${base}.lock`);
  const previous = path.join(parent, `.${base}.previous`);
  const staging = path.join(parent, `.${base}.staging-${process.pid}`);

  acquireLock(lock, options.lockTimeoutMs ?? 30_000);
  try {
    recover(outdir, previous);
    // Holding the lock, any other staging folder belongs to a synth that died: sweep it.
    for (const f of fs.readdirSync(parent)) {
      if (f.startsWith(`.${base}.staging-`)) fs.rmSync(path.join(parent, f), { recursive: true, force: true });
    }
    fs.mkdirSync(staging, { recursive: true });
    const made = new Set<string>();
    for (const [rel, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const target = path.join(staging, rel);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      if (!linkIfUnchanged(path.join(outdir, rel), target, content)) fs.writeFileSync(target, content);
    }
    if (fs.existsSync(outdir)) {
      fs.renameSync(outdir, previous);
      fs.renameSync(staging, outdir);
      fs.rmSync(previous, { recursive: true, force: true });
    } else {
      fs.renameSync(staging, outdir);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Hard-links `previous` to `target` when it already holds `content`: an unchanged file keeps its inode
 * and mtime, costs no write, and deleting the old tree later only drops a link instead of freeing blocks.
 */
function linkIfUnchanged(previous: string, target: string, content: string): boolean {
  let old: Buffer;
  try {
    old = fs.readFileSync(previous);
  } catch {
    return false;
  }
  if (old.length !== Buffer.byteLength(content) || !old.equals(Buffer.from(content))) return false;
  fs.linkSync(previous, target);
  return true;
}

/**
 * Replaces one file with `content` in a single rename (creating its folder), so a reader or a crash never
 * sees half a file: the inventory, the security report and the rule report beside dist/.
 */
export function replaceFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(staging, content);
    fs.renameSync(staging, file);
  } finally {
    fs.rmSync(staging, { force: true });
  }
}

/** Undoes a swap that was cut off between its two renames. */
function recover(outdir: string, previous: string): void {
  if (!fs.existsSync(previous)) return;
  if (fs.existsSync(outdir)) fs.rmSync(previous, { recursive: true, force: true });
  else fs.renameSync(previous, outdir);
}

function acquireLock(lock: string, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!holderAlive(lock)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `another synth holds ${lock} for more than ${timeoutMs} ms. Allowed: one synth at a time. ` +
          'Fix: wait for it to finish, or remove the lock folder if no synth is running.',
      );
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // The holder made the folder but has not written its pid yet; if that lasts, it died in between.
    try {
      return Date.now() - fs.statSync(lock).mtimeMs < 5_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
