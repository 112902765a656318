/**
 * Programming schemes used with the WOx/LiPON ECRAM: the increasing-amplitude write-verify ladders
 * (Fig S8; amplitudes around the Fig 3d pulses) and the tolerance the MTT mapping uses.
 */
import type { WriteVerifyScheme } from "../array/write-verify";

/**
 * Write-verify for mapping hidden weights (Fig 6f–h, S28). Provenance: ladders start below and rise to
 * the Fig 3d pulse amplitudes (+10 V / −7 V, 2 ms; paper text) in 0.5 V steps (assumed); tolerance 0.5 µS
 * (assumed: about 1 % of the 50 µS operating maximum, below one 3-bit level of 6.25 µS).
 */
export const ECRAM_WRITE_VERIFY: WriteVerifyScheme = Object.freeze({
  potentiation: Object.freeze({ startV: 6, stepV: 0.5, maxV: 10, widthS: 2e-3 }),
  depression: Object.freeze({ startV: 4, stepV: 0.5, maxV: 7, widthS: 2e-3 }),
  toleranceUS: 0.5,
  maxPulses: 200,
});

/**
 * The window-seeking drive of Fig 3j / S8: amplitudes rise beyond the routine pulses to push the device to
 * its extremes. Provenance: assumed ladder up to +12 V / −9 V, 2 ms (the text gives only "increasing
 * amplitude").
 */
export const ECRAM_WINDOW_DRIVE = Object.freeze({
  potentiation: Object.freeze({ startV: 8, stepV: 0.5, maxV: 12, widthS: 2e-3 }),
  depression: Object.freeze({ startV: 5, stepV: 0.5, maxV: 9, widthS: 2e-3 }),
});
