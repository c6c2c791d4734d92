/** The ingestion runtime of a deployed function: configuration from the environment, default AWS clients. */
import { createIngestionPorts, type PortNeeds } from '../aws/ingestion-ports';
import { createIngestion, type Ingestion } from '../ingest/ingestion';
import type { Telemetry } from '../observability/telemetry';
import { deployedClients } from './deployed-clients';

/** Builds ingestion from `process.env` and the Lambda's credentials. */
export async function deployedIngestion(telemetry: Telemetry, needs: PortNeeds): Promise<Ingestion> {
  const { config, clients } = await deployedClients();
  return createIngestion(await createIngestionPorts(config, clients, telemetry, needs));
}
