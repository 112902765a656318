/**
 * Keys and checks for JSON-serialisable configurations and results: the stable key a stored run or result is filed
 * under, and the check that a value survives a JSON round trip unchanged.
 */
import * as crypto from "crypto";

/**
 * Throw a RangeError, naming the path, if `value` holds something JSON cannot store faithfully: a NaN or infinite
 * number (JSON writes null, so a stored result or progress would come back changed, with a valid checksum, and two
 * configurations differing only there would share a key), a Map or a Set (written as {}).
 */
export function requireJsonSafe(value: unknown, what: string): void {
  const walk = (v: unknown, at: string): void => {
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new RangeError(`${what}: ${at} is ${v}, which JSON cannot store (it would come back as null)`);
    } else if (v instanceof Map || v instanceof Set) {
      throw new RangeError(`${what}: ${at} is a ${v instanceof Map ? "Map" : "Set"}, which JSON stores as {}`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`));
    } else if (v && typeof v === "object" && !ArrayBuffer.isView(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${at}.${k}`);
    }
  };
  walk(value, "value");
}

/**
 * Stable key of a JSON-serialisable configuration: SHA-256 of its canonical JSON (sorted keys), 16 hex digits.
 * Throws (see {@link requireJsonSafe}) on a value JSON would not keep apart, such as NaN against null.
 */
export function configKey(config: unknown): string {
  requireJsonSafe(config, "configuration key");
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]));
    return v;
  };
  return crypto.createHash("sha256").update(JSON.stringify(canon(config))).digest("hex").slice(0, 16);
}
