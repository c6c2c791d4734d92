import { describe, expect, it } from 'vitest';
import { decideRetry, networkErrorCode, type AttemptFailure } from '../../../shared/ipscape/retry-policy';

describe('decideRetry: the decision table', () => {
  const rows: ReadonlyArray<readonly [string, AttemptFailure, 'retry' | 'fail' | 'outcome-unknown', 'retry' | 'fail' | 'outcome-unknown']> = [
    ['429', { type: 'status', status: 429 }, 'retry', 'retry'],
    ['500', { type: 'status', status: 500 }, 'retry', 'outcome-unknown'],
    ['502', { type: 'status', status: 502 }, 'retry', 'outcome-unknown'],
    ['503', { type: 'status', status: 503, retryAfterMs: 1000 }, 'retry', 'outcome-unknown'],
    ['504', { type: 'status', status: 504 }, 'retry', 'outcome-unknown'],
    ['408', { type: 'status', status: 408 }, 'retry', 'outcome-unknown'],
    ['501', { type: 'status', status: 501 }, 'fail', 'fail'],
    ['505', { type: 'status', status: 505 }, 'fail', 'fail'],
    ['400', { type: 'status', status: 400 }, 'fail', 'fail'],
    ['401', { type: 'status', status: 401 }, 'fail', 'fail'],
    ['403', { type: 'status', status: 403 }, 'fail', 'fail'],
    ['404', { type: 'status', status: 404 }, 'fail', 'fail'],
    ['409', { type: 'status', status: 409 }, 'fail', 'fail'],
    ['422', { type: 'status', status: 422 }, 'fail', 'fail'],
    ['302', { type: 'status', status: 302 }, 'fail', 'fail'],
    ['timeout', { type: 'timeout' }, 'retry', 'outcome-unknown'],
    ['ECONNREFUSED', { type: 'network', code: 'ECONNREFUSED' }, 'retry', 'retry'],
    ['ENOTFOUND', { type: 'network', code: 'ENOTFOUND' }, 'retry', 'retry'],
    ['UND_ERR_CONNECT_TIMEOUT', { type: 'network', code: 'UND_ERR_CONNECT_TIMEOUT' }, 'retry', 'retry'],
    ['ECONNRESET', { type: 'network', code: 'ECONNRESET' }, 'retry', 'outcome-unknown'],
    ['UND_ERR_SOCKET', { type: 'network', code: 'UND_ERR_SOCKET' }, 'retry', 'outcome-unknown'],
    ['EPIPE', { type: 'network', code: 'EPIPE' }, 'retry', 'outcome-unknown'],
    ['EHOSTUNREACH', { type: 'network', code: 'EHOSTUNREACH' }, 'retry', 'outcome-unknown'],
    ['unknown network error', { type: 'network' }, 'retry', 'outcome-unknown'],
  ];

  it.each(rows)('%s: idempotent %s, non-idempotent %s', (_name, failure, idempotent, nonIdempotent) => {
    expect(decideRetry(failure, true)).toBe(idempotent);
    expect(decideRetry(failure, false)).toBe(nonIdempotent);
  });
});

describe('networkErrorCode', () => {
  it('reads the code undici puts in err.cause', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    expect(networkErrorCode(err)).toBe('ECONNREFUSED');
  });

  it('reads nested causes and undici error codes', () => {
    const inner = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(networkErrorCode(new TypeError('fetch failed', { cause: new Error('wrapped', { cause: inner }) }))).toBe('UND_ERR_SOCKET');
  });

  it('reads an AggregateError only when all its errors agree', () => {
    const refused = () => Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(networkErrorCode(new TypeError('fetch failed', { cause: new AggregateError([refused(), refused()]) }))).toBe('ECONNREFUSED');
    const mixed = new AggregateError([refused(), Object.assign(new Error('x'), { code: 'ETIMEDOUT' })]);
    expect(networkErrorCode(new TypeError('fetch failed', { cause: mixed }))).toBeUndefined();
  });

  it('is undefined without a code', () => {
    expect(networkErrorCode(new TypeError('fetch failed'))).toBeUndefined();
    expect(networkErrorCode('nope')).toBeUndefined();
    expect(networkErrorCode(null)).toBeUndefined();
  });
});
