/**
 * Benchmark 4: `GET /api/metrics` with many stored cases against few. Run by the stored-cases suite at
 * its 100 and 10,000 levels. Until the route `getMetrics` exists in shared/http/routes.ts it reports a
 * SKIPPED row saying so; once it does, it measures it as it is (the read is meant to touch a constant
 * number of sharded counter items, so its time should not grow with the number of cases).
 */
import { type ApiRoute, apiRoutes } from '#shared/http/routes';
import type { LocalCampaign } from '../lib/local-campaign.ts';
import type { cpuReader } from '../lib/process-cpu.ts';
import { median, percentile } from '../lib/stats.ts';

export const maxMetricsGrowth = 1.5;

/** The metrics route, when the API has one. */
export const metricsRoute = (): ApiRoute | undefined =>
  (apiRoutes as readonly ApiRoute[]).find((route) => route.operationId === 'getMetrics');

export interface MetricsReadSample {
  storedCases: number;
  requests: number;
  medianMs: number;
  p99Ms: number;
  /** CPU milliseconds per read: this process (gateway, handler) plus DynamoDB Local, when visible. */
  cpuMsPerRead?: number;
  status: number;
}

/** Sequential reads by a campaign admin (the national scope, the widest one): 20 warm-up, then `requests`. */
export const measureMetricsRead = async (
  campaign: LocalCampaign,
  route: ApiRoute,
  cpu?: ReturnType<typeof cpuReader>,
  requests = 200,
): Promise<MetricsReadSample> => {
  const token = await campaign.token({ role: 'campaign-admin' });
  const read = async () => {
    const start = performance.now();
    const response = await campaign.request('GET', route.path, { token });
    return { ms: performance.now() - start, response };
  };
  const first = await read();
  if (first.response.status !== 200) {
    throw new Error(
      `GET ${route.path} answered ${first.response.status}: ${first.response.text.slice(0, 300)}`,
    );
  }
  for (let i = 0; i < 20; i++) await read();
  const times: number[] = [];
  const cpuStart = cpu?.read();
  for (let i = 0; i < requests; i++) times.push((await read()).ms);
  const used = cpu && cpuStart ? cpu.since(cpuStart) : undefined;
  return {
    storedCases: campaign.storedCases,
    requests,
    medianMs: median(times),
    p99Ms: percentile(times, 99),
    ...(used?.dynamoMs !== undefined ? { cpuMsPerRead: (used.nodeMs + used.dynamoMs) / requests } : {}),
    status: first.response.status,
  };
};
