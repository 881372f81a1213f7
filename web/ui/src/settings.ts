// User settings kept in the browser (localStorage), shared by every page through a tiny store.
import { useEffect, useState } from 'preact/hooks';

const LOCAL_TIME_KEY = 'pyrometer.useLocalTime';
let useLocal = localStorage.getItem(LOCAL_TIME_KEY) === 'true';
const listeners = new Set<(v: boolean) => void>();

export function setUseLocalTime(v: boolean): void {
  useLocal = v;
  localStorage.setItem(LOCAL_TIME_KEY, String(v));
  for (const l of listeners) l(v);
}

/** Whether times are shown in the browser's time zone; UTC (Prometheus's default) otherwise. */
export function useLocalTime(): boolean {
  const [v, setV] = useState(useLocal);
  useEffect(() => {
    listeners.add(setV);
    return () => void listeners.delete(setV);
  }, []);
  return v;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2024-01-02 15:04:05`, in UTC or the browser's time zone. */
export function formatTimestamp(ms: number, local: boolean): string {
  const d = new Date(ms);
  if (!local) return d.toISOString().slice(0, 19).replace('T', ' ');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The time zone label shown next to times: `UTC` or the browser's offset, e.g. `UTC+02:00`. */
export function zoneLabel(local: boolean, atMs = Date.now()): string {
  if (!local) return 'UTC';
  const off = -new Date(atMs).getTimezoneOffset();
  if (off === 0) return 'UTC+00:00';
  const a = Math.abs(off);
  return `UTC${off > 0 ? '+' : '-'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** A formatter for absolute times that follows the "use local time" setting. */
export function useTimeFormat(): (ms: number) => string {
  const local = useLocalTime();
  return (ms) => `${formatTimestamp(ms, local)} ${zoneLabel(local, ms)}`;
}
