import type { LabelValues, MetricPoint } from './family.js';
import { Metric, type LabelInput, type MetricConfig } from './metric.js';

export interface StateSetConfig<T extends string = string> extends MetricConfig<T> {
  /** The possible states; each is exposed as a series with the metric name as label. */
  states: readonly string[];
}

/** One labelled series of a state set: one flag per state. */
export class StateSetChild {
  readonly flags: Uint8Array;
  /** Per state: the child's labels plus `{<metric name>: state}`, built once. */
  readonly stateLabels: readonly LabelValues[];

  constructor(readonly labels: LabelValues, private readonly states: readonly string[], private readonly metricName: string) {
    this.flags = new Uint8Array(states.length);
    this.stateLabels = states.map((s) => Object.freeze({ ...labels, [metricName]: s }));
  }

  protected index(state: string): number {
    const i = this.states.indexOf(state);
    if (i < 0) throw new Error(`stateset "${this.metricName}": unknown state "${state}" (states: ${this.states.join(', ')})`);
    return i;
  }

  /** Sets one state's flag. */
  setState(state: string, value: boolean): void {
    this.flags[this.index(state)] = value ? 1 : 0;
  }

  /** Sets several flags at once, e.g. `{ready: true, degraded: false}`. */
  set(states: Readonly<Record<string, boolean>>): void {
    for (const k of Object.keys(states)) this.setState(k, states[k]);
  }

  /** Makes `state` the only true state (enum semantics). */
  state(state: string): void {
    const i = this.index(state);
    this.flags.fill(0);
    this.flags[i] = 1;
  }
}

function checkStates(name: string, states: readonly string[] | undefined): readonly string[] {
  if (!Array.isArray(states) || states.length === 0) throw new Error(`stateset "${name}": states must be a non-empty array`);
  const seen = new Set<string>();
  for (const s of states) {
    if (typeof s !== 'string') throw new Error(`stateset "${name}": states must be strings`);
    if (seen.has(s)) throw new Error(`stateset "${name}": duplicate state "${s}"`);
    seen.add(s);
  }
  return Object.freeze([...states]);
}

/** A set of boolean states (OpenMetrics StateSet; gauges of 0/1 in the text format). */
export class StateSet<T extends string = string> extends Metric<StateSetChild, T> {
  readonly states: readonly string[];

  constructor(config: StateSetConfig<T>) {
    // The state label is named after the metric, so a user label of that name would collide.
    super(config, 'stateset', [config?.name]);
    this.states = checkStates(config.name, config.states);
    if (config.name.startsWith('__')) throw new Error(`stateset "${config.name}": the name is used as a label name and must not start with "__"`);
    this.init();
  }

  protected newChild(labels: LabelValues): StateSetChild {
    return new StateSetChild(labels, this.states, this.name);
  }

  protected points(c: StateSetChild, out: MetricPoint[]): void {
    for (let i = 0; i < c.flags.length; i++) out.push({ labels: c.stateLabels[i], value: c.flags[i] });
  }

  /** `set({ready: true})` or `set({pool: 'a'}, {ready: true})`. */
  set(states: Readonly<Record<string, boolean>>): void;
  set(labels: LabelInput<T>, states: Readonly<Record<string, boolean>>): void;
  set(a: Readonly<Record<string, unknown>>, b?: Readonly<Record<string, boolean>>): void {
    if (b === undefined) this.childFor(undefined).set(a as Readonly<Record<string, boolean>>);
    else this.childFor(a as LabelInput<T>).set(b);
  }

  setState(state: string, value: boolean, labels?: LabelInput<T>): void {
    this.childFor(labels).setState(state, value);
  }
}

/**
 * Exactly one of several states is current (exposed as a state set). A new series starts in
 * the first state.
 */
export class Enum<T extends string = string> extends StateSet<T> {
  protected override newChild(labels: LabelValues): StateSetChild {
    const c = super.newChild(labels);
    c.flags[0] = 1;
    return c;
  }

  /** `state('running')` or `state({worker: '1'}, 'running')`. */
  state(state: string): void;
  state(labels: LabelInput<T>, state: string): void;
  state(a: LabelInput<T> | string, b?: string): void {
    if (typeof a === 'string') this.childFor(undefined).state(a);
    else this.childFor(a).state(b as string);
  }
}
