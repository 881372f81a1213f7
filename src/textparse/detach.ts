/**
 * V8 represents a substring of 13 or more characters as a slice that keeps the whole parent
 * string alive. Strings kept beyond one scrape (cache keys, label values) must not pin the
 * scrape body, so they are copied into a fresh flat string.
 */
export function detachString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
