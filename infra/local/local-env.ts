/**
 * Powertools settings of the local runtime. Imported first by the runtime so they are in place
 * before any shared module creates its Powertools instances: no CloudWatch here, so EMF metrics are
 * off, and logs show warnings and errors unless asked for more.
 */
process.env.POWERTOOLS_SERVICE_NAME ??= 'fee-campaign';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
