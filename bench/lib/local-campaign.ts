/**
 * The local runtime for end-to-end benchmarks: an in-memory DynamoDB Local, the runtime in this
 * process (API gateway, handlers, the fee-case ASL on the local engine), a small HTTP client with
 * development tokens, and direct pre-filling of stored cases through the intake adapter.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { type LocalRuntime, startLocalRuntime } from '#infra/local/runtime';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { LocalKeyContactSealer } from '#shared/adapters/contact-sealer';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { pendingCaseEventEntity } from '#shared/adapters/dynamodb/case-journal';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { eventItem } from '#shared/adapters/dynamodb/items';
import { unanchoredMarkerPut } from '#shared/adapters/dynamodb/unanchored-chains';
import { type CaseEventDraft, chainEvent } from '#shared/domain/case-event';
import { fileComplaint } from '#shared/file-complaint/file-complaint';
import { benchComplaint, enterpriseOf } from './complaints.ts';
import { sleep } from './stats.ts';

export interface HttpResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export interface LocalCampaign {
  runtime: LocalRuntime;
  url: string;
  tableName: string;
  /** A document client of the bench's own: its calls are never counted as the product's. */
  benchClient: DynamoDBDocumentClient;
  request<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<HttpResponse<T>>;
  token(claims: Record<string, string>): Promise<string>;
  /** Cases stored so far (pre-filled plus opened over HTTP, as the bench counted them). */
  storedCases: number;
  /**
   * Stores cases until `target` are stored, written directly (no HTTP, no workflow started): the intake
   * use case and DynamoIntakeStore build every item exactly as for a real filing, and the bench writes
   * those items with BatchWriteItem instead of the adapter's TransactWriteItems (each pre-filled fee is
   * new, so the transaction's conditions hold anyway; DynamoDB Local runs transactions one at a time).
   */
  prefill(target: number, options?: { concurrency?: number }): Promise<{ added: number; seconds: number }>;
  /** Lets the stream consumers catch up with every change so far (when the runtime has them). */
  drainStreams(): Promise<void>;
  /** Waits until the local engine has been idle (no state entered) for `quietMs`. */
  quiesce(options?: { quietMs?: number; maxMs?: number }): Promise<number>;
  stop(): Promise<void>;
}

