/**
 * Case search with many stored cases against few: `GET /api/cases` as a provincial regulator and as a
 * campaign admin, with and without filters, run by the stored-cases suite at its 100 and 10,000 levels.
 * A page is a keyed query per scope partition with a bounded number of items read, so its time should
 * not grow with the number of cases.
 */
import type { LocalCampaign } from '../lib/local-campaign.ts';
import type { cpuReader } from '../lib/process-cpu.ts';
import { median, percentile } from '../lib/stats.ts';

export const maxCaseSearchGrowth = 1.5;

/** The first page of what a regulator's and an admin's desk asks most: everything, and narrowed. */
const searches = [
  { role: 'regulator', query: '' },
  { role: 'regulator', query: '?stage=RECEIVED&category=MEMBERSHIP_DUES' },
  { role: 'admin', query: '' },
  { role: 'admin', query: '?province=44&fee=dues' },
] as const;

export interface CaseSearchSample {
  storedCases: number;
  requests: number;
  medianMs: number;
  p99Ms: number;
  /** CPU milliseconds per search: this process (gateway, handler) plus DynamoDB Local, when visible. */
  cpuMsPerSearch?: number;
  /** Cases on the first page of each search, in the order of `searches`. */
  found: number[];
}

/** Sequential first pages of 20, the searches taken in turn: 20 warm-up, then `requests`. */
export const measureCaseSearch = async (
  campaign: LocalCampaign,
  cpu?: ReturnType<typeof cpuReader>,
  requests = 200,
): Promise<CaseSearchSample> => {
  const tokens = {
    regulator: await campaign.token({ role: 'regulator', agency: 'MCA', province: '11' }),
    admin: await campaign.token({ role: 'campaign-admin' }),
  };
  const search = async (n: number) => {
    const { role, query } = searches[n % searches.length] as (typeof searches)[number];
    const start = performance.now();
    const response = await campaign.request('GET', `/api/cases${query}`, { token: tokens[role] });
    const ms = performance.now() - start;
    if (response.status !== 200) {
      throw new Error(`GET /api/cases${query} answered ${response.status}: ${response.text.slice(0, 300)}`);
    }
    return { ms, found: (JSON.parse(response.text) as { items: unknown[] }).items.length };
  };
  const found: number[] = [];
  for (let i = 0; i < searches.length; i++) found.push((await search(i)).found);
  for (let i = 0; i < 20; i++) await search(i);
  const times: number[] = [];
  const cpuStart = cpu?.read();
  for (let i = 0; i < requests; i++) times.push((await search(i)).ms);
  const used = cpu && cpuStart ? cpu.since(cpuStart) : undefined;
  return {
    storedCases: campaign.storedCases,
    requests,
    medianMs: median(times),
    p99Ms: percentile(times, 99),
    ...(used?.dynamoMs !== undefined ? { cpuMsPerSearch: (used.nodeMs + used.dynamoMs) / requests } : {}),
    found,
  };
};
