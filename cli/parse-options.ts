/** Option value parsers: a bad value is a commander usage error (exit 2), reported with the option. */
import { InvalidArgumentError } from 'commander';

/** A non-negative integer. */
export function integerOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

/** A TCP port, 0 meaning "pick a free one". */
export function portOption(value: string): number {
  const port = integerOption(value);
  if (port > 65_535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return port;
}

/** A time scale factor in (0, 1]. */
export function timeScaleOption(value: string): number {
  const factor = Number(value);
  if (!(factor > 0 && factor <= 1)) throw new InvalidArgumentError('expected a number greater than 0 and at most 1');
  return factor;
}

/** A whole number of 1 or more (ids), for commander. */
export function positiveInteger(value: string): number {
  const n = integerOption(value);
  if (n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
}
