/**
 * `targets/relabel_steps` (Prometheus 3, experimental, for the UI): a scrape pool's target
 * relabeling applied to one discovered label set rule by rule, with the labels after each rule
 * and whether the target is still kept.
 */
import { Labels, LabelsBuilder } from '../../model/labels.js';
import type { RelabelRule } from '../../relabel/config.js';
import { relabelBuilder } from '../../relabel/relabel.js';
import type { ApiDeps } from './deps.js';
import { ApiError, Params } from './params.js';

/** A rule as Prometheus's relabel.Config marshals to JSON (camelCase, omitempty fields). */
function ruleJson(r: RelabelRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.sourceLabels.length) out.sourceLabels = r.sourceLabels;
  if (r.separator) out.separator = r.separator;
  out.regex = r.regexSource;
  if (r.modulus) out.modulus = r.modulus;
  if (r.targetLabel) out.targetLabel = r.targetLabel;
  if (r.replacement) out.replacement = r.replacement;
  out.action = r.action;
  return out;
}

export function relabelSteps(d: ApiDeps, p: Params): unknown {
  const poolName = p.get('scrapePool');
  if (!poolName) throw new ApiError('bad_data', 'no scrapePool parameter provided');
  const labelsJson = p.get('labels');
  if (!labelsJson) throw new ApiError('bad_data', 'no labels parameter provided');
  let input: Labels;
  try {
    const parsed = JSON.parse(labelsJson) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      throw new Error('labels must be a JSON object of strings');
    }
    input = Labels.fromRecord(parsed as Record<string, string>);
  } catch (e) {
    throw new ApiError('bad_data', `error parsing labels: ${(e as Error).message}`);
  }
  const pool = d.scrape.pools.get(poolName);
  if (!pool) throw new ApiError('bad_data', `error retrieving scrape config: scrape pool "${poolName}" not found`);
  // One pass: each rule applies to the labels the previous ones left; once a rule drops the
  // target, every later step reports it dropped with no labels, as Prometheus does.
  const lb = new LabelsBuilder(input);
  let kept = true;
  const steps = pool.cfg.relabel_configs.map(({ rule }) => {
    kept = kept && relabelBuilder(lb, [rule]);
    return { rule: ruleJson(rule), output: kept ? lb.labels().toRecord() : {}, keep: kept };
  });
  return { steps };
}
