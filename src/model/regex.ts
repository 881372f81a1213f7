/**
 * Compiles a Prometheus (RE2) regular expression into an anchored JS RegExp.
 * Prometheus anchors as `^(?s:...)$`: `.` matches newlines too.
 */
export function compileAnchoredRegex(src: string): RegExp {
  const body = translateRe2(src);
  try {
    return new RegExp(`^(?:${body.source})$`, body.flags);
  } catch (e) {
    throw new Error(`invalid regular expression ${JSON.stringify(src)}: ${(e as Error).message}`);
  }
}

interface Translated {
  source: string;
  flags: string;
}

/** Rejects syntax RE2 does not accept and maps RE2-only syntax onto JS. */
function translateRe2(src: string): Translated {
  let flags = 'su';
  let s = src;
  const lead = /^\(\?([imsU]+)\)/.exec(s);
  if (lead) {
    if (lead[1].includes('i')) flags += 'i';
    if (lead[1].includes('m')) flags += 'm';
    s = s.slice(lead[0].length);
  }
  const bad = /\(\?[=!]|\(\?<[=!]|\\[1-9]|\\k</.exec(s);
  if (bad) {
    throw new Error(
      `invalid regular expression ${JSON.stringify(src)}: ${JSON.stringify(bad[0])} is not supported by RE2`,
    );
  }
  s = s.replace(/\(\?P</g, '(?<');
  return { source: s, flags };
}
