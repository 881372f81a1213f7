// The shapes of /api/v1/rules, as Prometheus 2.42+ and 3.x return them.

export type AlertState = 'firing' | 'pending' | 'inactive';
export type RuleHealth = 'ok' | 'err' | 'unknown';

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  activeAt?: string;
  keepFiringSince?: string;
  /** Go's %e formatting of the sample value, e.g. `1e+00`. */
  value: string;
}

interface RuleCommon {
  name: string;
  query: string;
  labels?: Record<string, string>;
  health: RuleHealth;
  lastError?: string;
  evaluationTime: number;
  lastEvaluation: string;
}

export interface AlertingRule extends RuleCommon {
  type: 'alerting';
  state: AlertState;
  /** `for`, in seconds. */
  duration: number;
  keepFiringFor?: number;
  annotations: Record<string, string>;
  alerts: Alert[];
}

export interface RecordingRule extends RuleCommon {
  type: 'recording';
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: string;
  file: string;
  rules: Rule[];
  /** Seconds. */
  interval: number;
  limit?: number;
  evaluationTime: number;
  lastEvaluation: string;
}

/** Go's zero time, which the API reports for a group or rule not evaluated yet. */
export function neverEvaluated(iso: string): boolean {
  return iso.startsWith('0001-01-01');
}
