/**
 * The typed ipSCAPE Platform API v3.0 client: one method per operation of `./operations`.
 *
 * Calling convention (every method): path parameters first, positionally, in route order; then the
 * body (required) or the query (optional); then {@link CallOptions}. For example
 * `getLead(leadId)`, `updateLead(leadId, body)`, `createLead(body)`, `listLeads(query?)`,
 * `getCampaignStatistics(campaignId, query?)`.
 *
 * Every call: validates structurally and semantically (a bad request throws `ValidationError`
 * without a network call), waits for the tenant limiter, sends a fresh `X-Request-Id` (the same on
 * every retry of that call), retries by the table in `./retry-policy`, and parses the answer with
 * the loose response schema (unknown fields kept; a mismatch throws `ResponseShapeError`).
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { redactBodyExcerpt, removeSecret } from '../privacy/redact';
import { realSleep, type Sleep } from './abortable-sleep';
import { ResponseShapeError } from './errors';
import { atPriority, createTenantLimiter, type RequestPriority, type TenantLimiter } from './limiter';
import { ForeignNextUriError, resolveNextUri } from './next-uri';
import { operations, type Operations } from './operations';
import { PaginationError, walkCursorPages, walkNumberedPages } from './pagination';
import { buildRequestUrl } from './request-url';
import { validateRequest, zodProblems } from './request-validation';
import type { OperationId } from './routes';
import type { TenantConfig } from './tenant-config';
import { createTransport, type AttemptReport, type IpscapeLogger, type TransportOptions } from './transport';

export type { AttemptReport, IpscapeLogger } from './transport';

/** What a method resolves to: the operation's response schema output (unknown fields kept). */
export type ResponseOf<Op extends OperationId> = z.output<Operations[Op]['response']>;
/** The query an operation accepts (operations without a query: `never`). */
export type QueryOf<Op extends OperationId> = Operations[Op] extends { readonly query: infer Q extends z.ZodType } ? z.input<Q> : never;
/** The body an operation sends (operations without a body: `never`). */
export type BodyOf<Op extends OperationId> = Operations[Op] extends { readonly body: infer B extends z.ZodType } ? z.input<B> : never;

/** Operations answered in cursor pages (`metadata.nextUri`, `items`). */
export type CursorOperationId = 'listActivities' | 'listLeads' | 'listLeadLists' | 'listUsers' | 'listDiallerCalls';
/** Operations {@link IpscapeClient.paginate} walks: the cursor ones and list campaigns (numbered pages). */
export type PagedOperationId = CursorOperationId | 'listCampaigns';
/** One item of a paged operation's pages. */
export type ItemOf<Op extends PagedOperationId> = Op extends 'listCampaigns'
  ? ResponseOf<'listCampaigns'>['data'][number]
  : Op extends CursorOperationId
    ? ResponseOf<Op>['items'][number]
    : never;

/** One page as {@link IpscapeClient.pages} yields it. */
export interface Page<Item> {
  readonly items: readonly Item[];
  /** Cursor operations: the raw `nextUri` (save it to resume with `startUri`); null/undefined on the last page. */
  readonly nextUri?: string | null | undefined;
  /** List campaigns: the page number. */
  readonly pageNo?: number;
}

export interface CallOptions {
  /** Cancels the call: waiting, backoff and the request in flight. */
  readonly signal?: AbortSignal;
  /**
   * Place in the tenant limiter's queue (default `normal`): `high` goes before every `normal` waiter,
   * for cheap latency-sensitive reads such as bulk job polls. The budget is the same.
   */
  readonly priority?: RequestPriority;
}

export interface PageOptions extends CallOptions {
  /** Cursor operations only: resume from a `nextUri` saved from an earlier page (the query is then not used). */
  readonly startUri?: string;
}

export interface IpscapeClientOptions {
  readonly tenant: TenantConfig;
  /** The tenant API key. Kept in a closure: never a property, never logged, scrubbed from excerpts. */
  readonly apiKey: string;
  /** Defaults to the platform fetch (undici in Node 20). */
  readonly fetch?: typeof fetch;
  readonly logger?: IpscapeLogger;
  /** [0, 1) source for backoff jitter; defaults to Math.random. */
  readonly random?: () => number;
  /** Backoff sleep; defaults to a timer. (The limiter has its own clock: pass `limiter` to control it.) */
  readonly sleep?: Sleep;
  /** Wall-clock ms for durations and HTTP-date Retry-After; defaults to Date.now. */
  readonly now?: () => number;
  /** Share one per tenant between clients; defaults to a limiter private to this client. */
  readonly limiter?: TenantLimiter;
  /** Header carrying the client request id; defaults to `X-Request-Id`. */
  readonly requestIdHeader?: string;
  /** Request id source; defaults to crypto.randomUUID. */
  readonly newRequestId?: () => string;
  /** Longest backoff ever slept, Retry-After included; defaults to max(maxDelayMs, 60 s). */
  readonly retryAfterCapMs?: number;
  /** Told of every attempt's outcome, e.g. to count answers by status class. */
  readonly onAttempt?: (attempt: AttemptReport) => void;
}

