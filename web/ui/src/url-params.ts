// Page filters kept in the URL's query string, so a copied link reproduces the view. The page
// reads them once when it opens and replaces (not pushes) the URL as they change, so filtering
// does not fill the back button's history.
import { useEffect, useState } from 'preact/hooks';

/**
 * A state read from and written to the query string. `write` sets or deletes its own
 * parameters on a copy of the current ones; other parameters stay as they are.
 */
export function useUrlState<T>(read: (q: URLSearchParams) => T, write: (q: URLSearchParams, v: T) => void): [T, (v: T) => void] {
  const [value, setValue] = useState(() => read(new URLSearchParams(location.search)));
  useEffect(() => {
    const q = new URLSearchParams(location.search);
    write(q, value);
    const search = q.toString();
    if (search === location.search.slice(1)) return;
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
    // `write` is the same function for the page's lifetime.
  }, [value]);
  return [value, setValue];
}

/**
 * A set of values as a repeated parameter (`state=firing&state=pending`): absent means all of
 * `all`, and one empty value means none.
 */
export function useUrlSet<T extends string>(name: string, all: readonly T[]): [Set<T>, (v: Set<T>) => void] {
  return useUrlState(
    (q) => (q.has(name) ? new Set(q.getAll(name).filter((v): v is T => (all as readonly string[]).includes(v))) : new Set(all)),
    (q, v) => {
      q.delete(name);
      if (v.size === all.length) return;
      if (v.size === 0) q.append(name, '');
      // In the order of `all`, so the same view gives the same link.
      for (const s of all) if (v.has(s)) q.append(name, s);
    },
  );
}

/** A text parameter; empty is absent. */
export function useUrlString(name: string): [string, (v: string) => void] {
  return useUrlState(
    (q) => q.get(name) ?? '',
    (q, v) => (v ? q.set(name, v) : q.delete(name)),
  );
}

/** A switch as `name=1`; off is absent. */
export function useUrlFlag(name: string): [boolean, (v: boolean) => void] {
  return useUrlState(
    (q) => q.get(name) === '1',
    (q, v) => (v ? q.set(name, '1') : q.delete(name)),
  );
}
