/**
 * Go's regexp Expand semantics for relabel templates: `$1`, `${1}`, `$name`, `${name}`,
 * `$$` for a literal dollar. A name is the longest run of letters, digits and `_`, so
 * `$1x` refers to a group named "1x" (empty), not group 1 followed by "x".
 */
const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

export function expandTemplate(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const braced = template[i] === '{';
    let j = braced ? i + 1 : i;
    const nameStart = j;
    while (j < template.length) {
      const ch = String.fromCodePoint(template.codePointAt(j)!);
      if (!NAME_CHAR.test(ch)) break;
      j += ch.length;
    }
    const name = template.slice(nameStart, j);
    if (name === '' || (braced && template[j] !== '}')) {
      out += '$'; // malformed: the dollar is literal text
      continue;
    }
    i = braced ? j + 1 : j;
    out += groupValue(name, match);
  }
  return out + template.slice(i);
}

function groupValue(name: string, match: RegExpExecArray): string {
  if (/^[0-9]+$/.test(name) && !(name.length > 1 && name[0] === '0') && name.length <= 8) {
    return match[Number(name)] ?? '';
  }
  return match.groups?.[name] ?? '';
}
