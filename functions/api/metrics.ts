/**
 * Metrics API: campaign figures and the ranking of associations for regulators and admins, public
 * aggregates, the open-data CSV.
 */

import { DynamoAssociationFigures } from '#shared/adapters/dynamodb/association-figures';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoMetricsStore } from '#shared/adapters/dynamodb/metrics-store';
import { loadConfig, TableConfig } from '#shared/config';
import { parseWith } from '#shared/domain/validation';
import { apiHandler } from '#shared/http/api-handler';
import { OutcomesCsvQuery, PublicMetricsQuery } from '#shared/metrics/messages';
import { outcomesCsv } from '#shared/metrics/outcomes-csv';
import { rankAssociations } from '#shared/metrics/rank-associations';
import { readMetrics, readPublicMetrics } from '#shared/metrics/read-metrics';

const config = loadConfig(TableConfig);
const counters = new DynamoMetricsStore(documentClient, config.TABLE_NAME);
const closedCases = new DynamoComplaintReads(documentClient, config.TABLE_NAME);
const associationFigures = new DynamoAssociationFigures(documentClient, config.TABLE_NAME);

export const handler = apiHandler({
  getMetrics: async (request) => ({
    status: 200,
    body: await readMetrics(counters, request.principal, request.query),
  }),
  getAssociationRanking: async (request) => ({
    status: 200,
    body: await rankAssociations(associationFigures, request.principal, request.query),
  }),
  getPublicMetrics: async (request) => {
    parseWith(PublicMetricsQuery, request.query, 'query');
    return {
      status: 200,
      body: await readPublicMetrics(counters),
      headers: { 'cache-control': 'public, max-age=60' },
    };
  },
  getOutcomesCsv: async (request) => {
    const { lang } = parseWith(OutcomesCsvQuery, request.query, 'query');
    let csv = '';
    for await (const chunk of outcomesCsv(closedCases, lang)) csv += chunk;
    const name = lang === 'zh-CN' ? '涉企收费治理成效.csv' : 'fee-campaign-outcomes.csv';
    return {
      status: 200,
      body: undefined,
      rawBody: csv,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="fee-campaign-outcomes.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'cache-control': 'public, max-age=300',
        ...(lang ? { 'content-language': lang } : {}),
      },
    };
  },
});
