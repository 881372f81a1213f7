import { createHash } from 'node:crypto';
import { Labels, LabelsBuilder } from '../model/labels.js';
import { isValidLabelName } from '../model/labels.js';
import type { RelabelRule } from './config.js';
import { expandTemplate } from './expand.js';

/**
 * Applies rules in order. Returns the new label set, or null when a rule dropped it.
 * Empty values are removed, as everywhere in Prometheus.
 */
export function relabel(labels: Labels, rules: readonly RelabelRule[]): Labels | null {
  if (rules.length === 0) return labels;
  const lb = new LabelsBuilder(labels);
  return relabelBuilder(lb, rules) ? lb.labels() : null;
}

/** In-place variant for callers that keep a builder; returns false when dropped. */
export function relabelBuilder(lb: LabelsBuilder, rules: readonly RelabelRule[]): boolean {
  for (const rule of rules) {
    if (!applyRule(lb, rule)) return false;
  }
  return true;
}

function sourceValue(lb: LabelsBuilder, rule: RelabelRule): string {
  const names = rule.sourceLabels;
  if (names.length === 1) return lb.get(names[0]);
  let val = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) val += rule.separator;
    val += lb.get(names[i]);
  }
  return val;
}

function applyRule(lb: LabelsBuilder, rule: RelabelRule): boolean {
  const val = sourceValue(lb, rule);
  switch (rule.action) {
    case 'drop':
      return !rule.regex.test(val);
    case 'keep':
      return rule.regex.test(val);
    case 'dropequal':
      return lb.get(rule.targetLabel) !== val;
    case 'keepequal':
      return lb.get(rule.targetLabel) === val;
    case 'replace': {
      const m = rule.regex.exec(val);
      if (!m) return true;
      const target = expandTemplate(rule.targetLabel, m);
      if (!isValidLabelName(target)) return true;
      const res = expandTemplate(rule.replacement, m);
      if (res === '') lb.del(target);
      else lb.set(target, res);
      return true;
    }
    case 'lowercase':
      lb.set(rule.targetLabel, val.toLowerCase());
      return true;
    case 'uppercase':
      lb.set(rule.targetLabel, val.toUpperCase());
      return true;
    case 'hashmod':
      lb.set(rule.targetLabel, String(hashMod(val, rule.modulus)));
      return true;
    case 'labelmap': {
      const current = lb.labels();
      for (let i = 0; i < current.length; i++) {
        const m = rule.regex.exec(current.nameAt(i));
        if (m) lb.set(expandTemplate(rule.replacement, m), current.valueAt(i));
      }
      return true;
    }
    case 'labeldrop':
    case 'labelkeep': {
      const current = lb.labels();
      const keepMatching = rule.action === 'labelkeep';
      for (let i = 0; i < current.length; i++) {
        const name = current.nameAt(i);
        if (rule.regex.test(name) !== keepMatching) lb.del(name);
      }
      return true;
    }
  }
}

/**
 * Prometheus hashes with MD5 and takes the last 8 bytes as a big-endian uint64, so
 * `hashmod` shards agree with Prometheus servers sharing the same config.
 */
export function hashMod(val: string, modulus: number): number {
  const digest = createHash('md5').update(val, 'utf8').digest();
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}
