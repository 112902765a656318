/**
 * The contract between the MTT circuit models and the networks: a weight transfer function maps a
 * quantized hidden weight W_h ∈ [−1, 1] (the analog device state, normalised) to the inference weight
 * W_b the MTT unit's inference transistors present. Binary functions approach sign(W_h); ternary ones
 * (sub-threshold biasing) have a zero-output interval around W_h = 0. The identity kind is the
 * no-binarization control of Fig S31a.
 */
export interface WeightTransferFunction {
  /** Short label used in figures and reports, e.g. "ECRAM-MTT 50 µS". */
  readonly name: string;
  /** "identity" marks the no-binarization control (W_b = W_h), which is not an MTT function. */
  readonly kind: "binary" | "ternary" | "identity";
  /** W_b = f(W_h) for W_h ∈ [−1, 1]; values outside are clamped by the caller. */
  apply(hiddenWeight: number): number;
}

/**
 * The ideal binarization W_b = sign(W_h), with sign(0) = +1 (assumed: Laborieux et al.'s code uses torch.sign, which
 * gives 0 at 0; a hidden weight exactly at 0 is rare and a zero weight would drop its input).
 */
export const idealSign: WeightTransferFunction = Object.freeze({
  name: "ideal sign",
  kind: "binary" as const,
  apply: (wh: number) => (wh >= 0 ? 1 : -1),
});

/** No binarization (the control of Yang Fig S31a): W_b = W_h, the inference weight is the analog hidden weight itself. */
export const noBinarization: WeightTransferFunction = Object.freeze({
  name: "no binarization (W_b = W_h)",
  kind: "identity" as const,
  apply: (wh: number) => wh,
});