/** The client. Method names are the operation ids of `./routes`. */
export interface IpscapeClient {
  listActivities(query?: QueryOf<'listActivities'>, options?: CallOptions): Promise<ResponseOf<'listActivities'>>;
  getActivity(activityId: number, options?: CallOptions): Promise<ResponseOf<'getActivity'>>;
  /** One numbered page; pass `{ pageNo }` for others, or use `paginate('listCampaigns')`. */
  listCampaigns(query?: QueryOf<'listCampaigns'>, options?: CallOptions): Promise<ResponseOf<'listCampaigns'>>;
  getCampaign(campaignId: number, options?: CallOptions): Promise<ResponseOf<'getCampaign'>>;
  getCampaignStatistics(
    campaignId: number,
    query?: QueryOf<'getCampaignStatistics'>,
    options?: CallOptions,
  ): Promise<ResponseOf<'getCampaignStatistics'>>;
  getMedia(mediaId: number, options?: CallOptions): Promise<ResponseOf<'getMedia'>>;
  /** `phone1` must be E.164 (checked locally). */
  listLeads(query?: QueryOf<'listLeads'>, options?: CallOptions): Promise<ResponseOf<'listLeads'>>;
  getLead(leadId: number, options?: CallOptions): Promise<ResponseOf<'getLead'>>;
  /** Not idempotent: a 5xx/timeout/reset throws OutcomeUnknownError instead of repeating. */
  createLead(body: BodyOf<'createLead'>, options?: CallOptions): Promise<ResponseOf<'createLead'>>;
  /** `isCompleted: false` is refused locally: completing a lead is irreversible. */
  updateLead(leadId: number, body: BodyOf<'updateLead'>, options?: CallOptions): Promise<ResponseOf<'updateLead'>>;
  /** Not idempotent. Answers `{uuid, status}` at once; poll with getBulkJob. */
  bulkCreateLeads(body: BodyOf<'bulkCreateLeads'>, options?: CallOptions): Promise<ResponseOf<'bulkCreateLeads'>>;
  getBulkJob(uuid: string, options?: CallOptions): Promise<ResponseOf<'getBulkJob'>>;
  listLeadLists(query?: QueryOf<'listLeadLists'>, options?: CallOptions): Promise<ResponseOf<'listLeadLists'>>;
  getLeadList(listId: number, options?: CallOptions): Promise<ResponseOf<'getLeadList'>>;
  /** Not idempotent. */
  createLeadList(body: BodyOf<'createLeadList'>, options?: CallOptions): Promise<ResponseOf<'createLeadList'>>;
  /** Not idempotent (a repeat would answer zero counts and mislead a receipt). */
  privacyErasure(body: BodyOf<'privacyErasure'>, options?: CallOptions): Promise<ResponseOf<'privacyErasure'>>;
  listUsers(query?: QueryOf<'listUsers'>, options?: CallOptions): Promise<ResponseOf<'listUsers'>>;
  updateAgentPresence(body: BodyOf<'updateAgentPresence'>, options?: CallOptions): Promise<ResponseOf<'updateAgentPresence'>>;
  listDiallerCalls(query?: QueryOf<'listDiallerCalls'>, options?: CallOptions): Promise<ResponseOf<'listDiallerCalls'>>;
  getDiallerAttempt(attemptId: number, options?: CallOptions): Promise<ResponseOf<'getDiallerAttempt'>>;
  setCallRecording(body: BodyOf<'setCallRecording'>, options?: CallOptions): Promise<ResponseOf<'setCallRecording'>>;

