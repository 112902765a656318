/**
 * The stored full-mode runs of notebook 02's network-level sweep (section 10), so that a quick-mode
 * notebook can state the paper-network results from the runs themselves instead of typing them into prose.
 *
 * The file holds one JSON {@link RetentionResult} per line (spec, seed, accuracies, wall time).
 * {@link writeSweepRuns} writes them in plan order (the transfer functions of `planSpecs(MTT_CONTINUAL_FULL)`,
 * seeds inner, as `runSweeps` builds its jobs; the reader does not depend on the order).
 * `npx tsx scripts/run-parallel-full.ts 02` writes it with {@link writeSweepRuns} once every run of
 * {@link MTT_CONTINUAL_FULL} is finished (the runs themselves are stored one file each in
 * MTT_CONTINUAL_FULL_RUNS_DIR, also committed, so running the script again after a complete sweep trains nothing
 * and rewrites the same file); the file is committed. {@link readSweepRuns} groups it by transfer function exactly
 * as `runSweeps` does, so the summaries of `mtt-continual.ts` (kSweepSummary, readBiasSummary, asymmetricSummary) apply unchanged, and by
 * default it refuses a file whose (function, seed) pairs are not exactly those of the current plan
 * ({@link checkSweepRunsMatchPlan}): after a change of the plan's grid or seeds the stored runs no longer
 * describe it. The file does not record the training settings (`plan.cfg` other than the seeds), so a change
 * of those is not detected here: rerun the script after any change of MTT_CONTINUAL_FULL.
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../util/project-root";
import { MTT_CONTINUAL_FULL, planSpecs, specKey, type RetentionResult, type SweepPlan, type SweepResults, type TransferSpec } from "./mtt-continual";
import { writeFileAtomic } from "../util/atomic-write";

/** Per-run results of the full-mode plan (784-1000-500-10, 4 paired seeds), relative to the project root. */
export const MTT_CONTINUAL_FULL_RUNS_FILE = "figures/02-mtt-transfer/section10-full-mode-runs.jsonl";

function absolute(file: string): string {
  return path.isAbsolute(file) ? file : path.join(projectRoot(), file);
}

/** The (function, seed) pairs a plan runs, in plan order, as "specKey seed N". */
function planPairs(plan: SweepPlan): { spec: TransferSpec; seed: number; id: string }[] {
  return planSpecs(plan).flatMap((spec) => plan.cfg.seeds.map((seed) => ({ spec, seed, id: `${specKey(spec)} seed ${seed}` })));
}

/**
 * Throw a RangeError unless the (transfer function, seed) pairs of `results` are exactly those of `plan`
 * (no pair missing, none extra); the message names the file, the pairs missing and the pairs extra.
 */
export function checkSweepRunsMatchPlan(results: SweepResults, plan: SweepPlan = MTT_CONTINUAL_FULL, file = "sweep results"): void {
  const want = new Set(planPairs(plan).map((p) => p.id));
  const have = new Set<string>();
  for (const [key, rs] of results) for (const r of rs) have.add(`${key} seed ${r.seed}`);
  const missing = [...want].filter((id) => !have.has(id));
  const extra = [...have].filter((id) => !want.has(id));
  if (missing.length === 0 && extra.length === 0) return;
  const list = (ids: string[]) => (ids.length > 6 ? `${ids.slice(0, 6).join(", ")} and ${ids.length - 6} more` : ids.join(", "));
  throw new RangeError(
    `${file} does not hold the runs of the current plan (${want.size} runs: ${planSpecs(plan).length} transfer functions × seeds [${plan.cfg.seeds.join(", ")}]); ` +
      `${missing.length > 0 ? `missing ${missing.length}: ${list(missing)}` : "none missing"}; ${extra.length > 0 ? `not in the plan ${extra.length}: ${list(extra)}` : "none extra"}. ` +
      `The plan changed since the file was written: run \`npx tsx scripts/run-parallel-full.ts 02\` to rewrite it.`,
  );
}

/**
 * Write sweep results as JSON lines, one {@link RetentionResult} per line in plan order (functions as
 * `planSpecs(plan)`, seeds inner). Refuses (RangeError, nothing written) unless the results are exactly the
 * plan's runs. Written to `<file>.tmp` and renamed into place. Returns the absolute path.
 */
export function writeSweepRuns(results: SweepResults, file: string = MTT_CONTINUAL_FULL_RUNS_FILE, plan: SweepPlan = MTT_CONTINUAL_FULL): string {
  checkSweepRunsMatchPlan(results, plan, "the results to write");
  const lines = planPairs(plan).map(({ spec, seed }) => JSON.stringify(results.get(specKey(spec))!.find((r) => r.seed === seed)!));
  const full = absolute(file);
  writeFileAtomic(full, lines.join("\n") + "\n");
  return full;
}

/**
 * Read a JSON-lines file of retention results (path relative to the project root, or absolute) into
 * sweep results keyed by {@link specKey}, each function's runs sorted by seed. Throws if a line is not a
 * result or if a (function, seed) pair appears twice. `plan` (default {@link MTT_CONTINUAL_FULL}): the
 * file must hold exactly that plan's runs ({@link checkSweepRunsMatchPlan}); pass null to skip the check.
 */
export function readSweepRuns(file: string = MTT_CONTINUAL_FULL_RUNS_FILE, plan: SweepPlan | null = MTT_CONTINUAL_FULL): SweepResults {
  const full = absolute(file);
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
  if (plan !== null) checkSweepRunsMatchPlan(results, plan, file);
  return results;
}
