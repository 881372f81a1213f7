// Calls the Prometheus HTTP API of the server that served this page. URLs are relative to the
// document's <base href> (the route prefix), so they work under --web.route-prefix.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** GETs `api/v1/<path>` and returns its `data`, or throws ApiError with the server's error text. */
export async function apiGet<T>(path: string, params: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
  const qs = new URLSearchParams(params).toString();
  let res: Response;
  try {
    res = await fetch(`api/v1/${path}${qs ? `?${qs}` : ''}`, { signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(`cannot reach the server: ${(e as Error).message}`, 'network', 0);
  }
  // query_exemplars answers 204 for a query without selectors: nothing to show.
  if (res.status === 204) return null as T;
  let body: { status?: string; data?: T; error?: string; errorType?: string };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`unexpected response: HTTP ${res.status} ${res.statusText}`, 'bad_response', res.status);
  }
  if (body.status !== 'success') throw new ApiError(body.error ?? `HTTP ${res.status}`, body.errorType ?? 'unknown', res.status);
  return body.data as T;
}

/** The API base URL without a trailing slash, for clients that want an absolute one. */
export function apiBaseUrl(): string {
  return new URL('.', document.baseURI).href.replace(/\/$/, '');
}

export type Metric = Record<string, string>;
export type SamplePair = [number, string];

export interface InstantVectorSample {
  metric: Metric;
  value?: SamplePair;
  histogram?: [number, unknown];
}

export interface RangeSeries {
  metric: Metric;
  values?: SamplePair[];
  histograms?: [number, unknown][];
}

export interface Exemplar {
  labels: Metric;
  value: string;
  timestamp: number;
}

/** One series' exemplars from `query_exemplars`. */
export interface ExemplarSeries {
  seriesLabels: Metric;
  exemplars: Exemplar[];
}

export type QueryData =
  | { resultType: 'vector'; result: InstantVectorSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: SamplePair };

/** `name{a="b", ...}` as Prometheus prints a series. */
export function formatSeries(m: Metric): string {
  const { __name__: name = '', ...rest } = m;
  const labels = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return labels.length || !name ? `${name}{${labels.join(', ')}}` : name;
}
