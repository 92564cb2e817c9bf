/**
 * Benchmark 10: notification fan-out per case event, in-process. One case event goes through both
 * stream consumers as deployed: the notifier (functions/streams/notifier.ts: the event's stream record,
 * the reads of its case, task or complaints, one transaction per notification and recipient, its EMF
 * metric) and the dispatcher (functions/streams/notification-dispatch.ts: each new notification's
 * stream record queued for delivery). The SDK answers at once (a bare `send` on the DynamoDB document
 * client and the SQS client), so what is measured is our code per event.
 *
 * The events are a case's usual mix on a case of ten complainants: a filing (the complainant hears),
 * a review task opening (the office hears), a rectification order (the association and every
 * complainant hear) and the closing (every complainant hears).
 *
 * The floor is what any consumer of the same records must do: unmarshall the event's stream image and
 * each resulting notification's, and serialize each queue message.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { interleavedRounds, median } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const tableName = 'fee-campaign-bench';
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: tableName,
  DELIVERY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/fee-campaign-delivery',
  POWERTOOLS_SERVICE_NAME: 'fee-campaign',
  POWERTOOLS_METRICS_NAMESPACE: 'FeeCampaign',
  POWERTOOLS_LOG_LEVEL: 'INFO',
});
delete process.env.LOCAL_DELIVERY_QUEUE_DIR;
delete process.env.POWERTOOLS_METRICS_DISABLED;

const complainants = 10;
const caseId = 'case-bench-fanout';
const at = '2026-03-02T08:00:00.000Z';
type Item = Record<string, unknown>;

const fee = {
  name: 'Annual membership dues',
  category: 'MEMBERSHIP_DUES',
  amountFen: 500_000,
  chargedOn: '2026-01-15',
  period: 'ANNUAL',
};
const association = { name: 'Widget Industry Association', creditCode: '51110000MJ0000001X', province: '11' };
const caseItem: Item = {
  pk: `CASE#${caseId}`,
  sk: 'CASE',
  entity: 'FeeCase',
  caseId,
  reference: 'JF-2026-000001',
  feeKey: 'fee-key',
  association,
  fee,
  province: '11',
  agency: 'SAMR',
  stage: 'RECTIFICATION',
  flags: [],
  complaintCount: complainants,
  enterpriseCount: complainants,
  claimedFen: complainants * 500_000,
  refundedFen: 0,
  reducedAnnualFen: 0,
  openedAt: at,
  updatedAt: at,
  order: { dueAt: '2026-04-01T16:00:00.000Z' },
};
const complaintItems: Item[] = Array.from({ length: complainants }, (_, n) => ({
  pk: `COMPLAINT#complaint-${n}`,
  sk: 'COMPLAINT',
  entity: 'Complaint',
  complaintId: `complaint-${n}`,
  reference: `JF-2026-00010${n}`,
  caseId,
  enterpriseCreditCode: `9111000MA000000${n}X`,
  enterpriseId: `enterprise-${n}`,
  association,
  fee,
  facts: { forcedMembership: true },
  description: 'We had to join to keep our operating licence.',
  sealedContact: 'sealed',
  discloseIdentityToAssociation: false,
  filedAt: `2026-03-02T08:0${n}:00.000Z`,
}));
const intakeEventItems: Item[] = complaintItems.map((complaint, n) => ({
  pk: `CASE#${caseId}`,
  sk: `EVENT#${complaint.filedAt}#${String(n + 1).padStart(6, '0')}`,
  entity: 'CaseEvent',
  type: n === 0 ? 'CASE_OPENED' : 'COMPLAINT_JOINED',
  data: { complaintId: complaint.complaintId },
}));
const taskItem: Item = {
  pk: 'TASK#task-review',
  sk: 'TASK',
  entity: 'Task',
  taskId: 'task-review',
  caseId,
  kind: 'REVIEW',
  status: 'OPEN',
  agency: 'SAMR',
  province: '11',
  dueAt: '2026-03-20T16:00:00.000Z',
  createdAt: at,
  escalated: false,
  overdue: false,
};
const byPk = new Map<string, Item>(
  [caseItem, taskItem, ...complaintItems].map((item) => [item.pk as string, item]),
);

/** The case's events, each as the stream delivers its insert. */
const caseEvents: { type: string; data: Record<string, unknown> }[] = [
  {
    type: 'CASE_OPENED',
    data: {
      complaintId: 'complaint-0',
      handlingOffice: { agency: 'SAMR', province: '11' },
      decisionDueAt: '2026-03-23T16:00:00.000Z',
    },
  },
  {
    type: 'TASK_OPENED',
    data: {
      taskId: 'task-review',
      kind: 'REVIEW',
      agency: 'SAMR',
      province: '11',
      dueAt: '2026-03-20T16:00:00.000Z',
    },
  },
  {
    type: 'TASK_OPENED',
    data: {
      taskId: 'task-rectification',
      kind: 'RECTIFICATION',
      agency: 'SAMR',
      province: '11',
      dueAt: '2026-04-01T16:00:00.000Z',
    },
  },
  { type: 'CASE_CLOSED', data: { outcome: 'ABOLISHED' } },
];
const streamRecord = (item: Item, sequence: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    NewImage: marshall(item, { removeUndefinedValues: true }) as NonNullable<
      DynamoDBRecord['dynamodb']
    >['NewImage'],
    SequenceNumber: sequence,
  },
});
const eventBatches: DynamoDBStreamEvent[] = caseEvents.map((event, n) => ({
  Records: [
    streamRecord(
      {
        pk: `CASE#${caseId}`,
        sk: `EVENT#${at}#${String(n + 20).padStart(6, '0')}`,
        entity: 'CaseEvent',
        caseId,
        seq: n + 20,
        at,
        actor: { role: 'system' },
        previousHash: '0'.repeat(64),
        hash: '1'.repeat(64),
        ...event,
      },
      String(n),
    ),
  ],
}));

