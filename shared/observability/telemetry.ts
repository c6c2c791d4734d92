/**
 * What domain code may say about its work: log lines with fields, and metrics. Handlers back it with
 * Powertools Logger and Metrics (structured JSON, EMF); tests capture it. Fields are ids, counts,
 * states and reason codes; never a phone number, email, name or key.
 */

export type LogFields = Readonly<Record<string, string | number | boolean | undefined | null>>;

export type MetricUnit = 'Count' | 'Seconds' | 'Milliseconds';

export interface Telemetry {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Adds to a metric (flushed by the handler at the end of an invocation). */
  metric(name: string, value: number, unit?: MetricUnit): void;
}

/** Says nothing. */
export const silentTelemetry: Telemetry = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  metric() {},
};

/** A telemetry that keeps everything, for tests that assert what was said (and what was not). */
export function capturingTelemetry(): Telemetry & {
  readonly lines: { level: string; message: string; fields?: LogFields }[];
  readonly metrics: { name: string; value: number; unit: MetricUnit }[];
} {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const metrics: { name: string; value: number; unit: MetricUnit }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, ...(fields && { fields }) });
  return {
    lines,
    metrics,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    metric: (name, value, unit = 'Count') => void metrics.push({ name, value, unit }),
  };
}
