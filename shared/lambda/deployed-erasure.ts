/** The erasure runtime of a deployed function: configuration from the environment (documents by SSM pointer), default AWS clients. */
import { createErasurePorts } from '../aws/erasure-ports';
import { createRequestFilePorts } from '../aws/request-file-ports';
import { createErasure, type Erasure } from '../erasure/erasure';
import type { RequestFileDeps } from '../erasure/request-file-intake';
import type { Telemetry } from '../observability/telemetry';
import { deployedClients } from './deployed-clients';

/** Builds erasure from `process.env` and the Lambda's credentials. */
export async function deployedErasure(telemetry: Telemetry): Promise<Erasure> {
  const { config, clients } = await deployedClients();
  return createErasure(await createErasurePorts(config, clients, telemetry, { settings: config.erasure }));
}

/** Builds the request-file intake from `process.env` and the Lambda's credentials. */
export async function deployedRequestFiles(telemetry: Telemetry): Promise<RequestFileDeps> {
  const { config, clients } = await deployedClients();
  return createRequestFilePorts(config, clients, telemetry);
}
