/** Physical constants shared by the device models. */

/**
 * k_B/e, V/K (numerically the Boltzmann constant in eV/K). The exact quotient of k_B = 1.380649e-23 J/K and
 * e = 1.602176634e-19 C (both exact by the 2019 SI definitions) is 8.617333262145…e-5; this is CODATA 2018's
 * 10-digit value 8.617333262e-5, which the device models have always used. The two differ by 1.7e-11 relative,
 * far below anything the models resolve; the literal is kept so that every stored result stays bit-identical.
 */
export const BOLTZMANN_OVER_CHARGE_V_PER_K = 8.617333262e-5;
