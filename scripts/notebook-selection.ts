/**
 * Which notebooks a command line names, shared by scripts/reproduce.ts and scripts/typecheck-notebooks.ts.
 * No side effects on import.
 */
import * as fs from "fs";
import * as path from "path";

/**
 * The notebooks (names without .ipynb, e.g. "01-ecram-device") that `selectors` pick from `<root>/notebooks/`: each
 * selector is a name, a prefix ("01", "02-mtt") or a path form ("notebooks/01-ecram-device.ipynb") and must match
 * exactly one notebook, else this throws naming the known ones. No selector means every notebook.
 */
export function listNotebooks(selectors: readonly string[], root: string = path.resolve(__dirname, "..")): string[] {
  const all = fs
    .readdirSync(path.join(root, "notebooks"))
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .map((f) => f.replace(/\.ipynb$/, ""))
    .sort();
  if (selectors.length === 0) return all;
  const chosen = selectors.map((s) => {
    const hits = all.filter((n) => n === s || n.startsWith(s.replace(/\.ipynb$/, "").replace(/^notebooks\//, "")));
    if (hits.length !== 1) throw new Error(`notebook "${s}" matches ${hits.length} notebooks (${hits.join(", ") || "none"}); known: ${all.join(", ")}`);
    return hits[0];
  });
  return [...new Set(chosen)];
}
