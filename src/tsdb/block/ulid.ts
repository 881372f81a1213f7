/**
 * ULIDs name blocks: 48 bits of milliseconds since the epoch then 80 random bits,
 * written as 26 Crockford base32 characters, so names sort by creation time.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  DECODE[ALPHABET.charCodeAt(i)] = i;
  DECODE[ALPHABET.toLowerCase().charCodeAt(i)] = i;
}

const MAX_TIME = 2 ** 48 - 1;

/** A new ULID for time `ms` (default now) with 80 bits from the system CSPRNG. */
export function newUlid(ms: number = Date.now(), random: Uint8Array = randomBytes(10)): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIME) throw new Error(`ulid: time ${ms} out of range`);
  if (random.length !== 10) throw new Error('ulid: need 10 random bytes');
  let out = '';
  // 10 characters of time: 50 bits, the top two always zero.
  let t = ms;
  const timeChars = new Array<string>(10);
  for (let i = 9; i >= 0; i--) {
    timeChars[i] = ALPHABET[t % 32];
    t = Math.floor(t / 32);
  }
  out = timeChars.join('');
  // 16 characters of randomness: 80 bits, 5 per character, most significant first.
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    acc = (acc << 8) | random[i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** Whether `s` is a syntactically valid ULID (26 base32 characters, first at most '7'). */
export function isUlid(s: string): boolean {
  if (s.length !== 26) return false;
  for (let i = 0; i < 26; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || DECODE[c] < 0) return false;
  }
  return DECODE[s.charCodeAt(0)] <= 7;
}

/** The millisecond timestamp encoded in a ULID. */
export function ulidTime(s: string): number {
  if (!isUlid(s)) throw new Error(`invalid ULID "${s}"`);
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + DECODE[s.charCodeAt(i)];
  return t;
}
