import { compileAnchoredRegex } from '../model/regex.js';
import { isLegacyLabelName, isValidLabelName } from '../model/labels.js';

export const RELABEL_ACTIONS = [
  'replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod',
  'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase',
] as const;
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** A `relabel_config` as written in YAML (snake_case keys), before defaults. */
export interface RelabelConfigInput {
  source_labels?: string[] | null;
  separator?: string | null;
  target_label?: string | null;
  regex?: string | null;
  modulus?: number | null;
  replacement?: string | null;
  action?: string | null;
}

/** A validated rule with Prometheus's defaults applied and its regex compiled. */
export interface RelabelRule {
  sourceLabels: string[];
  separator: string;
  targetLabel: string;
  regex: RegExp;
  regexSource: string;
  modulus: number;
  replacement: string;
  action: RelabelAction;
}

export const RELABEL_DEFAULTS = {
  separator: ';',
  regex: '(.*)',
  replacement: '$1',
  action: 'replace' as RelabelAction,
};

export type NameValidation = 'utf8' | 'legacy';

// A target label may contain `$1`/`${name}` references (replace action, labelmap replacement).
const LEGACY_TEMPLATE_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

function validTarget(name: string, scheme: NameValidation, templated: boolean): boolean {
  if (scheme === 'legacy') return templated ? LEGACY_TEMPLATE_TARGET.test(name) : isLegacyLabelName(name);
  return isValidLabelName(name);
}

/** Applies defaults and validates like Prometheus; throws an Error with upstream's wording. */
export function compileRelabelRule(input: RelabelConfigInput, scheme: NameValidation = 'utf8'): RelabelRule {
  const regexSource = input.regex ?? RELABEL_DEFAULTS.regex;
  const action = (input.action ?? RELABEL_DEFAULTS.action) as string;
  if (action === '') throw new Error('relabel action cannot be empty');
  if (!(RELABEL_ACTIONS as readonly string[]).includes(action)) throw new Error(`unknown relabel action "${action}"`);
  const a = action as RelabelAction;
  const separator = input.separator ?? RELABEL_DEFAULTS.separator;
  const replacement = input.replacement ?? RELABEL_DEFAULTS.replacement;
  const targetLabel = input.target_label ?? '';
  const modulus = input.modulus ?? 0;
  const sourceLabels = input.source_labels ?? [];
  // Upstream compiles the regex while decoding YAML, before any other check.
  const regex = compileAnchoredRegex(regexSource);

  if (a === 'hashmod' && modulus === 0) throw new Error('relabel configuration for hashmod requires non-zero modulus');
  const needsTarget: RelabelAction[] = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (needsTarget.includes(a) && targetLabel === '') {
    throw new Error(`relabel configuration for ${a} action requires 'target_label' value`);
  }
  if ((a === 'replace' || a === 'lowercase' || a === 'uppercase') && !validTarget(targetLabel, scheme, a === 'replace')) {
    throw new Error(`"${targetLabel}" is invalid 'target_label' for ${a} action`);
  }
  if ((a === 'lowercase' || a === 'uppercase') && replacement !== RELABEL_DEFAULTS.replacement) {
    throw new Error(`'replacement' can not be set for ${a} action`);
  }
  if (a === 'labelmap' && !validTarget(replacement, scheme, true)) {
    throw new Error(`"${replacement}" is invalid 'replacement' for ${a} action`);
  }
  if (a === 'hashmod' && !validTarget(targetLabel, scheme, false)) {
    throw new Error(`"${targetLabel}" is invalid 'target_label' for ${a} action`);
  }
  if (
    (a === 'keepequal' || a === 'dropequal') &&
    (regexSource !== RELABEL_DEFAULTS.regex || modulus !== 0 || separator !== RELABEL_DEFAULTS.separator ||
      replacement !== RELABEL_DEFAULTS.replacement)
  ) {
    throw new Error(`${a} action requires only 'source_labels' and \`target_label\`, and no other fields`);
  }
  if (
    (a === 'labeldrop' || a === 'labelkeep') &&
    (input.source_labels != null || targetLabel !== '' || modulus !== 0 ||
      separator !== RELABEL_DEFAULTS.separator || replacement !== RELABEL_DEFAULTS.replacement)
  ) {
    throw new Error(`${a} action requires only 'regex', and no other fields`);
  }
  return {
    sourceLabels,
    separator,
    targetLabel,
    regex,
    regexSource,
    modulus,
    replacement,
    action: a,
  };
}
