import { compileAnchoredRegex } from './regex.js';
import { analyzeRegex, type RegexShape } from './regex-analysis.js';

export enum MatchType {
  Equal = '=',
  NotEqual = '!=',
  Regexp = '=~',
  NotRegexp = '!~',
}

/**
 * A label matcher. Regexes are fully anchored and follow RE2 syntax, as in Prometheus.
 * Common regex shapes (literal sets, prefixes, `.*`) are matched without RegExp and
 * exposed so the postings index can look values up directly.
 */
export class Matcher {
  private readonly re: RegExp | null;
  private readonly shape: RegexShape | null;
  private readonly set: ReadonlySet<string> | null;

  private constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    if (type === MatchType.Regexp || type === MatchType.NotRegexp) {
      // Compile even when a fast path applies: invalid syntax must be rejected either way.
      this.re = compileAnchoredRegex(value);
      this.shape = analyzeRegex(value);
      this.set = this.shape.kind === 'set' ? new Set(this.shape.values) : null;
    } else {
      this.re = null;
      this.shape = null;
      this.set = null;
    }
  }

  /** Throws a RegexSyntaxError with a readable reason when the regex is not valid RE2. */
  static create(type: MatchType, name: string, value: string): Matcher {
    return new Matcher(type, name, value);
  }

  static equal(name: string, value: string): Matcher {
    return new Matcher(MatchType.Equal, name, value);
  }

  matches(v: string): boolean {
    switch (this.type) {
      case MatchType.Equal:
        return v === this.value;
      case MatchType.NotEqual:
        return v !== this.value;
      case MatchType.Regexp:
        return this.regexMatches(v);
      case MatchType.NotRegexp:
        return !this.regexMatches(v);
    }
  }

  private regexMatches(v: string): boolean {
    const shape = this.shape!;
    switch (shape.kind) {
      case 'any':
        return true;
      case 'nonEmpty':
        return v.length > 0;
      case 'set':
        return this.set!.has(v);
      case 'prefix':
        return v.startsWith(shape.literal);
      case 'suffix':
        return v.endsWith(shape.literal);
      case 'contains':
        return v.includes(shape.literal);
      case 'general':
        return (shape.prefix === '' || v.startsWith(shape.prefix)) && this.re!.test(v);
    }
  }

  /** Whether this matcher selects series that lack the label (it matches ''). */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  /**
   * For `=~` matchers that are a finite set of literals, those literals (so postings can be
   * looked up directly instead of scanning all values); null otherwise.
   */
  setMatches(): readonly string[] | null {
    if (this.type === MatchType.Equal) return [this.value];
    return this.shape?.kind === 'set' ? this.shape.values : null;
  }

  /** A literal every matching value starts with ('' when unknown), for pruning sorted value lists. */
  literalPrefix(): string {
    if (this.type === MatchType.Equal) return this.value;
    if (this.type !== MatchType.Regexp) return '';
    const shape = this.shape!;
    if (shape.kind === 'prefix') return shape.literal;
    if (shape.kind === 'general') return shape.prefix;
    return '';
  }

  /** True for `=~".*"`: matches every value including the empty one. */
  matchesAll(): boolean {
    return this.type === MatchType.Regexp && this.shape!.kind === 'any';
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}
