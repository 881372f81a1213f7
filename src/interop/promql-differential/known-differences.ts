/**
 * Disagreements between Pyrometer and the real Prometheus 2.42 that the differential test
 * accepts, keyed by the corpus query (the Pyrometer spelling). Each is printed on every run.
 *
 * - KNOWN_SEMANTIC_DIFFERENCES: Prometheus 3.x (which Pyrometer follows) legitimately differs
 *   from 2.42 here.
 * - KNOWN_ENGINE_BUGS: real Pyrometer engine bugs, with a diagnosis; remove an entry once fixed
 *   (the test says so when a listed query starts agreeing).
 *
 * Any disagreement in neither list fails the test.
 */

const EXTRAPOLATION =
  'rate/increase extrapolation when a series starts inside the range: since Prometheus 2.51 (PR #13725) the ' +
  'half-interval guess is chosen first and only then capped at the zero point; 2.42 capped at the zero point ' +
  'first, so it extrapolates further back whenever the zero point lies between 0.5 and 1.1 sample intervals ' +
  'before the first sample';
const ATAN2 = 'atan2 drops the metric name since Prometheus 2.47 (PR #12595); 2.42 keeps it';
const STDDEV_INF =
  'stddev/stdvar of a group whose only sample is ±Inf or NaN is NaN since Prometheus 3.0 (PR #14941); 2.42 returns 0';

export const KNOWN_SEMANTIC_DIFFERENCES: Record<string, string> = {
  'rate(http_requests_total{code="200"}[1h])': EXTRAPOLATION,
  'increase(http_requests_total{code="200"}[1h])': EXTRAPOLATION,
  'increase(gappy_metric[3m])': `${EXTRAPOLATION} (here: the series restarts after a gap)`,
  'histogram_quantile(0.5, sum without (instance) (increase(request_duration_seconds_bucket[1h])))': EXTRAPOLATION,
  'queue_length atan2 3': ATAN2,
  '2 atan2 queue_length': ATAN2,
  'node_temperature_celsius atan2 on (instance) group_left (version) instance_info': ATAN2,
  'queue_length{job="api"} atan2 ignoring (job) queue_length{job="web"}': ATAN2,
  'special_values atan2 special_values': ATAN2,
  'stddev by (kind) (special_values)': STDDEV_INF,
  'stdvar by (kind) (special_values)': STDDEV_INF,
  'label_replace(queue_length, "invalid-name", "$1", "instance", "(.*)")':
    'Prometheus 3.0 accepts any UTF-8 label name (utf8 name validation by default); 2.42 rejects "invalid-name" as a destination label',
  'histogram_fraction(0, 0.1, request_duration_seconds_bucket)':
    'Prometheus 3.x histogram_fraction also reads classic histograms (float bucket series with le); 2.42 handles native histograms only and returns nothing',
  'min_over_time(max_over_time(queue_length[3m:20s])[10m:1m])':
    'range windows are left-open since Prometheus 3.0: the inner subquery window (t-3m, t] starts exactly on an inner 20s step, which 3.x excludes and 2.42 includes (the [3m10s:40s] variant, never aligned, agrees)',
};

export const KNOWN_ENGINE_BUGS: Record<string, string> = {};
