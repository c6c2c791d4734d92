import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { erasureRecord } from '../../../functions/erasure/handler';
import type { Erasure } from '../../../shared/erasure/erasure';
import { ErasureBusyError } from '../../../shared/erasure/execute-erasure';
import { silentTelemetry } from '../../../shared/observability/telemetry';

const requestId = 'er0123456789abcdef0123';
function record(receiveCount: number): SQSRecord {
  return { body: JSON.stringify({ kind: 'erasure', requestId }), attributes: { ApproximateReceiveCount: String(receiveCount) } } as unknown as SQSRecord;
}
function erasure(giveUp: boolean) {
  return {
    execute: vi.fn(async () => {
      throw Object.assign(new Error('dynamo down'), { name: 'ServiceUnavailable' });
    }),
    giveUp: vi.fn(async () => giveUp),
  } as unknown as Erasure & { giveUp: ReturnType<typeof vi.fn> };
}

describe('erasure worker handler', () => {
  it('lets an early failing delivery be retried by the queue', async () => {
    const e = erasure(true);
    await expect(erasureRecord(record(1), e, silentTelemetry)).rejects.toThrow('dynamo down');
    expect(e.giveUp).not.toHaveBeenCalled();
  });

  it('fails the request visibly on the last delivery instead of parking the message', async () => {
    const e = erasure(true);
    await expect(erasureRecord(record(5), e, silentTelemetry)).resolves.toBeUndefined();
    expect(e.giveUp).toHaveBeenCalledWith(requestId, 'ServiceUnavailable');
  });

  it('still throws when the request could not be failed (it had ended, or the store is down)', async () => {
    await expect(erasureRecord(record(5), erasure(false), silentTelemetry)).rejects.toThrow('dynamo down');
  });

  it('never fails a request because a duplicate found it busy, even on the last delivery', async () => {
    const e = { execute: vi.fn(async () => Promise.reject(new ErasureBusyError(requestId))), giveUp: vi.fn(async () => true) } as unknown as Erasure & { giveUp: ReturnType<typeof vi.fn> };
    await expect(erasureRecord(record(5), e, silentTelemetry)).rejects.toThrow(ErasureBusyError);
    expect(e.giveUp).not.toHaveBeenCalled();
  });

  it('refuses a message that is not a request id, without quoting it', async () => {
    const bad = { body: '{"kind":"erasure","phone":"+61491570156"}', attributes: { ApproximateReceiveCount: '1' } } as unknown as SQSRecord;
    await expect(erasureRecord(bad, erasure(true), silentTelemetry)).rejects.toThrow(/not a valid message/);
    await expect(erasureRecord(bad, erasure(true), silentTelemetry)).rejects.not.toThrow(/491570156/);
  });
});
