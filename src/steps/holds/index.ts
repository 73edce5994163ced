export { listHolds, type HoldsResult } from './holds.js';