  /**
   * Every item of a paged operation, page after page (each page is its own call, with its own
   * request id and retries). Stop early with `break`.
   *
   * @example for await (const lead of client.paginate('listLeads', { listId: 100 })) handle(lead);
   */
  paginate<Op extends PagedOperationId>(operation: Op, query?: QueryOf<Op>, options?: PageOptions): AsyncIterable<ItemOf<Op>>;
  /**
   * Every page of a paged operation, with its raw `nextUri` so a long walk can checkpoint and resume.
   *
   * @example for await (const page of client.pages('listLeads', q)) await save(page.items, page.nextUri);
   */
  pages<Op extends PagedOperationId>(operation: Op, query?: QueryOf<Op>, options?: PageOptions): AsyncIterable<Page<ItemOf<Op>>>;
}

/** Header values may not hold control characters; checked up front so fetch never echoes the key in its error. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * Creates a client for one tenant.
 *
 * @example
 * const tenant = parseTenantConfig(JSON.parse(doc), 'tenant.json');
 * const limiter = createTenantLimiter(tenant.limits);
 * const client = createIpscapeClient({ tenant, apiKey: process.env.IPSCAPE_API_KEY!, limiter, logger });
 * const { leadId } = await client.createLead({ listId: 100, phone1: '+61412345678' });
 * for await (const lead of client.paginate('listLeads', { listId: 100 })) console.log(lead.leadId);
 * @throws Error when the API key is empty or not a valid header value (the message never quotes it).
 */
