/**
 * The compact format moved to `src/contracts/compact-format.ts` (a contract of the pipeline and the
 * browser). This re-export keeps the widgets' existing imports working; import from the contract.
 */
export * from '../contracts/compact-format.ts';
