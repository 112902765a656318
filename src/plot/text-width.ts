/**
 * Text widths for headless Vega layout. Without a canvas, vega estimates a label as 0.8 × font size per
 * character, about 1.4× too wide for DejaVu Sans (the font resvg draws with): long titles then leave a wide blank
 * band on the right of every figure, and legends and axis titles sit too far out. This module reads the glyph
 * advance widths of the installed DejaVu Sans (regular and bold) from the font files themselves (TrueType
 * tables `head`, `hhea`, `hmtx` and a format-4 `cmap`) and measures a string as the sum of its advances:
 *
 *   width(px) = fontSize(px) · Σ advance(char) / unitsPerEm.
 *
 * Kerning is ignored (a few tenths of a pixel per pair). When the font files are missing, vega's own estimate
 * stays in use.
 */
import * as fs from "node:fs";

/** Advance widths of one font, in em units (advance / unitsPerEm) by UTF-16 code unit. */
export interface AdvanceTable {
  advance: Map<number, number>;
  /** Advance of the missing-glyph (.notdef) box, used for characters the font lacks. */
  fallback: number;
}

/** Parse the advance widths of a TrueType font's BMP characters (a format-4 cmap subtable). */
export function readAdvanceTable(font: Uint8Array): AdvanceTable {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(font[rec], font[rec + 1], font[rec + 2], font[rec + 3]);
    tables.set(tag, view.getUint32(rec + 8));
  }
  const need = (tag: string): number => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`font has no '${tag}' table`);
    return off;
  };
  const unitsPerEm = view.getUint16(need("head") + 18);
  const numberOfHMetrics = view.getUint16(need("hhea") + 34);
  const hmtx = need("hmtx");
  const advanceOfGlyph = (g: number) => view.getUint16(hmtx + 4 * Math.min(g, numberOfHMetrics - 1)) / unitsPerEm;

  const cmap = need("cmap");
  let sub = -1;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = view.getUint16(rec);
    const encoding = view.getUint16(rec + 2);
    const off = cmap + view.getUint32(rec + 4);
    if (view.getUint16(off) === 4 && (platform === 3 || platform === 0) && (platform === 0 || encoding === 1)) {
      sub = off;
      break;
    }
  }
  if (sub < 0) throw new Error("font has no Unicode BMP (format 4) cmap subtable");
  const segX2 = view.getUint16(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  const advance = new Map<number, number>();
  for (let s = 0; s < segX2 / 2; s++) {
    const end = view.getUint16(ends + 2 * s);
    const start = view.getUint16(starts + 2 * s);
    const delta = view.getInt16(deltas + 2 * s);
    const ro = view.getUint16(rangeOffsets + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (ro === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = rangeOffsets + 2 * s + ro + 2 * (c - start);
        const g = view.getUint16(at);
        glyph = g === 0 ? 0 : (g + delta) & 0xffff;
      }
      if (glyph !== 0) advance.set(c, advanceOfGlyph(glyph));
    }
  }
  return { advance, fallback: advanceOfGlyph(0) };
}

/** Width of `text` in em units. */
export function emWidth(table: AdvanceTable, text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) w += table.advance.get(text.charCodeAt(i)) ?? table.fallback;
  return w;
}

const FONT_DIR = "/usr/share/fonts/truetype/dejavu";

function load(file: string): AdvanceTable | null {
  try {
    return readAdvanceTable(fs.readFileSync(`${FONT_DIR}/${file}`));
  } catch {
    return null;
  }
}

/** The fields of a vega text item that set its width. */
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
}

/**
 * A `vega.textMetrics.width` replacement measuring with DejaVu Sans, or null when its font files are absent.
 * Bold (fontWeight "bold" or ≥ 600) uses DejaVuSans-Bold; everything else the regular face.
 */
export function dejaVuTextWidth(): ((item: TextItem, text?: unknown) => number) | null {
  const regular = load("DejaVuSans.ttf");
  if (!regular) return null;
  const bold = load("DejaVuSans-Bold.ttf") ?? regular;
  return (item, text) => {
    const value = text ?? item.text;
    const s = value === undefined || value === null ? "" : String(value);
    const size = item.fontSize ?? 11;
    const w = item.fontWeight;
    const isBold = w === "bold" || w === "bolder" || (typeof w === "number" && w >= 600) || (typeof w === "string" && Number(w) >= 600);
    return size <= 0 || s === "" ? 0 : size * emWidth(isBold ? bold : regular, s);
  };
}

let shared: ReturnType<typeof dejaVuTextWidth> | undefined;

/** {@link dejaVuTextWidth}, its font files read once per process (render and the chart builders share it). */
export function sharedDejaVuTextWidth(): ReturnType<typeof dejaVuTextWidth> {
  if (shared === undefined) shared = dejaVuTextWidth();
  return shared;
}
