/** Command codes shared by parallel.ts and parallel-worker.ts (slot 0 of the shared command block). */
export const OP_COLUMNS = 1;
export const OP_ADAM = 2;
export const OP_STAIRCASE = 3;
export const OP_EXIT = 99;
