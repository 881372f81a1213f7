/**
 * Interned label strings with reference counts, so a series stores small integer ids and a
 * string used by many series is held once. Ids of strings no series uses any more are reused.
 */
export class SymbolTable {
  private readonly ids = new Map<string, number>();
  private strings: string[] = [];
  private refs = new Int32Array(1024);
  private readonly freeIds: number[] = [];

  /** The id of `s`, interning it and taking one reference. */
  ref(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.strings.length;
      if (id === this.strings.length) this.strings.push(s);
      else this.strings[id] = s;
      if (id >= this.refs.length) {
        const next = new Int32Array(this.refs.length * 2);
        next.set(this.refs);
        this.refs = next;
      }
      this.ids.set(s, id);
    }
    this.refs[id]++;
    return id;
  }

  /** Drops one reference; the string is forgotten when none is left. */
  unref(id: number): void {
    if (--this.refs[id] === 0) {
      this.ids.delete(this.strings[id]);
      this.strings[id] = '';
      this.freeIds.push(id);
    }
  }

  get(id: number): string {
    return this.strings[id];
  }

  /** The id of `s` if interned, else -1 (no reference taken). */
  lookup(s: string): number {
    return this.ids.get(s) ?? -1;
  }
}
