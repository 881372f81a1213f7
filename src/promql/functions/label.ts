/** label_replace and label_join. Labels are rewritten once per series, not per step. */
import { isValidLabelName, LabelsBuilder, METRIC_NAME } from '../../model/labels.js';
import { compileAnchoredRegex } from '../../model/regex.js';
import { QueryError } from '../annotations.js';
import type { StepSeries } from '../series.js';
import { stringArg, type FuncImpl } from './common.js';

/**
 * Go's regexp template expansion: `$name` / `${name}` with the longest run of word
 * characters as the name (so `$1x` names group "1x"), `$$` for a literal dollar.
 */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name = '';
    let j = i + 1;
    if (template[j] === '{') {
      const close = template.indexOf('}', j);
      const inner = close < 0 ? '' : template.slice(j + 1, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(inner)) {
        out += '$';
        i++;
        continue;
      }
      name = inner;
      j = close + 1;
    } else {
      while (j < template.length && /[A-Za-z0-9_]/.test(template[j])) j++;
      name = template.slice(i + 1, j);
      if (name === '') {
        out += '$';
        i++;
        continue;
      }
    }
    if (/^[0-9]+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
    i = j;
  }
  return out;
}

/**
 * Series that ended up with the same labels merge into one, unless they have values at the
 * same step, which is the error Prometheus reports.
 */
function mergeSame(series: StepSeries[]): StepSeries[] {
  const byHash = new Map<number, StepSeries[]>();
  const out: StepSeries[] = [];
  for (const s of series) {
    const h = s.labels.hash();
    const list = byHash.get(h);
    const same = list?.find((o) => o.labels.equals(s.labels));
    if (!same) {
      if (list) list.push(s);
      else byHash.set(h, [s]);
      out.push(s);
      continue;
    }
    for (let i = 0; i < s.present.length; i++) {
      if (!s.present[i]) continue;
      if (same.present[i]) throw new QueryError('vector cannot contain metrics with the same labelset');
      same.present[i] = 1;
      same.values[i] = s.values[i];
    }
  }
  return out;
}

export const labelFunctions: Record<string, FuncImpl> = {
  label_replace: (ev, call, g) => {
    const dst = stringArg(ev, call.args[1], g);
    const repl = stringArg(ev, call.args[2], g);
    const src = stringArg(ev, call.args[3], g);
    const reStr = stringArg(ev, call.args[4], g);
    let re: RegExp;
    try {
      re = compileAnchoredRegex(reStr);
    } catch {
      throw new QueryError(`invalid regular expression in label_replace(): ${reStr}`);
    }
    if (!isValidLabelName(dst)) throw new QueryError(`invalid destination label name in label_replace(): ${dst}`);
    const v = ev.evalVector(call.args[0], g);
    const b = new LabelsBuilder();
    for (const s of v.series) {
      const m = re.exec(s.labels.get(src));
      if (!m) continue;
      s.labels = b.reset(s.labels).set(dst, expandTemplate(repl, m)).labels();
      if (dst === METRIC_NAME) s.dropName = false;
    }
    v.series = mergeSame(v.series);
    return v;
  },
  label_join: (ev, call, g) => {
    const dst = stringArg(ev, call.args[1], g);
    const sep = stringArg(ev, call.args[2], g);
    const srcs: string[] = [];
    for (let i = 3; i < call.args.length; i++) {
      const src = stringArg(ev, call.args[i], g);
      if (!isValidLabelName(src)) throw new QueryError(`invalid source label name in label_join(): ${src}`);
      srcs.push(src);
    }
    if (!isValidLabelName(dst)) throw new QueryError(`invalid destination label name in label_join(): ${dst}`);
    const v = ev.evalVector(call.args[0], g);
    const b = new LabelsBuilder();
    for (const s of v.series) {
      const joined = srcs.map((n) => s.labels.get(n)).join(sep);
      s.labels = b.reset(s.labels).set(dst, joined).labels();
      if (dst === METRIC_NAME) s.dropName = false;
    }
    v.series = mergeSame(v.series);
    return v;
  },
};