export const startLocalCampaign = async (
  log: (line: string) => void = () => undefined,
): Promise<LocalCampaign> => {
  // In memory: a suite runs for minutes, where that is fastest (see DynamoDbLocalOptions.inMemory).
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'fee-campaign-bench-runtime-'));
  const tableName = 'fee-campaign-bench';
  let runtime: LocalRuntime;
  // Start-up lines only: once running, the engine logs every execution (and every abort at stop).
  let starting = true;
  try {
    runtime = await startLocalRuntime({
      port: 0,
      dataDir,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      resume: false,
      devTokens: true,
      log: (line) => {
        if (starting) log(line.replace(/\s+/g, ' '));
      },
    });
    starting = false;
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  const benchClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  // The adapter writes into `pending` instead of the table; `flush` batches the items out.
  const pending: Record<string, unknown>[] = [];
  // Reference numbers are drawn from the table's own sequences, so that later filings over HTTP
  // continue them instead of colliding with pre-filled cases; in blocks, as one draw per case made
  // pre-filling a table of 10,000 cases take minutes. Unused numbers of a block are gaps, as an
  // abandoned filing leaves.
  const referenceBlocks = new Map<string, Promise<{ next: number; last: number }>>();
  const reserveBlock = async (command: UpdateCommand) => {
    const reserved = await benchClient.send(
      new UpdateCommand({
        ...command.input,
        ExpressionAttributeValues: { ...command.input.ExpressionAttributeValues, ':count': 1_000 },
      }),
    );
    const last = reserved.Attributes?.last as number;
    return { next: last - 999, last };
  };
  const drawReferences = async (command: UpdateCommand) => {
    const key = JSON.stringify(command.input.Key);
    const count = command.input.ExpressionAttributeValues?.[':count'] as number;
    let block = await (referenceBlocks.get(key) ?? Promise.resolve({ next: 1, last: 0 }));
    if (block.next + count - 1 > block.last) {
      const reserving = reserveBlock(command);
      referenceBlocks.set(key, reserving);
      block = await reserving;
    }
    block.next += count;
    return { Attributes: { last: block.next - 1 } };
  };
  // The runtime's own audit key (it puts it in the environment), so pre-filled trails verify.
  const auditSeal = new LocalKeyAuditSeal(process.env.LOCAL_AUDIT_KEY ?? '');
  /**
   * A pre-filled case's opening event linked here, as the case journal would: the journal never sees a
   * pending opening, so no workflow starts for a pre-filled case.
   */
  const linkedOpening = async (items: Record<string, unknown>[]) => {
    const opening = items.find((item) => item.entity === pendingCaseEventEntity);
    const caseAt = items.findIndex((item) => item.entity === 'FeeCase');
    const feeCase = items[caseAt];
    if (!opening || !feeCase) throw new Error('pre-filling expects each filing to open a case');
    const { pk: _pk, sk: _sk, entity: _entity, caseId, pendingId: _id, at, ...draft } = opening;
    const event = await chainEvent(
      feeCase as { caseId: string; eventSeq: number; lastEventHash: string },
      draft as unknown as CaseEventDraft,
      at as string,
      auditSeal,
    );
    const linked = { ...feeCase, eventSeq: event.seq, lastEventHash: event.hash };
    return [
      ...items.filter((item) => item !== opening && item !== feeCase),
      linked,
      eventItem(event),
      unanchoredMarkerPut(tableName, event).Put?.Item as Record<string, unknown>,
    ];
  };
  const capturingClient = {
    send: async (command: unknown) => {
      if (command instanceof GetCommand) return {};
      if (command instanceof UpdateCommand) return drawReferences(command);
      if (command instanceof TransactWriteCommand) {
        const items = ((command.input as TransactWriteCommandInput).TransactItems ?? []).map((item) => {
          if (!item.Put?.Item) throw new Error('pre-filling expects new cases only (Put items)');
          return item.Put.Item;
        });
        pending.push(...(await linkedOpening(items)));
        return {};
      }
      throw new Error(`pre-filling does not expect ${(command as object).constructor.name}`);
    },
  } as unknown as DynamoDBDocumentClient;
  const store = new DynamoIntakeStore(capturingClient, tableName);
  const flush = async (concurrency: number) => {
    const batches: Record<string, unknown>[][] = [];
    while (pending.length > 0) batches.push(pending.splice(0, 25));
    let next = 0;
    const writer = async () => {
      while (next < batches.length) {
        let batch = batches[next++] as Record<string, unknown>[];
        for (let attempt = 0; batch.length > 0; attempt++) {
          if (attempt > 20) throw new Error('DynamoDB Local keeps leaving items unprocessed');
          const { UnprocessedItems } = await benchClient.send(
            new BatchWriteCommand({
              RequestItems: { [tableName]: batch.map((Item) => ({ PutRequest: { Item } })) },
            }),
          );
          batch = (UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
            request.PutRequest?.Item ? [request.PutRequest.Item] : [],
          );
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, writer));
  };
  // The runtime's own contact key (it puts it in the environment), so that the notices of pre-filled
  // complaints reach their contacts as those of filings over HTTP do.
  const sealer = new LocalKeyContactSealer(process.env.LOCAL_CONTACT_KEY ?? '');
  // Read from the table itself (the capturing client only takes the filings' writes).
  const calendar = new DynamoCalendarStore(benchClient, tableName);
  const uploads = new DynamoEvidenceUploads(benchClient, tableName);

  const request = async <T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<HttpResponse<T>> => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: body as T, text };
  };

  let prefillSerial = 0;
  const campaign: LocalCampaign = {
    runtime,
    url: runtime.url,
    tableName,
    benchClient,
    request,
    token: async (claims) => {
      const response = await request<{ token: string }>('POST', '/local/token', { body: claims });
      if (response.status !== 200) throw new Error(`token: ${response.status} ${response.text}`);
      return response.body.token;
    },
    storedCases: 0,
    prefill: async (target, { concurrency = 4 } = {}) => {
      const start = performance.now();
      const missing = Math.max(0, target - campaign.storedCases);
      // The next cases are made while the last ones are written: this process's CPU and DynamoDB
      // Local's side by side.
      let writing: Promise<void> = Promise.resolve();
      for (let i = 0; i < missing; i++) {
        const n = prefillSerial++;
        await fileComplaint(
          { store, sealer, calendar, uploads },
          {
            enterpriseCreditCode: enterpriseOf(n),
            enterpriseId: `bench-${enterpriseOf(n)}`,
            subject: `bench-${enterpriseOf(n)}`,
            body: benchComplaint(n, { tag: 'prefill' }),
          },
        );
        if (pending.length >= 2_500) {
          await writing;
          writing = flush(concurrency);
        }
      }
      await writing;
      await flush(concurrency);
      campaign.storedCases += missing;
      return { added: missing, seconds: (performance.now() - start) / 1000 };
    },
    // Thousands of pre-filled cases reach three stream consumers at once: minutes, not the tests' 30 s.
    drainStreams: () => runtime.drainStreams(600_000),
    quiesce: async ({ quietMs = 750, maxMs = 60_000 } = {}) => {
      const start = performance.now();
      let last = runtime.stepFunctions.counters().stateTransitions;
      let quietSince = performance.now();
      while (performance.now() - quietSince < quietMs) {
        if (performance.now() - start > maxMs)
          throw new Error(`the local engine was still busy after ${maxMs} ms`);
        await sleep(100);
        const now = runtime.stepFunctions.counters().stateTransitions;
        if (now !== last) {
          last = now;
          quietSince = performance.now();
        }
      }
      return performance.now() - start;
    },
    stop: async () => {
      // Its measurements are taken: the runtime's stop (which anchors every case changed since the last
      // anchors, 10,000 after a fill) may not eat the suite's time; DynamoDB Local goes with it anyway.
      await Promise.race([runtime.stop().catch(() => undefined), sleep(15_000)]);
      await dynamo.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return campaign;
};
