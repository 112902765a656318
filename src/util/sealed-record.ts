/**
 * A small JSON file that carries the result of a finished run together with what it belongs to and a checksum,
 * so a reader can tell a record it may trust from one that was edited, truncated or written for other settings:
 *   { "format": "<name/version>", "key": "<configuration key>", "sha256": "<hex>", … }
 * The two stores of finished results use it (runs/result-cache.ts for notebook 02's sweep runs,
 * runs/finished-runs.ts for the long runs of notebooks 06 and 07); each says what its checksum covers, and keeps
 * its own format name, so the committed files of either store read as before.
 *
 * A record that fails a check is refused through the caller's error (which names the file and says that it is
 * kept), never deleted or overwritten: a run must not silently train again over, or trust, a damaged result.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { writeFileAtomic } from "./atomic-write";

/** SHA-256 of a text, as 64 hex digits. */
export function sha256Hex(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

export interface SealedRecordCheck {
  /** The store's format name, e.g. "imc-result-1". */
  format: string;
  /** The configuration key the record must carry. */
  key: string;
  /** The checksum the record should carry, computed from the parsed record (what it covers is the store's choice). */
  sha256Of(record: Record<string, unknown>): string;
  /** The store's error for a record it refuses, given the reason. */
  refuse(reason: string): Error;
}

/**
 * The parsed record in `file`, or null when there is none. Throws the store's error when the file is not JSON,
 * has another format or key, or its checksum does not match.
 */
export function readSealedRecord(file: string, check: SealedRecordCheck): Record<string, unknown> | null {
  if (!fs.existsSync(file)) return null;
  let record: unknown;
  try {
    record = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw check.refuse(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const fields = record !== null && typeof record === "object" && !Array.isArray(record) ? (record as Record<string, unknown>) : {};
  if (fields.format !== check.format) throw check.refuse(`format is ${JSON.stringify(fields.format)}, expected "${check.format}"`);
  if (fields.key !== check.key) throw check.refuse(`it belongs to another configuration (key ${String(fields.key)}; the requested key is ${check.key})`);
  const computed = check.sha256Of(fields);
  if (fields.sha256 !== computed)
    throw check.refuse(`SHA-256 mismatch (stored ${String(fields.sha256).slice(0, 16)}…, computed ${computed.slice(0, 16)}…): the file was edited or damaged`);
  return fields;
}

/** Write a record (atomically), one line of JSON with the fields in the order given. */
export function writeSealedRecord(file: string, record: { format: string; key: string; sha256: string } & Record<string, unknown>): void {
  writeFileAtomic(file, JSON.stringify(record) + "\n");
}
