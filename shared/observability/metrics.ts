/**
 * The one Powertools Metrics instance (EMF) of the functions that publish business metrics: the
 * stream consumer (campaign figures, exactly once), the workflow steps and task completion. API
 * functions that only answer requests do not load it; their errors are in API Gateway's 4XX/5XX
 * metrics and their logs.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger, serviceName } from '#shared/observability/logger';

export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'FeeCampaign',
  // Its diagnostics go through our logger; "no metrics to publish" is normal, so warnings are debug.
  logger: {
    debug: (message: unknown) => logger.debug(String(message)),
    info: (message: unknown) => logger.info(String(message)),
    warn: (message: unknown) => logger.debug(String(message)),
    error: (message: unknown) => logger.error(String(message)),
  },
});
