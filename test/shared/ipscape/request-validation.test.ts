import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/ipscape/errors';
import { validateRequest } from '../../../shared/ipscape/request-validation';
import { defaultRoutes, type OperationId } from '../../../shared/ipscape/routes';
import type { RequestParts } from '../../../shared/ipscape/request-validation';

function problemsOf(operation: OperationId, parts: RequestParts) {
  try {
    validateRequest(operation, defaultRoutes[operation], parts);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.attempts).toBe(0);
    expect(v.status).toBeUndefined();
    return v.problems.map((p) => p.field);
  }
  return [];
}

const goodLead = { listId: 100, phone1: '+61412345678', timezone: 'Australia/Sydney', nextAttemptTimestamp: '2026-01-31T09:00:00+10:00' };

describe('validateRequest', () => {
  it('passes sound requests through, parsed', () => {
    expect(validateRequest('getLead', defaultRoutes.getLead, { pathParams: { leadId: 7 } })).toEqual({ pathParams: { leadId: 7 } });
    expect(validateRequest('createLead', defaultRoutes.createLead, { body: goodLead }).body).toEqual(goodLead);
    expect(validateRequest('listLeads', defaultRoutes.listLeads, {}).query).toEqual({});
  });

  it('checks path parameters: positive integer ids, non-empty job uuid', () => {
    expect(problemsOf('getLead', { pathParams: { leadId: 0 } })).toEqual(['leadId']);
    expect(problemsOf('getLead', { pathParams: { leadId: 1.5 } })).toEqual(['leadId']);
    expect(problemsOf('getLead', { pathParams: { leadId: '7' } })).toEqual(['leadId']);
    expect(problemsOf('getLead', {})).toEqual(['leadId']);
    expect(problemsOf('getBulkJob', { pathParams: { uuid: ' ' } })).toEqual(['uuid']);
  });

  it('reports structural problems by field, unknown fields included', () => {
    expect(problemsOf('createLead', { body: { phone1: '+61412345678' } })).toEqual(['listId']);
    expect(problemsOf('createLead', { body: { ...goodLead, phone4: '+61412345678' } })).toEqual(['phone4']);
    expect(problemsOf('createLead', {})).toEqual(['body']);
    expect(problemsOf('listLeads', { query: { listId: 'one', bogus: 1 } })).toEqual(['query.listId', 'query.bogus']);
    expect(problemsOf('getCampaignStatistics', { pathParams: { campaignId: 1 }, query: { period: 'week' } })).toEqual(['query.period']);
    expect(problemsOf('bulkCreateLeads', { body: { leads: [goodLead, { phone1: 5 }] } })).toEqual(['leads.1.listId', 'leads.1.phone1']);
  });

  it('applies the semantic checks of each operation', () => {
    expect(problemsOf('createLead', { body: { listId: 100 } })).toEqual(['phone1']);
    expect(problemsOf('createLead', { body: { ...goodLead, phone1: '0412 345 678', timezone: 'Sydney', nextAttemptTimestamp: 'tomorrow' } })).toEqual([
      'phone1',
      'timezone',
      'nextAttemptTimestamp',
    ]);
    expect(problemsOf('bulkCreateLeads', { body: { leads: [goodLead, { ...goodLead, phone1: '0412345678' }, { listId: 1 }] } })).toEqual([
      'leads.1.phone1',
      'leads.2.phone1',
    ]);
    expect(problemsOf('updateLead', { pathParams: { leadId: 1 }, body: { isCompleted: false } })).toEqual(['isCompleted']);
    expect(problemsOf('privacyErasure', { body: {} })).toEqual(['phoneNumber']);
    expect(problemsOf('privacyErasure', { body: { emailAddress: 'not-an-email' } })).toEqual(['emailAddress']);
    expect(problemsOf('listLeads', { query: { phone1: '0412345678' } })).toEqual(['phone1']);
  });

  it('never quotes a value in the error', () => {
    try {
      validateRequest('createLead', defaultRoutes.createLead, {
        body: { listId: 1, phone1: '0412 345 678', phone2: 412345678, customerKey: 'jo@example.com', timezone: 'Jo Bloggs' },
      });
      expect.unreachable();
    } catch (err) {
      const text = `${(err as Error).message} ${JSON.stringify(err)}`;
      expect(text).not.toMatch(/0412|412345678|345 678|jo@example|Bloggs/);
      expect((err as Error).message).toContain('createLead (POST /leads)');
    }
  });
});
