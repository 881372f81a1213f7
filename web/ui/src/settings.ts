// User settings kept in the browser (localStorage), shared by every page through a tiny store.
import { useEffect, useState } from 'preact/hooks';
import { formatTime, zoneLabel } from './time';

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

/** A formatter for absolute times that follows the "use local time" setting. */
export function useTimeFormat(): (ms: number) => string {
  const local = useLocalTime();
  return (ms) => `${formatTime(ms, local)} ${zoneLabel(local, ms)}`;
}
