import { describe, expect, it } from 'vitest';
import { addPeriod, dueDate } from '../../../shared/erasure/jurisdiction';
import { erasureSettingsSchema } from '../../../shared/erasure/settings';

describe('due dates', () => {
  const received = new Date('2026-01-31T10:00:00.000Z');

  it('AU 30 days, GDPR one calendar month (clamped to the month end), CCPA 45 days by default', () => {
    expect(dueDate(received, 'AU').toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(dueDate(received, 'GDPR').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(dueDate(received, 'CCPA').toISOString()).toBe('2026-03-17T10:00:00.000Z');
    expect(addPeriod(new Date('2028-01-31T00:00:00Z'), '1m').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addPeriod(new Date('2026-12-15T00:00:00Z'), '1m').toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });

  it('takes periods from the settings, keeping the defaults for the others', () => {
    const settings = erasureSettingsSchema.parse({ due: { AU: '28d' } });
    expect(settings.due).toEqual({ AU: '28d', GDPR: '1m', CCPA: '45d' });
    expect(dueDate(received, 'AU', settings.due).toISOString()).toBe('2026-02-28T10:00:00.000Z');
  });

  it('refuses a period it cannot read, naming the path', () => {
    const parsed = erasureSettingsSchema.safeParse({ due: { GDPR: 'one month' }, colour: 'red' });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join('.') || i.code);
    expect(paths).toContain('due.GDPR');
  });
});
