export * from './config.js';
export * from './relabel.js';
export { expandTemplate } from './expand.js';
