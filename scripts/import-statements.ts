/**
 * The `import … from "…"`, `export … from "…"` and side-effect `import "…"` statements of a TypeScript source text,
 * read as text (no compiler): enough for the project's own modules, which use ES module syntax only (src/README.md).
 * Used by the runner to find the modules a notebook loads (scripts/notebook-sources.ts) and by the layering test.
 */

export interface ImportStatement {
  specifier: string;
  /** `import type …` / `export type …`: erased at run time. */
  typeOnly: boolean;
}

/** The statements in source order; a statement inside a comment is not counted (it must start a line). */
export function importStatements(source: string): ImportStatement[] {
  const found: ImportStatement[] = [];
  const statement = /^(?:import|export)\s+(type\s+)?(?:[^;"']*?\s+from\s+)?["']([^"']+)["']/gm;
  for (const m of source.matchAll(statement)) found.push({ specifier: m[2], typeOnly: m[1] !== undefined });
  return found;
}
