/**
 * The stored full-mode runs of notebook 02's network-level sweep (section 10), so that a quick-mode
 * notebook can state the paper-network results from the runs themselves instead of typing them into prose.
 *
 * The file holds one JSON {@link RetentionResult} per line (spec, seed, accuracies, wall time), written once
 * from a full-mode run of {@link MTT_CONTINUAL_FULL} (`npx tsx scripts/run-parallel-full.ts 02`) and
 * committed; {@link readSweepRuns} groups it by transfer function exactly as `runSweeps` does, so the
 * summaries of `mtt-continual.ts` (kSweepSummary, readBiasSummary, asymmetricSummary) apply unchanged.
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../notebook/session";
import { specKey, type RetentionResult, type SweepResults } from "./mtt-continual";

/** Per-run results of the full-mode plan (784-1000-500-10, 4 paired seeds), relative to the project root. */
export const MTT_CONTINUAL_FULL_RUNS_FILE = "figures/02-mtt-transfer/section10-full-mode-runs.jsonl";

/**
 * Read a JSON-lines file of retention results (path relative to the project root, or absolute) into
 * sweep results keyed by {@link specKey}, each function's runs sorted by seed. Throws if a line is not a
 * result or if a (function, seed) pair appears twice.
 */
export function readSweepRuns(file: string = MTT_CONTINUAL_FULL_RUNS_FILE): SweepResults {
  const full = path.isAbsolute(file) ? file : path.join(projectRoot(), file);
  const results: SweepResults = new Map();
  fs.readFileSync(full, "utf8")
    .split("\n")
    .forEach((line, n) => {
      if (line.trim() === "") return;
      const r = JSON.parse(line) as RetentionResult;
      if (!r || typeof r !== "object" || !r.spec || typeof r.seed !== "number" || typeof r.aAfterB !== "number") {
        throw new RangeError(`${file}:${n + 1} is not a retention result`);
      }
      const key = specKey(r.spec);
      const list = results.get(key) ?? [];
      if (list.some((q) => q.seed === r.seed)) throw new RangeError(`${file}:${n + 1} repeats ${key}, seed ${r.seed}`);
      list.push(r);
      results.set(key, list);
    });
  for (const rs of results.values()) rs.sort((a, b) => a.seed - b.seed);
  return results;
}
