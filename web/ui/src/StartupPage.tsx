// Shown instead of the pages while the server is not ready (`/-/ready` answers 503, e.g. while
// the TSDB replays its write-ahead log), with the replay progress from /api/v1/status/walreplay.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from './api';

interface WalReplayStatus {
  min: number;
  max: number;
  current: number;
}

const POLL_MS = 500;

/** Renders `children` once the server is ready; until then, the startup page. */
export function ReadinessGate({ children }: { children: ComponentChildren }) {
  const [ready, setReady] = useState<boolean | null>(null);
  const [replay, setReplay] = useState<WalReplayStatus | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ctl = new AbortController();
    const check = async () => {
      let ok = false;
      try {
        ok = (await fetch('-/ready', { signal: ctl.signal, cache: 'no-store' })).ok;
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
      }
      if (ok) {
        setReady(true);
        return;
      }
      setReady(false);
      // The endpoint may not answer yet this early; the page then shows only "Starting up".
      apiGet<WalReplayStatus>('status/walreplay', {}, ctl.signal).then(setReplay, () => undefined);
      timer = setTimeout(check, POLL_MS);
    };
    void check();
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, []);

  if (ready) return <>{children}</>;
  if (ready === null) return null;
  return <StartupPage replay={replay} />;
}

function StartupPage({ replay }: { replay: WalReplayStatus | null }) {
  // min..max are WAL segment numbers; nothing to show before the replay knows them.
  const replaying = replay !== null && replay.max > 0;
  const percent = !replaying ? 0 : replay.max === replay.min ? 100 : Math.round(((replay.current - replay.min) / (replay.max - replay.min)) * 100);
  return (
    <div class="startup" data-testid="startup">
      <h1>Starting up…</h1>
      {replaying ? (
        <>
          <div data-testid="wal-replay">
            Replaying WAL ({replay.current}/{replay.max})
          </div>
          <progress max={100} value={percent} aria-label="WAL replay progress">
            {percent}%
          </progress>
        </>
      ) : (
        <div class="info">The server is not ready yet; this page refreshes by itself.</div>
      )}
    </div>
  );
}
