import { describe, expect, it } from 'vitest';
import {
  AuthError,
  isIpscapeError,
  MAX_BODY_EXCERPT,
  OutcomeUnknownError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  ValidationError,
  type IpscapeErrorContext,
} from '../../../shared/ipscape/errors';

const context: IpscapeErrorContext = {
  operation: 'getLead',
  method: 'GET',
  pathTemplate: '/leads/{leadId}',
  attempts: 3,
  status: 503,
  requestId: 'r-1',
};

describe('IpscapeError', () => {
  it('names operation, method, path template, attempts and status in the message', () => {
    const err = new ServerError('server error', context);
    expect(err.message).toBe('ipSCAPE getLead (GET /leads/{leadId}): server error (3 attempts, status 503)');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ServerError');
    expect(err).toMatchObject({ kind: 'server', operation: 'getLead', method: 'GET', pathTemplate: '/leads/{leadId}', attempts: 3, status: 503, requestId: 'r-1' });
  });

  it('bounds the body excerpt', () => {
    const err = new AuthError('refused', { ...context, status: 401, bodyExcerpt: 'x'.repeat(2_000) });
    expect(err.bodyExcerpt).toHaveLength(MAX_BODY_EXCERPT);
    expect(err.message).not.toContain('xxx');
  });

  it('says "outcome unknown" for a non-idempotent call that may have landed', () => {
    const err = new OutcomeUnknownError('server-error', { ...context, operation: 'bulkCreateLeads', method: 'POST', pathTemplate: '/leads/bulk', attempts: 1, status: 500 });
    expect(err.message).toContain('outcome unknown');
    expect(err.message).toContain('1 attempt,');
    expect(err.reason).toBe('server-error');
    expect(err.kind).toBe('outcome-unknown');
  });

  it('lists field problems of a validation error (names and rules, never values)', () => {
    const err = new ValidationError('request refused before sending', { ...context, attempts: 0, status: undefined }, [
      { field: 'phone1', message: 'must be an E.164 number such as +61412345678' },
      { field: 'timezone', message: 'must be an IANA time zone such as Australia/Sydney' },
    ]);
    expect(err.message).toContain('phone1 must be an E.164 number');
    expect(err.message).toContain('timezone must be an IANA');
    expect(err.status).toBeUndefined();
    expect(err.problems).toHaveLength(2);
  });

  it('shows at most five shape problems in the message', () => {
    const problems = Array.from({ length: 8 }, (_, i) => ({ field: `items.${i}.leadId`, message: 'Invalid input' }));
    const err = new ResponseShapeError('the answer does not match', context, problems);
    expect(err.message).toContain('items.4.leadId');
    expect(err.message).not.toContain('items.5.leadId');
    expect(err.message).toContain('and 3 more');
  });

  it('keeps the last Retry-After of a rate-limited call', () => {
    expect(new RateLimitedError('still limited', { ...context, status: 429 }, 2_000).retryAfterMs).toBe(2_000);
  });

  it('isIpscapeError narrows by kind', () => {
    const err: unknown = new OutcomeUnknownError('timeout', context);
    expect(isIpscapeError(err)).toBe(true);
    expect(isIpscapeError(err, 'outcome-unknown')).toBe(true);
    expect(isIpscapeError(err, 'server')).toBe(false);
    expect(isIpscapeError(new Error('x'))).toBe(false);
    if (isIpscapeError(err, 'outcome-unknown')) expect(err.reason).toBe('timeout');
  });
});
