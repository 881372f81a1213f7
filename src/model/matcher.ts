import { compileAnchoredRegex } from './regex.js';

export enum MatchType {
  Equal = '=',
  NotEqual = '!=',
  Regexp = '=~',
  NotRegexp = '!~',
}

/** A label matcher. Regexes are fully anchored and follow RE2 syntax, as in Prometheus. */
export class Matcher {
  private readonly re: RegExp | null;

  private constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    this.re =
      type === MatchType.Regexp || type === MatchType.NotRegexp ? compileAnchoredRegex(value) : null;
  }

  /** Throws an Error with a readable reason when the regex is not valid RE2. */
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
        return this.re!.test(v);
      case MatchType.NotRegexp:
        return !this.re!.test(v);
    }
  }

  /** Whether this matcher selects series that lack the label (it matches ''). */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}
