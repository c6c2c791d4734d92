/** Reading request bodies and writing JSON answers with node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-errors';

/** Larger bodies are refused with 413 (a bulk create of tens of thousands of leads still fits). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Reads and parses a JSON body; an empty body reads as `undefined`.
 *
 * @throws HttpError 413 when too large, 400 when not JSON.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: 'payload_too_large', message: 'request body too large' });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, { error: 'validation', fields: [{ field: '(body)', message: 'must be a JSON document' }] });
  }
}

/** Writes a JSON answer (unless the client has gone). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Writes a non-JSON answer, as a gateway in front of the API does for some 5xx. */
export function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
