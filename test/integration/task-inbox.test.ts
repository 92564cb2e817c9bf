/**
 * The task inbox on DynamoDB Local: pages are full up to their limit, or the last; a page is never empty
 * while more tasks exist, however many tasks the inbox's filter passes over, and tasks come by due date.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import type { TaskKind } from '#shared/domain/fee-task';
import type { InboxQuery, StoredTask } from '#shared/ports/cases';
import { testAuditSeal, useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();
const store = new DynamoCaseStore(documentClient, tableName, testAuditSeal());

const start = Date.parse('2026-01-01T00:00:00.000Z');
let written = 0;

const taskOf = (fields: Pick<StoredTask, 'kind' | 'status' | 'agency' | 'province'>): StoredTask => {
  written += 1;
  const caseId = randomUUID();
  return {
    ...fields,
    taskId: `${caseId}.${fields.kind.toLowerCase()}.1`,
    caseId,
    // Each task falls due a minute after the one written before it.
    dueAt: new Date(start + written * 60_000).toISOString(),
    createdAt: new Date(start).toISOString(),
    escalated: false,
    overdue: false,
    taskToken: 'token',
    version: 1,
    ...(fields.status === 'COMPLETED' ? { completedAt: new Date(start).toISOString() } : {}),
  };
};

const write = async (tasks: StoredTask[]) => {
  for (let i = 0; i < tasks.length; i += 25)
    await Promise.all(tasks.slice(i, i + 25).map((task) => store.updateTask({ task, expected: 'new' })));
};

/** Every page of an inbox, following the cursors to the end. */
const allPages = async (inbox: InboxQuery, limit: number) => {
  const pages: { ids: string[]; cursor: string | null }[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listTasks(inbox, limit, cursor);
    pages.push({ ids: page.items.map((task) => task.taskId), cursor: page.cursor });
    cursor = page.cursor ?? undefined;
  } while (cursor && pages.length < 100);
  return pages;
};

const ids = (tasks: StoredTask[]) => tasks.map((task) => task.taskId);

/** Closed work first, then open work: what a campaign looks like after its first months. */
const closed: StoredTask[] = [];
const openVerifications: StoredTask[] = [];
const openReviews: StoredTask[] = [];

beforeAll(async () => {
  for (let i = 0; i < 240; i++)
    closed.push(taskOf({ kind: 'REVIEW', status: 'COMPLETED', agency: 'MCA', province: '11' }));
  for (let i = 0; i < 40; i++)
    openVerifications.push(taskOf({ kind: 'VERIFICATION', status: 'OPEN', agency: 'SAMR', province: '44' }));
  for (let i = 0; i < 3; i++)
    openReviews.push(taskOf({ kind: 'REVIEW', status: 'OPEN', agency: 'SAMR', province: '44' }));
  // Written newest first, so that the table's order is not the order of due dates.
  await write([...openReviews, ...openVerifications, ...closed].reverse());
}, 60_000);

describe("the campaign admin's unfiltered inbox", () => {
  it('answers full pages of open tasks, by due date, and a last page with no cursor', async () => {
    // Arrange
    const inbox: InboxQuery = { owner: 'everyone', status: 'OPEN' };

    // Act
    const pages = await allPages(inbox, 20);

    // Assert
    expect(pages.map((page) => page.ids.length)).toEqual([20, 20, 3]);
    expect(pages.map((page) => page.cursor === null)).toEqual([false, false, true]);
    expect(pages.flatMap((page) => page.ids)).toEqual(ids([...openVerifications, ...openReviews]));
  });

  it('finds the open tasks of one kind on the first page', async () => {
    // Arrange
    const inbox: InboxQuery = { owner: 'everyone', status: 'OPEN', kind: 'REVIEW' };

    // Act
    const [first] = await allPages(inbox, 20);

    // Assert
    expect(first).toEqual({ ids: ids(openReviews), cursor: null });
  });
});

describe("a regulator's inbox filtered by kind", () => {
  const inboxOf = (kind: TaskKind): InboxQuery => ({
    owner: 'regulator',
    agency: 'SAMR',
    province: '44',
    status: 'OPEN',
    kind,
  });

  it('finds the tasks of the kind on the first page when tasks of other kinds fall due before them', async () => {
    // Act
    const [first] = await allPages(inboxOf('REVIEW'), 20);

    // Assert
    expect(first).toEqual({ ids: ids(openReviews), cursor: null });
  });

  it('pages on from where the last page stopped, each task once', async () => {
    // Act
    const pages = await allPages(inboxOf('VERIFICATION'), 15);

    // Assert
    expect(pages.map((page) => page.ids.length)).toEqual([15, 15, 10]);
    expect(pages.flatMap((page) => page.ids)).toEqual(ids(openVerifications));
  });
});
