/**
 * Readers for Linux's /proc: the process facts Node's own APIs do not give (virtual memory,
 * data segment, open and maximum file descriptors, the kernel's start time).
 * Every reader returns undefined when the file is missing or unreadable (non-Linux, hardened
 * containers), so callers can leave the metric out instead of exposing a wrong value.
 */
import { readFileSync, readdirSync } from 'node:fs';

/**
 * USER_HZ: the unit of the tick counts in /proc/<pid>/stat. Node cannot call sysconf, and the
 * kernel reports 100 on every Linux architecture regardless of CONFIG_HZ.
 */
export const USER_HZ = 100;

export interface ProcStat {
  /** Seconds spent in user and kernel mode, in USER_HZ resolution. */
  utimeSeconds: number;
  stimeSeconds: number;
  /** Ticks after boot at which the process started. */
  startTicks: number;
  virtualBytes: number;
  /** Resident pages (multiply by the page size; /proc/<pid>/status gives bytes directly). */
  rssPages: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses, so fields are counted after its last ')'. */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ") " the first field is `state`, which is field 3 of proc(5).
  const f = text.slice(close + 2).trim().split(' ');
  const field = (n: number): number => Number(f[n - 3]);
  const utime = field(14);
  const stime = field(15);
  const start = field(22);
  const vsize = field(23);
  const rss = field(24);
  if (![utime, stime, start, vsize, rss].every(Number.isFinite)) return undefined;
  return { utimeSeconds: utime / USER_HZ, stimeSeconds: stime / USER_HZ, startTicks: start, virtualBytes: vsize, rssPages: rss };
}

export function readStat(pid: number | 'self' = 'self'): ProcStat | undefined {
  const text = read(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseStat(text);
}

export interface ProcMemory {
  residentBytes: number;
  virtualBytes: number;
  /** The data segment (VmData): what prom-client and client_golang-era exporters call the process heap. */
  heapBytes: number;
}

/** Parses the Vm* lines of /proc/<pid>/status (values in kB, i.e. KiB). */
export function parseStatusMemory(text: string): ProcMemory | undefined {
  const kib = (key: string): number | undefined => {
    const at = text.indexOf(`\n${key}:`);
    if (at < 0) return undefined;
    const m = /^\s*(\d+)\s*kB/.exec(text.slice(at + key.length + 2, at + key.length + 40));
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const residentBytes = kib('VmRSS');
  const virtualBytes = kib('VmSize');
  const heapBytes = kib('VmData');
  if (residentBytes === undefined || virtualBytes === undefined || heapBytes === undefined) return undefined;
  return { residentBytes, virtualBytes, heapBytes };
}

export function readMemory(pid: number | 'self' = 'self'): ProcMemory | undefined {
  const text = read(`/proc/${pid}/status`);
  return text === undefined ? undefined : parseStatusMemory(text);
}

/**
 * Number of open file descriptors. Listing /proc/self/fd opens one descriptor for the listing
 * itself, which is not the caller's, so it is not counted.
 */
export function readOpenFds(pid: number | 'self' = 'self'): number | undefined {
  try {
    const n = readdirSync(`/proc/${pid}/fd`).length;
    return pid === 'self' || pid === process.pid ? n - 1 : n;
  } catch {
    return undefined;
  }
}

/** The soft limit on open files from /proc/<pid>/limits; Infinity for "unlimited". */
export function parseMaxFds(text: string): number | undefined {
  const m = /^Max open files\s+(\S+)/m.exec(text);
  if (!m) return undefined;
  if (m[1] === 'unlimited') return Infinity;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

export function readMaxFds(pid: number | 'self' = 'self'): number | undefined {
  const text = read(`/proc/${pid}/limits`);
  return text === undefined ? undefined : parseMaxFds(text);
}

/** System boot time in Unix seconds (the `btime` line of /proc/stat). */
export function parseBootTime(text: string): number | undefined {
  const m = /^btime\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

let bootTime: number | undefined | null = null;

/** Boot time, read once: it does not change while the system runs. */
export function readBootTime(): number | undefined {
  if (bootTime === null) {
    const text = read('/proc/stat');
    bootTime = text === undefined ? undefined : parseBootTime(text);
  }
  return bootTime;
}

/** Process start time in Unix seconds as the kernel records it. */
export function readStartTime(pid: number | 'self' = 'self'): number | undefined {
  const boot = readBootTime();
  const stat = readStat(pid);
  if (boot === undefined || stat === undefined) return undefined;
  return boot + stat.startTicks / USER_HZ;
}
