/**
 * One shared Powertools instance per utility, as in the Powertools example app. Configured by the
 * standard POWERTOOLS_* environment variables (set by CDK on AWS and by the local runtime).
 * Tracing is Lambda's active X-Ray tracing alone: the Powertools Tracer (the X-Ray SDK) would add
 * 122 KiB and ~30 ms of cold start to every function for per-call subsegments (`npm run bench`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'fee-campaign';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'FeeCampaign',
  // Its diagnostics go through our logger; "no metrics to publish" is normal for reads, so warnings are debug.
  logger: {
    debug: (message: unknown) => logger.debug(String(message)),
    info: (message: unknown) => logger.info(String(message)),
    warn: (message: unknown) => logger.debug(String(message)),
    error: (message: unknown) => logger.error(String(message)),
  },
});
