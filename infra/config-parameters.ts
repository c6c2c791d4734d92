/**
 * The configuration documents the functions read by pointer (shared/config/config-documents.ts), as
 * SSM parameters. Validated at synth by the caller with the functions' own parsers; here each gets
 * the smallest tier that holds it (Standard up to 4 KB, Advanced up to 8 KB) and a clear error beyond.
 */
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { documentVariables, type DocumentVariable } from '../shared/config/config-documents';

const STANDARD_LIMIT = 4096;
const ADVANCED_LIMIT = 8192;

export interface ConfigParametersProps {
  /** Parameter path prefix, e.g. `/leadflow/prod`. */
  readonly path: string;
  /** The documents as JSON-serialisable values; a variable left out gets no parameter. */
  readonly documents: Partial<Record<DocumentVariable, unknown>>;
}

/** A document too large for Parameter Store. */
export class ConfigDocumentTooLargeError extends Error {
  override readonly name = 'ConfigDocumentTooLargeError';
}

export class ConfigParameters extends Construct {
  /** Parameters by the variable they stand for. */
  readonly parameters: Partial<Record<DocumentVariable, ssm.StringParameter>> = {};

  constructor(scope: Construct, id: string, props: ConfigParametersProps) {
    super(scope, id);
    for (const variable of documentVariables) {
      const doc = props.documents[variable];
      if (doc === undefined) continue;
      const value = JSON.stringify(doc);
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes > ADVANCED_LIMIT) {
        throw new ConfigDocumentTooLargeError(`${variable}: ${bytes} bytes; a Parameter Store value holds at most ${ADVANCED_LIMIT}`);
      }
      const name = `${props.path}/${variable.toLowerCase().replaceAll('_', '-')}`;
      this.parameters[variable] = new ssm.StringParameter(this, variable, {
        parameterName: name,
        stringValue: value,
        tier: bytes > STANDARD_LIMIT ? ssm.ParameterTier.ADVANCED : ssm.ParameterTier.STANDARD,
        description: `leadflow ${variable} (JSON, validated at synth and at function load)`,
      });
    }
  }
}
