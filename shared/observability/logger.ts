/**
 * The one Powertools Logger of a function, configured by the standard POWERTOOLS_* environment
 * variables (set by CDK on AWS and by the local runtime). Tracing is Lambda's active X-Ray tracing
 * alone: the Powertools Tracer (the X-Ray SDK) would add 122 KiB and ~30 ms of cold start to every
 * function for per-call subsegments (`npm run bench`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { mapStackTracesOfBundle } from '#shared/observability/source-mapped-stacks';

// Every function that logs maps the stacks it logs to the TypeScript source.
mapStackTracesOfBundle();

export const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'fee-campaign';

export const logger = new Logger({ serviceName });
