/**
 * Tables a reader looks at (sweeps, fitted parameters, the report) are danfo.js DataFrames; this module
 * builds them from plain rows and renders them as HTML for the notebook (and as text for the console).
 */
import type { DataFrame as DanfoFrame } from "danfojs/dist/danfojs-browser/src/index";
import type { Row } from "../util/row";

// danfojs 1.2 declares its types behind package "exports", which tslab's TypeScript 5.0 cannot resolve;
// the type import above names the file directly and the value comes from require.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const danfo = require("danfojs") as typeof import("danfojs/dist/danfojs-browser/src/index");

export type DataFrame = DanfoFrame;

/**
 * A DataFrame from an array of row objects, values matched to columns by key: the columns are the first row's keys
 * in order, then any key a later row adds, in order of appearance; a row without a column's key leaves that cell
 * empty (null). (danfo's own object constructor takes each row's values in the row's key order, so a row written
 * with its keys in another order, or with one missing, put its values under the wrong heads.)
 */
export function frame(rows: Row[]): DataFrame {
  if (rows.length === 0) throw new RangeError("frame: no rows");
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const values = rows.map((row) => columns.map((c) => (c in row ? row[c] : null)));
  return new danfo.DataFrame(values, { columns }) as DataFrame;
}

function formatCell(v: unknown, digits: number): string {
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString();
  }
  if (v === null || v === undefined) return "";
  return String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** HTML table of a DataFrame, numbers to `digits` significant digits. */
export function frameToHtml(df: DataFrame, caption?: string, digits = 4): string {
  const cols = df.columns as string[];
  const rows = df.values as unknown[][];
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${r.map((v) => `<td style="text-align:${typeof v === "number" ? "right" : "left"}">${escapeHtml(formatCell(v, digits))}</td>`).join("")}</tr>`)
    .join("\n");
  const cap = caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(caption)}</caption>` : "";
  return `<table class="imc-table">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Plain-text table (fixed-width columns) for consoles and the text/plain fallback. */
export function frameToText(df: DataFrame, caption?: string, digits = 4): string {
  const cols = df.columns as string[];
  const values = df.values as unknown[][];
  const cells = values.map((r) => r.map((v) => formatCell(v, digits)));
  const widths = cols.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  // Numbers right-aligned, text left-aligned.
  const numeric = cols.map((_, j) => values.every((r) => typeof r[j] === "number"));
  const line = (r: string[]) => r.map((s, j) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]))).join("  ").trimEnd();
  return [caption ?? "", line(cols), ...cells.map(line)].filter((s) => s !== "").join("\n");
}
