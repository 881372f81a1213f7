export * from './list.js';
export * from './mem.js';
export * from './matchers.js';
