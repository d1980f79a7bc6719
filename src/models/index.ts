/** The zoo's models, defined once; see the modules for details. Pure: runs in Node and browsers. */
export * from './architecture.ts';
export * from './losses.ts';
export * from './math.ts';
export * from './adam.ts';
export * from './random.ts';
export * from './tfjs.ts';
export * from './export.ts';
export * from './step.ts';
export * from './zoo.ts';
