import { describe, expect, it } from 'vitest';
import { expressionBuilder } from '../../../shared/aws/dynamo-expression';

describe('expressionBuilder', () => {
  it('gives each name one placeholder and each value its own', () => {
    const x = expressionBuilder();
    expect(x.values()).toBeUndefined();
    const path = x.path('tally', 'reasons', 'phone-invalid');
    const again = x.name('tally');
    const condition = x.isOneOf(x.name('status'), ['received', 'parsing']);
    expect(path).toBe('#n0.#n1.#n2');
    expect(again).toBe('#n0');
    expect(condition).toBe('#n3 IN (:v0, :v1)');
    expect(x.names).toEqual({ '#n0': 'tally', '#n1': 'reasons', '#n2': 'phone-invalid', '#n3': 'status' });
    expect(x.values()).toEqual({ ':v0': 'received', ':v1': 'parsing' });
  });

  it('refuses an empty IN list, which DynamoDB would reject', () => {
    expect(() => expressionBuilder().isOneOf('#s', [])).toThrow(/at least one/);
  });
});
