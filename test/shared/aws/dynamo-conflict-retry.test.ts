import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isRetryableConflict, retryOnConflict } from '../../../shared/aws/dynamo-conflict-retry';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const conflict = () => new TransactionConflictException({ message: 'conflict', $metadata: {} });

describe('isRetryableConflict', () => {
  it.each([
    ['a write that met a transaction', conflict(), true],
    ['a transaction cancelled by a conflict', cancelled('None', 'TransactionConflict'), true],
    ['a throttled transaction', cancelled('ThrottlingError', 'None'), true],
    ['a failed condition, even beside a conflict', cancelled('ConditionalCheckFailed', 'TransactionConflict'), false],
    ['a validation error', cancelled('ValidationError', 'None'), false],
    ['any other error', new Error('boom'), false],
  ])('%s: %s', (_, error, expected) => {
    expect(isRetryableConflict(error)).toBe(expected);
  });
});

describe('retryOnConflict', () => {
  const noWait = { sleep: async () => {}, random: () => 0.5 };

  it('retries conflicts with growing jittered delays until the write goes through', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryOnConflict(
      async () => {
        if (++calls < 4) throw conflict();
        return 'done';
      },
      { baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('done');
    expect(delays).toEqual([50, 100, 200]);
  });

  it('gives up after the attempts, with the last error', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw cancelled('TransactionConflict');
      }, { ...noWait, attempts: 3 }),
    ).rejects.toThrow(TransactionCanceledException);
    expect(calls).toBe(3);
  });

  it('does not retry anything else', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw cancelled('ConditionalCheckFailed', 'None');
      }, noWait),
    ).rejects.toThrow(TransactionCanceledException);
    expect(calls).toBe(1);
  });
});
