// The graph view: one uPlot chart of a range query, lines or stacked, with a legend that shows
// the value under the cursor and isolates a series on click (Ctrl/Cmd+click toggles it).
// Dragging across the chart selects a new time range for the panel. With exemplars, each is a
// diamond over the series in its series' colour; hovering one shows its labels, value and time.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatSeries, type ExemplarSeries, type Metric, type RangeSeries } from '../api';
import { useLocalTime } from '../settings';
import { formatTime, zoneLabel } from '../time';

// Prometheus's own palette, so the same query looks the same in both UIs.
const COLORS = ['#008000', '#aa0000', '#0000aa', '#cccc00', '#d100d1', '#00aaaa', '#aa5500', '#00aa55', '#5500aa', '#aa0055', '#55aa00', '#0055aa', '#777777'];

export function colorOf(i: number): string {
  return COLORS[i % COLORS.length]!;
}

export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (Number.isNaN(v)) return 'NaN';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-3)) return v.toExponential(3);
  return String(Math.round(v * 1e4) / 1e4);
}

interface Props {
  series: RangeSeries[];
  startS: number;
  endS: number;
  stepS: number;
  stacked: boolean;
  theme: string;
  /** Exemplars to draw over the series; null when not shown. */
  exemplars: ExemplarSeries[] | null;
  /** A range selected by dragging, in seconds. */
  onZoom: (startS: number, endS: number) => void;
}

/**
 * Time-axis labels in UTC or local time: the time of day, with seconds when ticks are closer
 * than a minute, and the date on a second line under the first tick (every tick shows the date
 * when the range spans days).
 */
function axisTimeLabels(ticksS: number[], local: boolean): string[] {
  const spacing = ticksS.length > 1 ? ticksS[1]! - ticksS[0]! : 60;
  const span = ticksS.length > 1 ? ticksS[ticksS.length - 1]! - ticksS[0]! : 0;
  return ticksS.map((t, i) => {
    const full = formatTime(t * 1000, local);
    if (span >= 2 * 86400) return full.slice(5, 16);
    const time = spacing < 60 ? full.slice(11) : full.slice(11, 16);
    return i === 0 ? `${time}\n${full.slice(0, 10)}` : time;
  });
}

interface PlacedExemplar {
  labels: Metric;
  seriesLabels: Metric;
  value: number;
  timeS: number;
  color: string;
}

/**
 * An exemplar's colour is that of the result series it belongs to: the one whose labels (other
 * than the metric name, which functions drop) all match the exemplar's series.
 */
function exemplarColor(seriesLabels: Metric, series: RangeSeries[]): string {
  const i = series.findIndex((s) => Object.entries(s.metric).every(([k, v]) => k === '__name__' || seriesLabels[k] === v));
  return i >= 0 ? colorOf(i) : '#888888';
}

// Hovering within this many CSS pixels of a marker shows that exemplar.
const EXEMPLAR_HOVER_PX = 8;

