import { describe, expect, it } from 'vitest';
import { defaultRoutes } from '../../../shared/ipscape/routes';
import { Router } from '../../../local/simulator/router';

describe('Router', () => {
  const router = new Router(defaultRoutes);

  it('prefers literal segments over parameters', () => {
    expect(router.match('GET', '/leads/lists')).toMatchObject({ operationId: 'listLeadLists' });
    expect(router.match('POST', '/leads/lists')).toMatchObject({ operationId: 'createLeadList' });
    expect(router.match('POST', '/leads/bulk')).toMatchObject({ operationId: 'bulkCreateLeads' });
    expect(router.match('GET', '/leads/bulk/abc')).toMatchObject({ operationId: 'getBulkJob', params: { uuid: 'abc' } });
    expect(router.match('GET', '/leads/lists/7')).toMatchObject({ operationId: 'getLeadList', params: { listId: '7' } });
    expect(router.match('PATCH', '/leads/7')).toMatchObject({ operationId: 'updateLead', params: { leadId: '7' } });
  });

  it('answers method-not-allowed with the allowed methods, not-found for unknown paths', () => {
    expect(router.match('PATCH', '/leads/lists')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'POST'] });
    expect(router.match('GET', '/leads/7/x')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/%E0%A4%A')).toEqual({ kind: 'bad-path' });
  });

  it('gives each operation its own parameter names when two routes share a shape', () => {
    const custom = new Router({ ...defaultRoutes, getBulkJob: { method: 'PUT', path: '/leads/{uuid}', idempotent: true } });
    expect(custom.match('PUT', '/leads/u-1')).toMatchObject({ operationId: 'getBulkJob', params: { uuid: 'u-1' } });
    expect(custom.match('GET', '/leads/5')).toMatchObject({ operationId: 'getLead', params: { leadId: '5' } });
  });
});
