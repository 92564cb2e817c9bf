/**
 * Notifications against the real runtime: a case run from filing to closure tells the complainant,
 * the association and the regulators' office what they must hear, once each, in the caller's
 * language; mark read is idempotent and private to the recipient; and the stream delivered three
 * times, with faults before and after writes, leaves exactly the same notifications and counters.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { BatchWriteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreImage } from '#infra/local/stream-poller';
import { eventFromItem } from '#shared/adapters/dynamodb/items';
import {
  DynamoNotificationSources,
  DynamoNotificationStore,
} from '#shared/adapters/dynamodb/notification-store';
import type { CaseEvent } from '#shared/domain/case-event';
import type { Agency } from '#shared/domain/principal';
import { publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';
import { remindDeadlines } from '#shared/notifications/deadline-reminders';
import { notifyEvents } from '#shared/notifications/notify-events';
import { faultKinds, injectWriteFaults } from '#test/reliability/support/faults';
import {
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  type Scenario,
  waitForStage,
} from '#test/support/campaign-actors';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let scenario: Scenario;
let caseId = '';
let complaintId = '';

beforeAll(async () => {
  harness = await startTestRuntime();
  scenario = await newScenario(harness);
  ({ caseId, complaintId } = await fileComplaint(harness, scenario));
  const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
  await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
  const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
  await completeTask(harness, scenario.association, order.taskId, decisions.refunded(500_000));
  const check = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
  await completeTask(harness, scenario.regulator, check.taskId, decisions.accept);
  await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');
  await harness.runtime.drainStreams();
}, 120_000);
afterAll(() => harness.stop());

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, by the fields they assert on
const centreOf = async (token: string, query = '', language = 'zh-CN'): Promise<any> => {
  const response = await harness.request('GET', `/api/notifications${query}`, {
    token,
    headers: { 'accept-language': language },
  });
  expect(response.status, response.text).toBe(200);
  return response.body;
};

const kindsOf = (body: { items: { kind: string; caseId?: string }[] }) =>
  body.items.filter((item) => item.caseId === caseId).map((item) => item.kind);

/** Every item of the notification centres: notifications, markers and unread counters. */
const notificationItems = async () => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await harness.documentClient.send(
      new ScanCommand({
        TableName: harness.tableName,
        FilterExpression: 'begins_with(pk, :notify)',
        ExpressionAttributeValues: { ':notify': 'NOTIFY#' },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
};

const readEvents = async (): Promise<CaseEvent[]> => {
  const config = {
    endpoint: harness.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const { Table } = await harness.client.send(new DescribeTableCommand({ TableName: harness.tableName }));
  const streams = new DynamoDBStreamsClient(config);
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
  );
  const records: StreamRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table?.LatestStreamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  return records.flatMap((record) => {
    const image = restoreImage(record.dynamodb?.NewImage as Parameters<typeof restoreImage>[0]);
    if (record.eventName !== 'INSERT' || !image) return [];
    const item = unmarshall(image as unknown as Record<string, AttributeValue>);
    return item.entity === 'CaseEvent' ? [eventFromItem(item)] : [];
  });
};

describe('notifications of a case run from filing to closure', () => {
  it('tells the complainant it was received, that an order was issued, and that the case closed', async () => {
    // Act
    const centre = await centreOf(scenario.enterprise);

    // Assert
    expect(kindsOf(centre)).toEqual(['CASE_CLOSED', 'ORDER_ISSUED', 'COMPLAINT_RECEIVED']);
    expect(centre.unread).toBe(3);
    expect(centre.items.every((item: { complaintId: string }) => item.complaintId === complaintId)).toBe(
      true,
    );
  });

  it('tells the association of its order and of the verification result, without naming the complainant', async () => {
    // Act
    const centre = await centreOf(scenario.association);

    // Assert
    expect(kindsOf(centre)).toEqual(['VERIFICATION_RESULT', 'ORDER_ISSUED']);
    expect(JSON.stringify(centre)).not.toContain(scenario.enterpriseCode);
    expect(JSON.stringify(centre)).not.toContain(complaintId);
  });

  it("puts the review and the verification in the regulators' office's notification centre", async () => {
    // Act
    const centre = await centreOf(scenario.regulator);

    // Assert
    expect(kindsOf(centre)).toEqual(['TASK_OPENED', 'TASK_OPENED']);
    expect(centre.items[0].title).toMatch(/^新的整改核查任务（\d{4}-\d{2}-\d{6}）$/);
  });

  it('renders the same notification in the language of the request', async () => {
    // Act
    const [zh, en] = [await centreOf(scenario.enterprise), await centreOf(scenario.enterprise, '', 'en')];

    // Assert
    expect(zh.items[2].title).toMatch(/^投诉已提交（\d{4}-\d{2}-\d{6}）$/);
    expect(zh.items[2].body).toContain('北京市民政局');
    expect(en.items[2].title).toMatch(/^Complaint received \(\d{4}-\d{2}-\d{6}\)$/);
    expect(en.items[2].body).toContain('Beijing Municipal Civil Affairs Bureau');
  });

  it('pages newest first with a cursor bound to the recipient', async () => {
    // Act
    const first = await centreOf(scenario.enterprise, '?limit=2');
    const second = await centreOf(scenario.enterprise, `?limit=2&cursor=${first.cursor}`);
    const stolen = await harness.request('GET', `/api/notifications?cursor=${first.cursor}`, {
      token: scenario.association,
    });

    // Assert
    expect([...kindsOf(first), ...kindsOf(second)]).toEqual([
      'CASE_CLOSED',
      'ORDER_ISSUED',
      'COMPLAINT_RECEIVED',
    ]);
    expect(stolen.status).toBe(400);
  });
});

describe('the stream delivered three times with faults', () => {
  it('leaves exactly the notifications and unread counts of a single delivery', async () => {
    // Arrange
    const written = await notificationItems();
    for (let i = 0; i < written.length; i += 25) {
      await harness.documentClient.send(
        new BatchWriteCommand({
          RequestItems: {
            [harness.tableName]: written
              .slice(i, i + 25)
              .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
          },
        }),
      );
    }
    const events = await readEvents();
    const deps = {
      sources: new DynamoNotificationSources(harness.documentClient, harness.tableName),
      store: new DynamoNotificationStore(harness.documentClient, harness.tableName),
      calendar: new InMemoryCalendarStore(),
    };
    // Every third write fails, each kind of fault in turn: before the write, or after it landed.
    const faults = injectWriteFaults(DynamoNotificationStore.prototype, 'writeOnce', ({ index }) =>
      index % 3 === 2 ? faultKinds[Math.floor(index / 3) % faultKinds.length] : undefined,
    );

    // Act
    try {
      for (let delivery = 0; delivery < 3; delivery++) {
        for (let i = 0; i < events.length; i += 10) {
          let pending = events.slice(i, i + 10);
          while (pending.length > 0) pending = (await notifyEvents(deps, pending)).failed;
        }
      }
    } finally {
      faults.restore();
    }

    // Assert
    expect(faults.total).toBeGreaterThan(5);
    expect(Object.keys(faults.injected).sort()).toEqual([...faultKinds].sort());
    expect(await notificationItems()).toEqual(written);
    // The complainant's 3, the association's 2 and the office's 2.
    expect(written.filter((item) => item.entity === 'Notification')).toHaveLength(7);
  });
});

describe('marking a notification read', () => {
  it('counts one unread less, once, however often it is marked', async () => {
    // Arrange
    const before = await centreOf(scenario.enterprise);
    const id = before.items[0].notificationId;

    // Act
    const first = await harness.request('POST', `/api/notifications/${id}/read`, {
      token: scenario.enterprise,
    });
    const again = await harness.request('POST', `/api/notifications/${id}/read`, {
      token: scenario.enterprise,
    });

    // Assert
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      notification: { notificationId: id, read: true },
      unread: before.unread - 1,
    });
    expect(again.body.unread).toBe(before.unread - 1);
    expect((await centreOf(scenario.enterprise)).items[0].read).toBe(true);
  });

  it("answers 404 for another party's notification and changes nothing", async () => {
    // Arrange
    const before = await centreOf(scenario.enterprise);
    const unread = before.items.find((item: { read: boolean }) => !item.read);
    const other = await newScenario(harness);

    // Act
    const response = await harness.request('POST', `/api/notifications/${unread.notificationId}/read`, {
      token: other.enterprise,
    });

    // Assert
    expect(response.status).toBe(404);
    expect((await centreOf(scenario.enterprise)).unread).toBe(before.unread);
  });

  it('never counts below zero, even when the counter was already at zero', async () => {
    // Arrange
    const store = new DynamoNotificationStore(harness.documentClient, harness.tableName);
    // A development token without an account is the enterprise account named by its credit code.
    const recipient = { party: 'enterprise', enterpriseId: scenario.enterpriseCode } as const;
    const unread = (await store.list(recipient, 20)).items.find((item) => !item.read);
    await harness.documentClient.send(
      new PutCommand({
        TableName: harness.tableName,
        Item: {
          pk: `NOTIFY#ENTERPRISE#${scenario.enterpriseCode}`,
          sk: 'UNREAD',
          entity: 'NotificationCounter',
          unread: 0,
        },
      }),
    );

    // Act
    const marked = await store.markRead(recipient, unread?.notificationId ?? '');

    // Assert
    expect(marked).toMatchObject({ notification: { read: true }, unread: 0 });
  });

  it('marks a notification read once when two requests race', async () => {
    // Arrange
    const other = await newScenario(harness);
    await fileComplaint(harness, other);
    await harness.runtime.drainStreams();
    const [receipt] = (await centreOf(other.enterprise)).items;

    // Act
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        harness.request('POST', `/api/notifications/${receipt.notificationId}/read`, {
          token: other.enterprise,
        }),
      ),
    );

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await centreOf(other.enterprise)).unread).toBe(0);
  });
});

