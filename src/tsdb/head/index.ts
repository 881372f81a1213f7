export * from './head.js';
export { HeadSeriesIterator } from './iterator.js';