export function createIpscapeClient(options: IpscapeClientOptions): IpscapeClient {
  const { tenant, apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new Error('ipSCAPE apiKey is empty');
  // split/join, not String.replace: a `$&` in the key must not be read as a replacement pattern.
  const authValue = tenant.auth.format.split('{key}').join(apiKey);
  if (!HEADER_VALUE.test(authValue)) throw new Error('ipSCAPE apiKey holds characters not allowed in an HTTP header');

  const platformFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
  const limiter = options.limiter ?? createTenantLimiter(tenant.limits);
  const transportOptions: TransportOptions = {
    limits: tenant.limits,
    authHeader: tenant.auth.header,
    authValue,
    apiKey,
    requestIdHeader: options.requestIdHeader ?? 'X-Request-Id',
    fetch: options.fetch ?? platformFetch,
    limiter,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? realSleep,
    now: options.now ?? Date.now,
    newRequestId: options.newRequestId ?? randomUUID,
    logger: options.logger,
    retryAfterCapMs: options.retryAfterCapMs,
    onAttempt: options.onAttempt,
  };
  const send = createTransport(transportOptions);
  // The same limiter (one budget) at high priority, for calls that ask for it.
  const sendFirst = createTransport({ ...transportOptions, limiter: atPriority(limiter, 'high') });

  /** Sends to an already built URL and parses the answer with the operation's response schema. */
  async function fetchParsed<Op extends OperationId>(
    operation: Op,
    url: string,
    body: unknown,
    signal?: AbortSignal,
    priority: RequestPriority = 'normal',
  ): Promise<ResponseOf<Op>> {
    const route = tenant.routes[operation];
    const response = await (priority === 'high' ? sendFirst : send)({ operation, route, url, body, signal });
    const parsed = (operations[operation].response as z.ZodType).safeParse(response.json);
    if (parsed.success) return parsed.data as ResponseOf<Op>;
    const raw = response.json === undefined ? undefined : JSON.stringify(response.json);
    throw new ResponseShapeError(
      'the answer does not match the response schema',
      {
        operation,
        method: route.method,
        pathTemplate: route.path,
        attempts: response.attempts,
        status: response.status,
        requestId: response.requestId,
        ...(raw ? { bodyExcerpt: redactBodyExcerpt(removeSecret(raw, apiKey)) } : {}),
      },
      zodProblems(parsed.error),
    );
  }

  /** Validates, builds the URL and calls. */
  function call<Op extends OperationId>(
    operation: Op,
    pathParams: Record<string, unknown>,
    query: unknown,
    body: unknown,
    callOptions: CallOptions | undefined,
  ): Promise<ResponseOf<Op>> {
    return Promise.resolve().then(() => {
      const route = tenant.routes[operation];
      const valid = validateRequest(operation, route, { pathParams, query, body });
      const url = buildRequestUrl(tenant.baseUrl, route.path, valid.pathParams, valid.query);
      return fetchParsed(operation, url, valid.body, callOptions?.signal, callOptions?.priority);
    });
  }

  /** A walk that cannot go on becomes a ResponseShapeError of the operation. */
  function paginationFailure(operation: OperationId, err: unknown): unknown {
    if (!(err instanceof PaginationError || err instanceof ForeignNextUriError)) return err;
    const route = tenant.routes[operation];
    return new ResponseShapeError(err.message, { operation, method: route.method, pathTemplate: route.path, attempts: 0 });
  }

  async function* pages<Op extends PagedOperationId>(
    operation: Op,
    query?: QueryOf<Op>,
    pageOptions?: PageOptions,
  ): AsyncGenerator<Page<ItemOf<Op>>> {
    const signal = pageOptions?.signal;
    try {
      if (operation === 'listCampaigns') {
        const walk = walkNumberedPages((pageNo) =>
          call('listCampaigns', {}, { ...(query as QueryOf<'listCampaigns'> | undefined), pageNo }, undefined, pageOptions),
        );
        for await (const page of walk) yield { items: page.data as ItemOf<Op>[], pageNo: page.pageNo };
        return;
      }
      const cursorOp = operation as CursorOperationId;
      let firstUrl: string;
      if (pageOptions?.startUri) {
        firstUrl = resolveNextUri(tenant.baseUrl, pageOptions.startUri);
      } else {
        const route = tenant.routes[cursorOp];
        const valid = validateRequest(cursorOp, route, { query });
        firstUrl = buildRequestUrl(tenant.baseUrl, route.path, {}, valid.query);
      }
      const walk = walkCursorPages<unknown>({
        firstUrl,
        fetchPage: async (url) => {
          const page = (await fetchParsed(cursorOp, url, undefined, signal, pageOptions?.priority)) as ResponseOf<CursorOperationId>;
          return { items: page.items as readonly unknown[], nextUri: page.metadata?.nextUri };
        },
        resolveNextUri: (nextUri, currentUrl) => resolveNextUri(tenant.baseUrl, nextUri, currentUrl),
      });
      for await (const page of walk) yield { items: page.items as ItemOf<Op>[], nextUri: page.nextUri };
    } catch (err) {
      throw paginationFailure(operation, err);
    }
  }

  async function* paginate<Op extends PagedOperationId>(
    operation: Op,
    query?: QueryOf<Op>,
    pageOptions?: PageOptions,
  ): AsyncGenerator<ItemOf<Op>> {
    for await (const page of pages(operation, query, pageOptions)) yield* page.items;
  }

  const client: IpscapeClient = {
    listActivities: (query, o) => call('listActivities', {}, query, undefined, o),
    getActivity: (activityId, o) => call('getActivity', { activityId }, undefined, undefined, o),
    listCampaigns: (query, o) => call('listCampaigns', {}, query, undefined, o),
    getCampaign: (campaignId, o) => call('getCampaign', { campaignId }, undefined, undefined, o),
    getCampaignStatistics: (campaignId, query, o) => call('getCampaignStatistics', { campaignId }, query, undefined, o),
    getMedia: (mediaId, o) => call('getMedia', { mediaId }, undefined, undefined, o),
    listLeads: (query, o) => call('listLeads', {}, query, undefined, o),
    getLead: (leadId, o) => call('getLead', { leadId }, undefined, undefined, o),
    createLead: (body, o) => call('createLead', {}, undefined, body, o),
    updateLead: (leadId, body, o) => call('updateLead', { leadId }, undefined, body, o),
    bulkCreateLeads: (body, o) => call('bulkCreateLeads', {}, undefined, body, o),
    getBulkJob: (uuid, o) => call('getBulkJob', { uuid }, undefined, undefined, o),
    listLeadLists: (query, o) => call('listLeadLists', {}, query, undefined, o),
    getLeadList: (listId, o) => call('getLeadList', { listId }, undefined, undefined, o),
    createLeadList: (body, o) => call('createLeadList', {}, undefined, body, o),
    privacyErasure: (body, o) => call('privacyErasure', {}, undefined, body, o),
    listUsers: (query, o) => call('listUsers', {}, query, undefined, o),
    updateAgentPresence: (body, o) => call('updateAgentPresence', {}, undefined, body, o),
    listDiallerCalls: (query, o) => call('listDiallerCalls', {}, query, undefined, o),
    getDiallerAttempt: (attemptId, o) => call('getDiallerAttempt', { attemptId }, undefined, undefined, o),
    setCallRecording: (body, o) => call('setCallRecording', {}, undefined, body, o),
    paginate,
    pages,
  };
  // Serialising or inspecting the client shows what it talks to, never what it holds.
  const summary = `IpscapeClient(${tenant.baseUrl})`;
  Object.defineProperties(client, {
    toJSON: { value: () => ({ ipscapeClient: tenant.baseUrl }), enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => summary, enumerable: false },
    [Symbol.toStringTag]: { value: 'IpscapeClient', enumerable: false },
  });
  return client;
}