/** Notifications the notifier writes, captured once to make the dispatcher's stream batches. */
let captured: Item[] | undefined;
const installStubs = () => {
  const prototypes = [DynamoDBDocumentClient.prototype, SQSClient.prototype] as { send?: unknown }[];
  (DynamoDBDocumentClient.prototype as { send: unknown }).send = async (command: unknown) => {
    if (command instanceof GetCommand) return { Item: byPk.get(command.input.Key?.pk as string) };
    if (command instanceof QueryCommand) return { Items: intakeEventItems };
    if (command instanceof BatchGetCommand) return { Responses: { [tableName]: complaintItems } };
    if (command instanceof TransactWriteCommand) {
      const notification = command.input.TransactItems?.[1]?.Put?.Item;
      if (captured && notification) captured.push(notification as Item);
      return {};
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  };
  (SQSClient.prototype as { send: unknown }).send = async (command: {
    input: { Entries?: { Id: string }[] };
  }) => ({
    Successful: (command.input.Entries ?? []).map((entry) => ({ Id: entry.Id })),
    Failed: [],
  });
  return () => {
    for (const prototype of prototypes) delete prototype.send;
  };
};

runSuite('notification-fanout', async (context) => {
  const removeStubs = installStubs();
  try {
    type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
    const notifier = ((await import('#functions/streams/notifier')) as { handler: StreamHandler }).handler;
    const dispatcher = (
      (await import('#functions/streams/notification-dispatch')) as { handler: StreamHandler }
    ).handler;
    const { lambdaContext } = await import('#infra/local/lambda-context');
    const { deliveryMessageBody } = await import('#shared/adapters/delivery-queue');
    const { notificationFromItem } = await import('#shared/adapters/dynamodb/notification-store');
    const lambda = { ...lambdaContext('notifier', 60, 512), getRemainingTimeInMillis: () => 60_000 };

    // Each event's notifications, as the dispatcher's stream delivers them.
    const dispatchBatches: DynamoDBStreamEvent[] = [];
    const fanOut: number[] = [];
    for (const batch of eventBatches) {
      captured = [];
      const result = await notifier(batch, lambda);
      if (result.batchItemFailures.length > 0) throw new Error('the notifier failed an event');
      fanOut.push(captured.length);
      dispatchBatches.push({ Records: captured.map((item, n) => streamRecord(item, String(n))) });
    }
    captured = undefined;
    if (fanOut.some((count) => count === 0))
      throw new Error(`an event gave no notification: ${fanOut.join(', ')}`);

    const perEvent = async (i: number) => {
      const n = i % eventBatches.length;
      await notifier(eventBatches[n] as DynamoDBStreamEvent, lambda);
      const dispatched = await dispatcher(dispatchBatches[n] as DynamoDBStreamEvent, lambda);
      if (dispatched.batchItemFailures.length > 0) throw new Error('the dispatcher failed a notification');
    };
    const floor = (i: number) => {
      const n = i % eventBatches.length;
      for (const record of (eventBatches[n] as DynamoDBStreamEvent).Records)
        unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>);
      for (const record of (dispatchBatches[n] as DynamoDBStreamEvent).Records)
        deliveryMessageBody(
          notificationFromItem(unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>)),
        );
    };
    const contenders = { perEvent, floor };
    await interleavedRounds(contenders, { rounds: 2, opsPerRound: 400, deadline: Number.POSITIVE_INFINITY });
    const times = await interleavedRounds(contenders, {
      rounds: 15,
      opsPerRound: 400,
      deadline: context.deadline,
    });
    const eventUs = median(times.perEvent?.cpuUs ?? []);
    const floorUs = median(times.floor?.cpuUs ?? []);
    const notifications = fanOut.reduce((sum, count) => sum + count, 0);
    context.row({
      id: 'notifications.fan-out',
      section: 10,
      benchmark: 'notification fan-out per case event (notifier + dispatcher)',
      measured: eventUs,
      unit: 'us/event',
      floor: floorUs,
      floorLabel: 'unmarshall the records + serialize the messages',
      ratio: eventUs / floorUs,
      note: `CPU per case event in-process, SDK answering at once; ${(notifications / eventBatches.length).toFixed(1)} notifications per event (${caseEvents.map((event, n) => `${event.type}${event.data.kind ? ` ${event.data.kind}` : ''} ${fanOut[n]}`).join(', ')}), about ${(eventUs / (notifications / eventBatches.length)).toFixed(0)} us per notification`,
    });
    context.detail('notificationFanOut', { fanOut, times });
  } finally {
    removeStubs();
  }
});