export function Graph({ series, startS, endS, stepS, stacked, theme, exemplars, onZoom }: Props) {
  const local = useLocalTime();
  // The chart is built once per data change; the ref gives its hook the latest callback.
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const host = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState<boolean[]>(() => series.map(() => true));
  const [hoverIdx, setHoverIdx] = useState<number | null>(null);
  const [hoverExemplar, setHoverExemplar] = useState<PlacedExemplar | null>(null);

  const placed = useMemo<PlacedExemplar[]>(
    () =>
      (exemplars ?? []).flatMap((es) =>
        es.exemplars
          .map((e) => ({ labels: e.labels, seriesLabels: es.seriesLabels, value: Number(e.value), timeS: e.timestamp, color: exemplarColor(es.seriesLabels, series) }))
          .filter((e) => Number.isFinite(e.value) && e.timeS >= startS && e.timeS <= endS),
      ),
    [exemplars, series, startS, endS],
  );

  useEffect(() => setVisible(series.map(() => true)), [series]);

  // uPlot wants one shared x axis: the query's evaluation steps, with nulls where a series has no point.
  const aligned = useMemo(() => {
    const xs: number[] = [];
    for (let t = startS; t <= endS + 1e-9; t += stepS) xs.push(Math.round(t * 1000) / 1000);
    const index = new Map(xs.map((t, i) => [t, i]));
    const ys = series.map((s) => {
      const col: (number | null)[] = new Array(xs.length).fill(null);
      for (const [t, v] of s.values ?? []) {
        const i = index.get(Math.round(t * 1000) / 1000);
        if (i !== undefined) col[i] = Number(v);
      }
      return col;
    });
    return { xs, ys };
  }, [series, startS, endS, stepS]);

  // Stacked mode draws running sums of the visible series.
  const plotted = useMemo(() => {
    if (!stacked) return aligned.ys;
    const sum: (number | null)[] = new Array(aligned.xs.length).fill(null);
    return aligned.ys.map((col, si) => {
      if (!visible[si]) return col;
      return col.map((v, i) => {
        if (v === null) return null;
        sum[i] = (sum[i] ?? 0) + v;
        return sum[i];
      });
    });
  }, [aligned, stacked, visible]);

  useEffect(() => {
    const el = host.current!;
    const css = getComputedStyle(document.documentElement);
    const fg = css.getPropertyValue('--muted').trim();
    const grid = css.getPropertyValue('--grid').trim();
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: el.clientWidth,
      height: 360,
      legend: { show: false },
      // The panel re-queries the selected range (as Prometheus does) instead of uPlot zooming in
      // on the points it already has.
      cursor: { focus: { prox: 16 }, drag: { x: true, y: false, setScale: false } },
      focus: { alpha: 0.3 },
      scales: {
        x: { time: true },
        // The y range takes in the exemplars too, so none is drawn off the chart.
        y: {
          range: (_u, min, max) => {
            let lo = min;
            let hi = max;
            for (const e of placed) {
              lo = lo === null || e.value < lo ? e.value : lo;
              hi = hi === null || e.value > hi ? e.value : hi;
            }
            return uPlot.rangeNum(lo ?? 0, hi ?? 1, 0.1, true);
          },
        },
      },
      // uPlot lays out time ticks in the zone tzDate gives; the labels are ours, in the same zone.
      tzDate: local ? (ts) => new Date(ts * 1000) : (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      axes: [
        {
          ...axis,
          values: (_u, ticks) => {
            const labels = axisTimeLabels(ticks, local);
            // What the canvas shows, for readers (and tests) that cannot read pixels.
            el.dataset.xTicks = labels.join(',');
            return labels;
          },
        },
        { ...axis, size: 70, values: (_u, vals) => vals.map((v) => formatValue(v)) },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: formatSeries(s.metric),
          stroke: colorOf(i),
          fill: stacked ? `${colorOf(i)}55` : undefined,
          width: 1.5,
          show: visible[i] ?? true,
        })),
      ],
      hooks: {
        setCursor: [
          (u) => {
            setHoverIdx(u.cursor.idx ?? null);
            const left = u.cursor.left ?? -1;
            const top = u.cursor.top ?? -1;
            let best: PlacedExemplar | null = null;
            let bestDist = EXEMPLAR_HOVER_PX;
            for (const e of placed) {
              const d = Math.hypot(u.valToPos(e.timeS, 'x') - left, u.valToPos(e.value, 'y') - top);
              if (d <= bestDist) [best, bestDist] = [e, d];
            }
            setHoverExemplar(best);
          },
        ],
        draw: [
          (u) => {
            const ctx = u.ctx;
            const r = 5 * devicePixelRatio;
            const where: string[] = [];
            ctx.save();
            ctx.lineWidth = devicePixelRatio;
            ctx.strokeStyle = css.getPropertyValue('--fg').trim() || '#000';
            for (const e of placed) {
              const x = u.valToPos(e.timeS, 'x', true);
              const y = u.valToPos(e.value, 'y', true);
              ctx.beginPath();
              ctx.moveTo(x, y - r);
              ctx.lineTo(x + r, y);
              ctx.lineTo(x, y + r);
              ctx.lineTo(x - r, y);
              ctx.closePath();
              ctx.fillStyle = e.color;
              ctx.fill();
              ctx.stroke();
              where.push(`${Math.round(u.valToPos(e.timeS, 'x'))}:${Math.round(u.valToPos(e.value, 'y'))}`);
            }
            ctx.restore();
            // Marker positions in CSS pixels over the plot area and their colours, for readers
            // that cannot see the canvas.
            el.dataset.exemplars = where.join(',');
            el.dataset.exemplarColors = placed.map((e) => e.color).join(',');
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(from, to);
          },
        ],
      },
    };
    const u = new uPlot(opts, [aligned.xs, ...plotted] as uPlot.AlignedData, el);
    el.dataset.series = String(u.series.length - 1);
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 360 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [aligned, plotted, visible, stacked, theme, local, placed]);

  const onLegendClick = (i: number, e: MouseEvent) => {
    if (e.ctrlKey || e.metaKey) {
      setVisible(visible.map((v, j) => (j === i ? !v : v)));
      return;
    }
    const isolated = visible[i] && visible.every((v, j) => j === i || !v);
    setVisible(visible.map((_, j) => isolated || j === i));
  };

  return (
    <div class="graph">
      <div ref={host} class="graph-canvas" data-testid="graph" />
      <ul class="legend" data-testid="legend">
        {series.map((s, i) => (
          <li key={i} class={visible[i] ? '' : 'hidden'} onClick={(e) => onLegendClick(i, e)} title="Click to isolate, Ctrl/Cmd+click to toggle">
            <span class="swatch" style={{ background: colorOf(i) }} />
            <span class="series-name">{formatSeries(s.metric)}</span>
            {hoverIdx !== null && <span class="hover-value">{formatValue(aligned.ys[i]?.[hoverIdx])}</span>}
          </li>
        ))}
      </ul>
      {hoverExemplar && (
        <div class="exemplar-info" role="status" data-testid="exemplar-info">
          <strong>Exemplar</strong>
          <dl>
            {Object.entries(hoverExemplar.labels).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
            <div>
              <dt>value</dt>
              <dd>{formatValue(hoverExemplar.value)}</dd>
            </div>
            <div>
              <dt>time</dt>
              <dd>
                {formatTime(hoverExemplar.timeS * 1000, local)} {zoneLabel(local, hoverExemplar.timeS * 1000)}
              </dd>
            </div>
            <div>
              <dt>series</dt>
              <dd>{formatSeries(hoverExemplar.seriesLabels)}</dd>
            </div>
          </dl>
        </div>
      )}
      {hoverIdx !== null && aligned.xs[hoverIdx] !== undefined && (
        <div class="hover-time" data-testid="hover-time">
          {formatTime(aligned.xs[hoverIdx]! * 1000, local)} {zoneLabel(local, aligned.xs[hoverIdx]! * 1000)}
        </div>
      )}
    </div>
  );
}
