/**
 * Component count per weight (Table 1, Fig S27): a cell is described as a list of its components; the
 * count and the "xTyE" label are computed from the list.
 *
 * - MTT unit (Fig S27b,d): two analog memory devices (ECRAM or RRAM) hold the hidden weight
 *   differentially; each has a reference transistor (the divider's lower element, also the programming
 *   selector of the H-1E1T / 1T1R cell) and an inference transistor whose channel is the binary weight.
 * - Separate storage in a crossbar-like array (Fig S27a,c): a differential analog pair (two devices, two
 *   selectors) for the hidden weight plus a differential binary pair (two devices, two selectors) for the
 *   inference weight.
 */
export type ComponentKind = "transistor" | "memory";

export interface Component {
  kind: ComponentKind;
  role: string;
}

export interface CellDescription {
  name: string;
  components: Component[];
}

const t = (role: string): Component => ({ kind: "transistor", role });
const m = (role: string): Component => ({ kind: "memory", role });

/** MTT unit with memory device label E (ECRAM) or R (RRAM). */
export function mttCell(memory: "E" | "R"): CellDescription {
  const dev = memory === "E" ? "ECRAM" : "RRAM";
  return {
    name: `MTT unit (${dev})`,
    components: [
      m(`${dev} hidden weight +`), m(`${dev} hidden weight −`),
      t("reference / selector +"), t("reference / selector −"),
      t("inference transistor +"), t("inference transistor −"),
    ],
  };
}

/** Separate analog + binary differential storage with memory label E or R. */
export function separateStorageCell(memory: "E" | "R"): CellDescription {
  const dev = memory === "E" ? "ECRAM" : "RRAM";
  return {
    name: `separate analog + binary (${dev})`,
    components: [
      m(`${dev} analog +`), m(`${dev} analog −`), t("selector analog +"), t("selector analog −"),
      m(`${dev} binary +`), m(`${dev} binary −`), t("selector binary +"), t("selector binary −"),
    ],
  };
}

export function componentCount(cell: CellDescription): number {
  return cell.components.length;
}

/** "4T2E"-style label. */
export function componentLabel(cell: CellDescription, memory: "E" | "R"): string {
  const nT = cell.components.filter((c) => c.kind === "transistor").length;
  const nM = cell.components.filter((c) => c.kind === "memory").length;
  return `${nT}T${nM}${memory}`;
}
