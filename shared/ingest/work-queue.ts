/** A queue the ingestion steps hand work to (SQS when deployed and locally). */
export interface WorkQueue<T> {
  /** Sends one message, visible after `delaySeconds` (0..900). */
  send(message: T, delaySeconds?: number): Promise<void>;
  /** Sends many messages (batched by the adapter). */
  sendAll(messages: readonly T[]): Promise<void>;
}
