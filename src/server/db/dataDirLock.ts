import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Who holds an embedded data folder, as written in its lock file. */
export interface LockHolder {
  pid: number;
  role: 'server' | 'command';
  since: string;
}

export const LOCK_FILE = 'innspill.lock';

/** The data folder is held by another live process ([SAFE-9]). */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      holder.role === 'server'
        ? `The data folder ${dataDir} is in use by a running Innspill server (pid ${holder.pid}). ` +
            'Stop that server first: only one process may open an embedded database.'
        : `The data folder ${dataDir} is in use by another innspill command (pid ${holder.pid}). Wait for it to finish.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * Takes the one owner's lock on an embedded data folder ([SAFE-9]): PGlite is one process's
 * database, and a second opener's writes are silently lost. A lock left by a process that died
 * (kill -9, a crash, a reboot) is taken over when its pid no longer runs Node. Returns the release.
 */
export function lockDataDir(dataDir: string, role: LockHolder['role']): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, role, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      const release = () => {
        process.removeListener('exit', release);
        if (readHolder(file)?.pid === process.pid) unlinkSync(file);
      };
      // Also on process.exit(); a kill -9 leaves the file, which the next opener finds stale.
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && isRunning(holder.pid)) throw new DataDirLockedError(dataDir, holder);
    // Stale (or half written by a process that died while writing): remove it and try again.
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`Could not take the lock ${file}; remove it if no Innspill process uses ${dataDir}`);
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' ? (parsed as LockHolder) : null;
  } catch {
    return null;
  }
}

/** True when `pid` is a live process other than this one that may be Innspill (pids are reused after a reboot). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    return /node|innspill|tsx/i.test(readFileSync(cmdline, 'utf8'));
  } catch {
    return true;
  }
}
