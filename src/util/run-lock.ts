/**
 * One process per run: a lock file beside a run's checkpoint, holding the owner's pid and identity, so two processes
 * never train (and write) the same run; a lock whose process has died or whose pid was reused is taken over.
 */
import * as fs from "fs";
import * as path from "path";

/** Raised when another live process is training the same run (same checkpoint file). */
export class RunLockedError extends Error {
  constructor(readonly file: string, readonly pid: number) {
    super(`the run checkpointed in ${file} is being trained by process ${pid}; two processes writing one checkpoint would race. Wait for it, stop it, or pick other runs (run-parallel-full's --only); if process ${pid} is not training it, delete ${file}.lock`);
    this.name = "RunLockedError";
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Which process `pid` is, beyond its number: this boot's id and the process's start time (clock ticks after boot,
 * field 22 of /proc/<pid>/stat), so a pid reused after a reboot or by a later process is told apart; null where
 * /proc cannot tell (not Linux, or no such process).
 */
export function processIdentity(pid: number): string | null {
  try {
    const boot = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // After "pid (comm) " the fields start at field 3 (state); the command name may itself hold spaces or ")".
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[22 - 3];
    return start ? `${boot}:${start}` : null;
  } catch {
    return null;
  }
}

/**
 * The pid of the live process holding the run's lock, or null when no lock file exists, its process has died, or
 * the pid now belongs to another process than the one that wrote the lock (a stale lock, which {@link lockRun}
 * takes over). A lock is "<pid> <identity>" ({@link processIdentity}); a lock holding the pid alone is judged by the
 * pid alone.
 */
export function runLockHolder(file: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(`${file}.lock`, "utf8");
  } catch {
    return null;
  }
  const [pidText, identity] = text.trim().split(/\s+/);
  const holder = Number(pidText);
  if (!(Number.isInteger(holder) && holder > 0 && processAlive(holder))) return null;
  if (identity !== undefined) {
    const now = processIdentity(holder);
    if (now !== null && now !== identity) return null;
  }
  return holder;
}

/**
 * Claim a run for this process: creates `<file>.lock` holding the pid and the process's identity, or throws
 * {@link RunLockedError} when a live process holds it (a lock left by a dead process, or by an earlier process whose
 * pid has been reused, e.g. after a reboot, is taken over). Returns the release function.
 * The lock appears with its pid already in it (written to a private temporary file, then hard-linked into place,
 * which fails when the lock exists): a process starting at the same moment never reads an empty lock, which it
 * would take for a stale one and remove.
 */
export function lockRun(file: string): () => void {
  const lock = `${file}.lock`;
  const staged = `${lock}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const identity = processIdentity(process.pid);
  fs.writeFileSync(staged, identity === null ? String(process.pid) : `${process.pid} ${identity}`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.linkSync(staged, lock);
        return () => fs.rmSync(lock, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const holder = runLockHolder(file);
        if (holder !== null && holder !== process.pid) throw new RunLockedError(file, holder);
        fs.rmSync(lock, { force: true });
      }
    }
  } finally {
    fs.rmSync(staged, { force: true });
  }
  throw new Error(`could not lock ${file}: ${lock} keeps reappearing`);
}
