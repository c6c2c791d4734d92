/**
 * Every example body of the public API reference parses with the structural schema it documents,
 * so the schemas cannot drift from the only source we have.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { operations } from '../../../shared/ipscape/operations';
import { parseIpscapeTimestamp } from '../../../shared/ipscape/schemas/common';
import { extractBodies, referencePath, sharedReferencePath } from './reference-bodies';

/** The reference's bodies in the order they appear, each with the schema that must read it. */
const expected: ReadonlyArray<readonly [string, z.ZodType]> = [
  ['list activities response', operations.listActivities.response],
  ['get activity response', operations.getActivity.response],
  ['list campaigns response', operations.listCampaigns.response],
  ['get campaign response', operations.getCampaign.response],
  ['campaign statistics response', operations.getCampaignStatistics.response],
  ['get media response', operations.getMedia.response],
  ['get lead response', operations.getLead.response],
  ['update lead request', operations.updateLead.body],
  ['bulk create request', operations.bulkCreateLeads.body],
  ['bulk create response', operations.bulkCreateLeads.response],
  ['list lead lists response', operations.listLeadLists.response],
  ['create lead list request', operations.createLeadList.body],
  ['create lead list response', operations.createLeadList.response],
  ['get lead list response', operations.getLeadList.response],
  ['list leads response', operations.listLeads.response],
  ['create lead request', operations.createLead.body],
  ['create lead response', operations.createLead.response],
  ['privacy erasure response', operations.privacyErasure.response],
  ['list users response', operations.listUsers.response],
  ['agent presence request', operations.updateAgentPresence.body],
  ['agent presence response', operations.updateAgentPresence.response],
  ['list dialler calls response', operations.listDiallerCalls.response],
  ['get dialler attempt response', operations.getDiallerAttempt.response],
  ['call recording request', operations.setCallRecording.body],
  ['call recording response', operations.setCallRecording.response],
];

const bodies = extractBodies(readFileSync(referencePath, 'utf8'));
const parsedBodies = bodies.map((b) => JSON.parse(b) as unknown);

function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectStrings(v, out));
  return out;
}

describe('the reference kept in the project', () => {
  // The team's copy beside the project is the source; when it is there, ours must not have drifted.
  it.runIf(existsSync(sharedReferencePath))('is the same as the one in ../shared/reference', () => {
    expect(readFileSync(referencePath, 'utf8')).toBe(readFileSync(sharedReferencePath, 'utf8'));
  });
});

describe('reference example bodies', () => {
  it('finds every body the reference shows, none skipped', () => {
    expect(bodies).toHaveLength(expected.length);
  });

  it.each(expected.map(([name, schema], i) => [i + 1, name, schema] as const))('#%i %s parses with its schema', (n, _name, schema) => {
    const result = schema.safeParse(parsedBodies[n - 1]);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('reads every timestamp in the examples, in both offset styles', () => {
    const stamps = parsedBodies.flatMap((b) => collectStrings(b)).filter((s) => /^\d{4}-\d{2}-\d{2}T/.test(s));
    expect(stamps.length).toBeGreaterThan(20);
    expect(stamps.some((s) => s.endsWith('+1000'))).toBe(true);
    expect(stamps.some((s) => s.endsWith('+10:00'))).toBe(true);
    for (const s of stamps) expect(parseIpscapeTimestamp(s), s).toBeInstanceOf(Date);
  });

  it('keeps fields the schema does not name (loose responses)', () => {
    const activities = operations.listActivities.response.parse(parsedBodies[0]);
    const data = activities.items[0]!.data as Record<string, unknown>;
    expect(data['agentFullName']).toBe('John Doe');
    expect(data['survey']).toMatchObject({ workflowName: 'My Workflow' });
    const lead = operations.getLead.response.parse({ ...(parsedBodies[6] as object), addedTomorrow: { x: 1 } });
    expect((lead as Record<string, unknown>)['addedTomorrow']).toEqual({ x: 1 });
    expect((lead.phones![0] as Record<string, unknown>)['phone']).toBe('+61410000000');
  });
});

describe('parseIpscapeTimestamp', () => {
  it.each([
    ['2020-07-06T13:11:06+1000', '2020-07-06T03:11:06.000Z'],
    ['2020-07-06T13:11:06+10:00', '2020-07-06T03:11:06.000Z'],
    ['2019-08-24T14:15:22Z', '2019-08-24T14:15:22.000Z'],
    ['2023-11-14T09:37:10+11:00', '2023-11-13T22:37:10.000Z'],
    ['2020-07-06T13:11:06.250-0530', '2020-07-06T18:41:06.250Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseIpscapeTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each(['2020-07-06', '2020-07-06T13:11:06', 'string', '2020-13-06T13:11:06Z', ''])('%j is not a timestamp', (text) => {
    expect(parseIpscapeTimestamp(text)).toBeUndefined();
  });
});
