import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';

/** Upstream allows a wildcard only in the last path component of rule and scrape config file paths. */
export const GLOB_PATH = /^[^*]*(\*[^/]*)?$/;

/** Converts a Go filepath.Match pattern (`*`, `?`, `[...]`, `\` escapes) for one path component. */
function componentRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error('syntax error in pattern');
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = '^' + body.slice(1).replace(/\\/g, '\\\\');
      else body = body.replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Expands a pattern relative to `baseDir`; sorted matches, none when the folder is missing. */
export function expandGlob(pattern: string, baseDir: string): string[] {
  const full = isAbsolute(pattern) ? pattern : join(baseDir, pattern);
  const base = basename(full);
  if (!/[*?[]/.test(base)) return [full];
  const dir = dirname(full);
  const re = componentRegex(base);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => re.test(n)).sort().map((n) => join(dir, n));
}