describe('the daily deadline reminders', () => {
  it('remind the office of a review due within 2 working days, once however often they run', async () => {
    // Arrange
    const waiting = await newScenario(harness);
    const filed = await fileComplaint(harness, waiting);
    const review = await openTaskOf(harness, waiting.regulator, filed.caseId, 'REVIEW');
    const _calendar = new WorkingDayCalendar(publishedYears);
    const deps = {
      sources: new DynamoNotificationSources(harness.documentClient, harness.tableName),
      store: new DynamoNotificationStore(harness.documentClient, harness.tableName),
      calendar: new InMemoryCalendarStore(),
    };
    // The evening before the due day, China time: at most 1 working day left.
    const evening = new Date(Date.parse(review.dueAt) - 30 * 3_600_000);

    // Act
    const runs = [
      await remindDeadlines(deps, evening),
      await remindDeadlines(deps, new Date(evening.getTime() + 3_600_000)),
    ];

    // Assert
    // Other reviews of this office opened moments apart may be reminded too; the second run adds nothing.
    expect(runs[0]?.written).toBeGreaterThanOrEqual(1);
    expect(runs[1]?.written).toBe(0);
    const office = { party: 'office', agency: review.agency as Agency, province: review.province } as const;
    const reminders = (await deps.store.list(office, 100)).items.filter(
      (item) => item.kind === 'TASK_DUE_SOON' && item.taskId === review.taskId,
    );
    expect(reminders.map((item) => [item.taskId, item.params.dueAt])).toEqual([
      [review.taskId, review.dueAt],
    ]);
  });
});
