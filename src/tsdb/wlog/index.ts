export * from './segment.js';
export * from './writer.js';
export * from './reader.js';
export * from './repair.js';
export * from './checkpoint.js';
export * from './replay.js';
export * from './sink.js';
