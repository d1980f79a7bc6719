/**
 * The `embeddings.json` schema moved to `src/contracts/embeddings.ts`; this re-export keeps the
 * `<latent-map>` script's import working. Import from the contract.
 */
export * from '../../contracts/embeddings.ts';
