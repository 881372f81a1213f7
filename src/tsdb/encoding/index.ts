export { crc32c, crc32cUpdate } from './crc32c.js';
export { EncBuf } from './encbuf.js';
export { DecBuf } from './decbuf.js';
export { snappyDecode, snappyDecodedLength } from './snappy.js';
