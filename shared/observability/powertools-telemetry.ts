/**
 * {@link Telemetry} on Powertools: structured JSON logs (Logger) and EMF metrics (Metrics). The
 * handler flushes the metrics at the end of each invocation (`logMetrics` middleware).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { LogFields, Telemetry } from './telemetry';

const UNITS = { Count: MetricUnit.Count, Seconds: MetricUnit.Seconds, Milliseconds: MetricUnit.Milliseconds } as const;

function clean(fields?: LogFields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields ?? {}).filter(([, v]) => v !== undefined));
}

/** Telemetry that logs through `logger` and records metrics on `metrics`. */
export function powertoolsTelemetry(logger: Logger, metrics: Metrics): Telemetry {
  return {
    debug: (message, fields) => logger.debug(message, clean(fields)),
    info: (message, fields) => logger.info(message, clean(fields)),
    warn: (message, fields) => logger.warn(message, clean(fields)),
    error: (message, fields) => logger.error(message, clean(fields)),
    metric: (name, value, unit = 'Count') => metrics.addMetric(name, UNITS[unit], value),
  };
}
