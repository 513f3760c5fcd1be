/** Warehouse runs: ingest and features as SQL in the warehouse, assignments written back. */
export { checkWarehouse, fromWarehouse, type Front } from './front.js';
export { writeBack } from './write-back.js';
