/**
 * A store of finished run results on disk, for full-mode sweeps whose single runs take minutes: a script
 * (scripts/run-parallel-full.ts) fills it over worker threads, and the notebook's full-mode execution reads
 * the finished results instead of training again. A run's result depends only on its job (the seeded
 * streams make it bit-identical), so the job itself is the key.
 *
 * One JSON file per run, `<dir>/<label>-<key>.json`:
 *   { format: "imc-result-1", key, job, result, sha256 }
 * where key = configKey(job) (16 hex digits of SHA-256 of the canonical job JSON) and sha256 covers the JSON
 * of { key, job, result }. Writes go to `<file>.tmp` and are renamed into place. A file that fails any check
 * is refused with the reason and left where it is, as a corrupted checkpoint is (src/nn/checkpoint.ts).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { configKey, requireJsonSafe } from "./json-key";
import { writeFileAtomic } from "./atomic-write";

const FORMAT = "imc-result-1";

/** Raised when a stored result exists but cannot be trusted; the file is kept. */
export class ResultCacheError extends Error {
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`stored run result ${file} refused: ${reason}. The file is kept for inspection (move or delete it to run the job again).`);
    this.name = "ResultCacheError";
    this.file = file;
  }
}

function digest(key: string, job: unknown, result: unknown): string {
  return crypto.createHash("sha256").update(JSON.stringify({ key, job, result })).digest("hex");
}

/** File of a job: a readable label (letters, digits, `.=-` kept) plus the job's key. */
export function resultFile(dir: string, label: string, job: unknown): string {
  const safe = label.replace(/[^A-Za-z0-9.=-]+/g, "_");
  return path.join(dir, `${safe}-${configKey(job)}.json`);
}

/** Null when no result is stored for this job; the stored result otherwise; throws {@link ResultCacheError} when it cannot be trusted. */
export function loadResult<R>(file: string, job: unknown): R | null {
  if (!fs.existsSync(file)) return null;
  let parsed: { format?: unknown; key?: unknown; job?: unknown; result?: unknown; sha256?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ResultCacheError(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (parsed.format !== FORMAT) throw new ResultCacheError(file, `format is ${JSON.stringify(parsed.format)}, expected "${FORMAT}"`);
  const key = configKey(job);
  if (parsed.key !== key) throw new ResultCacheError(file, `it belongs to job key ${String(parsed.key)}, this job's key is ${key}`);
  if (configKey(parsed.job) !== key) throw new ResultCacheError(file, "the job stored in it differs from this job");
  if (parsed.sha256 !== digest(key, parsed.job, parsed.result)) throw new ResultCacheError(file, "SHA-256 mismatch (the file was changed or truncated)");
  return parsed.result as R;
}

export function saveResult(file: string, job: unknown, result: unknown): void {
  requireJsonSafe(result, `result for ${file}`);
  const key = configKey(job);
  writeFileAtomic(file, JSON.stringify({ format: FORMAT, key, job, result, sha256: digest(key, job, result) }) + "\n");
}
