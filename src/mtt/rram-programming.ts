/**
 * Write-verify scheme for the TaOx RRAM hidden weights of RRAM-MTT units (Fig 6i–k, S19b–e, S28, S30):
 * the same increasing-amplitude ladder as the ECRAM (src/array/write-verify.ts), with SET/RESET pulses of
 * a 1T1R cell.
 */
import type { WriteVerifyScheme } from "../array/write-verify";
import { TAOX_RRAM } from "../devices/taox-rram";

/**
 * Provenance: ladders rise from well below to just above the reference SET (1.5 V) / RESET (1.8 V) pulses
 * of the device preset in 50 mV steps, pulses of the device's reference width (fitted, see TAOX_RRAM.provenance.referenceWidthS); tolerance 1.5 µS (assumed:
 * 15 % of the 9.9 µS spacing of 16 evenly spaced states over 2–150 µS, so neighbouring states stay
 * separated); at most 500 pulses (assumed: a give-up budget over 3× the longest measured run, so it does not
 * cut a run that would converge: 3-bit targets from random states take 27.8 pulses on average and at most 114
 * over the 2000 weights of notebook 10's full protocol, notebook 05's quick-mode mapping at most 150; every run converged).
 */
export const RRAM_WRITE_VERIFY: WriteVerifyScheme = Object.freeze({
  potentiation: Object.freeze({ startV: 1.0, stepV: 0.05, maxV: 1.6, widthS: TAOX_RRAM.referenceWidthS }),
  depression: Object.freeze({ startV: 1.2, stepV: 0.05, maxV: 1.9, widthS: TAOX_RRAM.referenceWidthS }),
  toleranceUS: 1.5,
  maxPulses: 500,
});
