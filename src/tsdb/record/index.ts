export * from './types.js';
export * from './histogram.js';
export * from './encode.js';
export * from './decode.js';
