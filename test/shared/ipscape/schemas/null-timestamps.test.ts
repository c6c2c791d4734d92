/**
 * Timestamp maps of dialler attempts and activities accept null values: a real tenant may answer
 * `"answered": null` for an attempt nobody picked up, and that must not fail the whole response.
 */
import { describe, expect, it } from 'vitest';
import { createIpscapeClient } from '../../../../shared/ipscape/client';
import { activitySchema, listActivitiesResponseSchema } from '../../../../shared/ipscape/schemas/activities';
import { diallerAttemptSchema, listDiallerCallsResponseSchema } from '../../../../shared/ipscape/schemas/calls';
import { parseTenantConfig } from '../../../../shared/ipscape/tenant-config';

const unanswered = {
  attemptId: 901,
  dialStatusId: 2,
  dialStatusName: 'No Answer',
  phoneIndex: 1,
  leadId: 10002,
  timestamps: { dialled: '2020-07-06T13:55:06+10:00', answered: null, hangUp: '2020-07-06T13:55:36+10:00' },
};

const unansweredCall = {
  type: 'call.outbound',
  data: { activityId: 111, timestamps: { created: '2020-07-06T13:11:06+1000', answered: null, hangUp: '2020-07-06T13:11:36+1000' } },
};

describe('null timestamps', () => {
  it('a dialler attempt with "answered": null parses, alone and in a page', () => {
    const parsed = diallerAttemptSchema.parse(unanswered);
    expect(parsed.timestamps).toEqual(unanswered.timestamps);
    const page = listDiallerCallsResponseSchema.parse({ metadata: { nextUri: null, previousUri: null }, items: [unanswered] });
    expect(page.items[0]!.timestamps?.answered).toBeNull();
  });

  it('an activity with a null timestamp parses, alone and in a page', () => {
    expect(activitySchema.parse(unansweredCall).data.timestamps).toEqual(unansweredCall.data.timestamps);
    const page = listActivitiesResponseSchema.parse({ metadata: { nextUri: null }, items: [unansweredCall] });
    expect(page.items[0]!.data.timestamps?.answered).toBeNull();
  });

  it('other non-string values are still refused', () => {
    expect(diallerAttemptSchema.safeParse({ ...unanswered, timestamps: { answered: 1_594_007_706 } }).success).toBe(false);
    expect(activitySchema.safeParse({ type: 'call.inbound', data: { timestamps: { answered: {} } } }).success).toBe(false);
  });

  it('the client returns such answers instead of throwing ResponseShapeError', async () => {
    const answer = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const client = createIpscapeClient({
      tenant: parseTenantConfig({ baseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0' }),
      apiKey: 'null-timestamps-test-key',
      fetch: async (input) => (String(input).includes('/calls/dialler/') ? answer(unanswered) : answer(unansweredCall)),
    });
    expect((await client.getDiallerAttempt(901)).timestamps?.answered).toBeNull();
    expect((await client.getActivity(111)).data.timestamps?.answered).toBeNull();
  });
});
