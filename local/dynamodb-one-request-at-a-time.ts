/**
 * moto applies concurrent DynamoDB requests without isolation: a conditional write checks and writes
 * in separate steps with no lock, and a TransactWriteItems deep-copies the table first and restores
 * that copy when it is cancelled, erasing whatever other requests wrote meanwhile. AWS makes each
 * single-item write atomic and each transaction serializable. Sending a client's requests to moto one
 * at a time gives each request the atomicity AWS gives it, while the store's calls still interleave
 * freely between requests, which is what the concurrency tests are about.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Makes `client` (and document clients built from it) send one request at a time. Returns the client. */
export function oneRequestAtATime(client: DynamoDBClient): DynamoDBClient {
  let tail: Promise<unknown> = Promise.resolve();
  client.middlewareStack.add(
    (next) => (args) => {
      const turn = tail.then(() => next(args));
      tail = turn.catch(() => undefined);
      return turn;
    },
    // initialize wraps the whole request, retries included.
    { step: 'initialize', name: 'oneRequestAtATime' },
  );
  return client;
}
