/**
 * The smoke flow `leadflow start` runs until lead ingestion lands: real HTTP calls to the ipSCAPE
 * simulator (create a list, bulk create leads, poll the job to its end, read the leads back through
 * cursor pagination) and a real S3 write of the run's report to moto.
 *
 * The leads use numbers from the ranges Australia's regulator (ACMA) reserves for fiction, so a
 * smoke run can never put a real person's number anywhere.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { IpscapeClient } from '../shared/ipscape/client';
import type { CreateLeadRequest } from '../shared/ipscape/schemas/leads';
import { classifyBulkStatus, type TenantConfig } from '../shared/ipscape/tenant-config';
import { resources } from '../shared/resources/resources';

export interface SmokeFlowDeps {
  readonly client: IpscapeClient;
  readonly tenant: Pick<TenantConfig, 'bulkStatus'>;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly progress: (line: string) => void;
  readonly leads?: number;
  /** Give up on the bulk job after this long (the job is then reported as unfinished). */
  readonly jobDeadlineMs?: number;
  readonly pollEveryMs?: number;
  readonly now?: () => number;
}

export interface SmokeFlowResult {
  readonly ok: boolean;
  readonly listId: number;
  readonly campaignId: number;
  readonly job: { readonly uuid: string; readonly status: string; readonly outcome: 'succeeded' | 'failed' | 'running'; readonly polls: number };
  readonly leadsSubmitted: number;
  readonly leadsInList: number;
  readonly pagesRead: number;
  readonly durationMs: number;
  readonly report: string;
}

/** A fictional AU lead (ACMA's 0491 570 xxx drama range). */
function fictionalLead(listId: number, index: number): CreateLeadRequest {
  return {
    listId,
    customerKey: `SMOKE-${String(index + 1).padStart(4, '0')}`,
    phone1: `+6149157${String(index % 1000).padStart(4, '0')}`,
    timezone: 'Australia/Sydney',
    leadData: { source: 'leadflow smoke flow', row: index + 1 },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the smoke flow against a client and a bucket.
 *
 * @returns the outcome; `ok` is false when the job did not succeed or the list does not hold every lead.
 */
export async function runSmokeFlow(deps: SmokeFlowDeps): Promise<SmokeFlowResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const count = deps.leads ?? 120;
  const { client, progress } = deps;

  const campaigns = await client.listCampaigns();
  const campaign = campaigns.data.find((c) => c.campaignType === 'Outbound') ?? campaigns.data[0];
  if (!campaign) throw new Error('the tenant has no campaign to create a list in');
  progress(`ipSCAPE: ${campaigns.data.length} campaigns; using campaign ${campaign.campaignId} (${campaign.campaignType ?? 'unknown type'})`);

  const listName = `leadflow smoke ${new Date(started).toISOString()}`;
  const { listId } = await client.createLeadList({ listName, campaignId: campaign.campaignId });
  progress(`created lead list ${listId}`);

  const job = await client.bulkCreateLeads({ leads: Array.from({ length: count }, (_, i) => fictionalLead(listId, i)) });
  progress(`submitted ${count} leads in one bulk job: ${job.uuid} (${job.status})`);

  const deadline = now() + (deps.jobDeadlineMs ?? 60_000);
  let status = job.status;
  let outcome = classifyBulkStatus(deps.tenant, status);
  let polls = 0;
  while (outcome === 'running' && now() < deadline) {
    await sleep(deps.pollEveryMs ?? 250);
    const previous = status;
    status = (await client.getBulkJob(job.uuid)).status;
    polls += 1;
    outcome = classifyBulkStatus(deps.tenant, status);
    if (status !== previous) progress(`bulk job ${job.uuid}: ${status} after ${((now() - started) / 1000).toFixed(1)} s`);
  }

  let leadsInList = 0;
  let pagesRead = 0;
  for await (const page of client.pages('listLeads', { listId })) {
    pagesRead += 1;
    leadsInList += page.items.length;
  }
  progress(`list ${listId} holds ${leadsInList} leads (${pagesRead} page${pagesRead === 1 ? '' : 's'} read through nextUri)`);

  const durationMs = now() - started;
  const ok = outcome === 'succeeded' && leadsInList === count;
  const key = `${resources.bucket.prefixes.reports}smoke/${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`;
  const summary = { listId, campaignId: campaign.campaignId, job: { uuid: job.uuid, status, outcome, polls }, leadsSubmitted: count, leadsInList, pagesRead, durationMs, ok };
  await deps.s3.send(
    new PutObjectCommand({ Bucket: deps.bucket, Key: key, Body: JSON.stringify(summary, null, 2), ContentType: 'application/json' }),
  );
  const report = `s3://${deps.bucket}/${key}`;
  progress(`report written to ${report}`);
  return { ...summary, report };
}
