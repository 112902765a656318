/**
 * Programming schemes used with the WOx/LiPON ECRAM: the increasing-amplitude write-verify ladders
 * (Fig S8; amplitudes around the Fig 3d pulses) and the tolerance the MTT mapping uses.
 */
import type { WriteVerifyScheme } from "../array/write-verify";

/**
 * Write-verify for mapping hidden weights (Fig 6f–h, S28), the increasing-amplitude scheme of Fig S8 "to
 * accelerate conductance convergence". Provenance: the ladders start where one pulse moves about a fifth of a
 * reference step (+8 V / −5 V, 2 ms) and climb in 0.5 V steps past the routine Fig 3d pulses (+10 V / −7 V,
 * paper text) to +12 V / −9 V, the range of the window drive (assumed: the text gives no ladder values);
 * tolerance 0.5 µS (assumed: about 1 % of the 50 µS operating maximum, well below one 3-bit level of ~7 µS);
 * maxPulses 200 (assumed: a give-up budget far above the measured counts, so it never cuts a run that would
 * converge but stops one that cannot: 3-bit targets from random states take 14.0 pulses on average and at most
 * 28 over the 2000 weights of notebook 10's full protocol; notebook 01 at most 27 (quick) and 28 (full), notebook 05 at
 * most 33 (quick); every run converged).
 */
export const ECRAM_WRITE_VERIFY: WriteVerifyScheme = Object.freeze({
  potentiation: Object.freeze({ startV: 8, stepV: 0.5, maxV: 12, widthS: 2e-3 }),
  depression: Object.freeze({ startV: 5, stepV: 0.5, maxV: 9, widthS: 2e-3 }),
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
