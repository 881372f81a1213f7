/**
 * Go compares strings by UTF-8 bytes; JS compares UTF-16 code units. The two orders differ
 * only when a surrogate (astral character) meets a code unit in U+E000..U+FFFF, so the
 * on-disk sort orders (symbols, series, postings) use this comparison to match Prometheus.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates encode code points above U+FFFF, which sort after U+E000..U+FFFF in UTF-8.
      const xs = x <= 0xdfff;
      const ys = y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Label sets as flat sorted [name, value, ...] arrays, ordered as Prometheus's labels.Compare. */
export function compareLabelsFlat(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareUtf8(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
