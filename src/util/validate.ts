/**
 * Argument checks that throw errors naming the field and the bad value, used by every model
 * constructor so that bad input fails loudly at the boundary instead of producing NaN deep inside.
 */

/** Throw unless `value` is a finite number. */
export function requireFinite(field: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${field} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** Throw unless `value` is finite and > 0. */
export function requirePositive(field: string, value: number): number {
  requireFinite(field, value);
  if (value <= 0) throw new RangeError(`${field} must be > 0, got ${value}`);
  return value;
}

/** Throw unless `value` is finite and ≥ 0. */
export function requireNonNegative(field: string, value: number): number {
  requireFinite(field, value);
  if (value < 0) throw new RangeError(`${field} must be ≥ 0, got ${value}`);
  return value;
}

/** Throw unless lo < hi (both finite). */
export function requireOrdered(loField: string, lo: number, hiField: string, hi: number): void {
  requireFinite(loField, lo);
  requireFinite(hiField, hi);
  if (!(lo < hi)) throw new RangeError(`${loField} (${lo}) must be < ${hiField} (${hi})`);
}

/** Throw unless value lies in [lo, hi]. */
export function requireInRange(field: string, value: number, lo: number, hi: number): number {
  requireFinite(field, value);
  if (value < lo || value > hi) throw new RangeError(`${field} must be in [${lo}, ${hi}], got ${value}`);
  return value;
}

/** Throw unless value is an integer ≥ min. */
export function requireInteger(field: string, value: number, min = 0): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${field} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}
