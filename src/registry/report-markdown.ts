/**
 * The reproduction report as a Markdown document a person reads (figures/report.md): the verdict tables per
 * notebook, then the sections a reader acts on (moved values, checks that hold by construction, known misses and
 * those that pass, entries not recorded, published numbers not reproduced). Kept apart from the checker, which the
 * notebooks load: a change of the report's layout does not touch any notebook's sources.
 */
import { formatValue, rerunCommand, type Report, type Verdict } from "./checker";
import type { Measured } from "../notebook/session";

/** The report as a Markdown document a person reads. */
export function reportMarkdown(report: Report): string {
  const s = report.summary;
  const lines = [
    `# Reproduction report (${report.mode} mode)`,
    "",
    `Generated ${report.generatedAt}. ${s.pass} pass, ${s.fail} fail (${s.knownMiss} of them declared known misses${s.beyondKnownMiss ? `, ${s.beyondKnownMiss} beyond their declared limit` : ""}), ${s.unrecorded} not recorded, ${s.regressions} regressions (undeclared fails + known misses beyond their declared limit + declared known misses that pass + not recorded), ${s.missing} missing (${s.notRun} because their notebook has not run in this mode, ${s.notReproduced} declared not reproduced, the rest checked in another mode only) of ${report.entries.length} registry entries.`,
    `Kinds: ${s.calibration} calibration targets (a model parameter was fitted to the number, or the model transcribes it: agreement is by construction), ${s.prediction} predictions (come out of the model), ${s.qualitative} qualitative (a stated predicate on a measured trend). ${s.byConstruction} entr${s.byConstruction === 1 ? "y holds" : "ies hold"} by the model's construction (marked "by construction", reasons below): their pass checks the implementation, not the paper's claim.`,
  ];
  if (report.stale?.length) {
    lines.push("", "## Metrics older than the present sources", "");
    lines.push("These notebooks' values (marked \"stale\" below) were recorded before an edit of their code cells or of the src/ modules they load (the runner stores digests of both with each run's metrics; scripts/notebook-sources.ts): their verdicts describe the earlier sources. Run them again to judge the present code: `" + rerunCommand(report.mode, report.stale.map((x) => x.notebook)) + "`.", "");
    for (const x of report.stale) lines.push(`- ${x.notebook}: ${x.reason}.`);
  }
  const icon: Record<Verdict, string> = { pass: "pass", fail: "**FAIL**", missing: "missing", unrecorded: "**NOT RECORDED**" };
  // A newline would end the table row: every cell stays on one line.
  const cell = (c: unknown) => String(c).replace(/\r?\n|\r/g, " ").replace(/\|/g, "\\|");
  for (const notebook of [...new Set(report.entries.map((e) => e.notebook))].sort()) {
    const group = report.entries.filter((e) => e.notebook === notebook);
    lines.push("", `## ${notebook}`, "", "| verdict | id | paper | figure | kind | published | measured | unit | check | note |", "|---|---|---|---|---|---|---|---|---|---|");
    for (const e of group) {
      const tag = e.beyondKnownMiss ? " (beyond its known miss)" : e.verdict === "fail" && e.knownMiss ? " (known miss)" : e.byConstruction !== undefined && e.verdict === "pass" ? " (by construction)" : "";
      const cells = [icon[e.verdict] + tag + (e.stale !== undefined ? " (stale)" : ""), `\`${e.id}\``, e.paper, e.figure, e.kind, formatValue(e.published), formatValue(e.measured), e.unit, e.rule, e.note ?? ""];
      lines.push(`| ${cells.map(cell).join(" | ")} |`);
    }
    const explained = group.filter((e) => e.predicate !== undefined || e.calibratedBy !== undefined);
    if (explained.length) {
      lines.push("", "How the measured value m is defined, and what was fitted to it:", "");
      for (const e of explained) lines.push(`- \`${e.id}\`: ${[e.predicate, e.calibratedBy ? `Calibration: ${e.calibratedBy}` : undefined].filter(Boolean).join(" ")}`);
    }
  }
  if (report.moves) {
    const { compared, firstRuns, moved } = report.moves;
    lines.push("", "## Moved since the previous run", "");
    const which = report.moves.ranAt !== undefined && report.moves.ranAt !== report.generatedAt ? `the run of ${report.moves.ranAt} (this report was rebuilt from stored metrics)` : "this run";
    lines.push(`Every value ${which} recorded, compared exactly with the previous ${report.mode}-mode run of its notebook (the committed metrics on a fresh clone): the same seed gives bit-identical metrics, so a value that moved was moved by a change of the notebook's code cells or settings, of src/, data or dependencies, whether or not its verdict changed.`);
    lines.push("", `Compared: ${compared.length ? compared.join(", ") : "none"}${firstRuns.length ? `; first run (nothing to compare): ${firstRuns.join(", ")}` : ""}.`, "");
    if (moved.length === 0) lines.push(compared.length ? "No value moved." : "Nothing to compare.");
    else {
      lines.push("| id | notebook | before | after |", "|---|---|---|---|");
      // Full precision: a move can be in the last bits.
      const exact = (v: Measured | null) => (v === null ? "not recorded" : String(v));
      for (const m of moved) lines.push(`| \`${m.id}\` | ${m.notebook} | ${exact(m.before)} | ${exact(m.after)} |`);
    }
  }
  const built = report.entries.filter((e) => e.byConstruction !== undefined);
  if (built.length) {
    lines.push("", "## Checks that hold by construction", "", "The model builds these properties in, so a pass only shows the implementation keeps them (declared in the registry with `byConstruction`):", "");
    for (const e of built) lines.push(`- \`${e.id}\` (${e.figure}): ${e.byConstruction}`);
  }
  const passing = report.entries.filter((e) => e.verdict === "pass" && e.knownMiss);
  if (passing.length) {
    lines.push("", "## Known misses that pass", "", "Declared as known misses in this mode, yet they pass (regressions: the same seed gives the same value, so a change moved them; if it was a mend, remove `knownMiss` in data/published/, otherwise find the change):", "");
    for (const e of passing) lines.push(`- \`${e.id}\` (${e.figure}): measured ${formatValue(e.measured)} ${e.unit} vs published ${formatValue(e.published)}; declared: ${e.knownMiss}`);
  }
  const beyond = report.entries.filter((e) => e.beyondKnownMiss);
  if (beyond.length) {
    lines.push("", "## Known misses beyond their declared limit", "", "Declared as known misses, with a limit on how far they miss; these lie beyond it (regressions: the same seed gives the same value, so a change moved them; find it, or re-declare the miss and its limit in data/published/):", "");
    for (const e of beyond) lines.push(`- \`${e.id}\` (${e.figure}): measured ${formatValue(e.measured)} ${e.unit}; ${e.beyondKnownMiss}`);
  }
  const misses = report.entries.filter((e) => e.verdict === "fail" && e.knownMiss && !e.beyondKnownMiss);
  if (misses.length) {
    lines.push("", "## Known misses", "", "Published numbers this model does not reproduce yet, and why (declared in the registry):", "");
    for (const e of misses) lines.push(`- \`${e.id}\` (${e.figure}): measured ${formatValue(e.measured)} ${e.unit} vs published ${formatValue(e.published)}. ${e.knownMiss}${e.knownMissLimit ? ` Declared limit of the miss: ${e.knownMissLimit}.` : ""}`);
  }
  const unrecorded = report.entries.filter((e) => e.verdict === "unrecorded");
  if (unrecorded.length) {
    lines.push("", "## Not recorded", "", "Entries whose notebook ran in this mode but recorded no value (regressions: a lost `nb.record`, or declare the gap in the registry):", "");
    for (const e of unrecorded) lines.push(`- \`${e.id}\` (${e.figure}): ${e.notebook} ran but did not record it.`);
  }
  const gaps = report.entries.filter((e) => e.verdict === "missing" && e.notReproduced);
  if (gaps.length) {
    lines.push("", "## Declared not reproduced", "", "Published numbers no notebook computes, and why (declared in the registry with `notReproduced`):", "");
    for (const e of gaps) lines.push(`- \`${e.id}\` (${e.figure}): published ${formatValue(e.published)} ${e.unit}. ${e.notReproduced}`);
  }
  return lines.join("\n") + "\n";
}
