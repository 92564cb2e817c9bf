import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '#shared/domain/errors';
import { notificationIdOf } from '#shared/domain/notification';
import { listNotifications, markNotificationRead } from '#shared/notifications/read-notifications';
import { InMemoryNotificationStore } from '#test/support/fakes/notifications';
import { principals } from '#test/support/fakes/records';

const enterprise = { party: 'enterprise', enterpriseId: principals.enterprise.enterpriseId } as const;
let store: InMemoryNotificationStore;
const idAt = (at: string) => notificationIdOf(at, `event#case-1#${at}`, enterprise, 'CASE_CLOSED');

beforeEach(async () => {
  store = new InMemoryNotificationStore();
  for (const at of ['2026-06-01T08:00:00.000Z', '2026-06-02T08:00:00.000Z']) {
    await store.writeOnce({
      notificationId: idAt(at),
      recipient: enterprise,
      kind: 'CASE_CLOSED',
      at,
      read: false,
      complaintId: 'complaint-1',
      caseId: 'case-1',
      params: { outcome: 'ABOLISHED', reference: '2026-11-000001' },
    });
  }
});

describe('listNotifications', () => {
  it("lists the caller's own notifications newest first, rendered in its language, with the unread count", async () => {
    // Act
    const page = await listNotifications(store, principals.enterprise, {}, 'zh-CN');

    // Assert
    expect(page.unread).toBe(2);
    expect(page.items.map((item) => item.at)).toEqual([
      '2026-06-02T08:00:00.000Z',
      '2026-06-01T08:00:00.000Z',
    ]);
    expect(page.items[0]).toMatchObject({
      title: '投诉已办结（2026-11-000001）',
      read: false,
      complaintId: 'complaint-1',
    });
    expect(page.items[0]).not.toHaveProperty('params');
    expect(page.items[0]).not.toHaveProperty('recipient');
  });

  it('shows another enterprise nothing of them', async () => {
    // Act
    const page = await listNotifications(store, principals.otherEnterprise, {}, 'en');

    // Assert
    expect(page).toEqual({ items: [], cursor: null, unread: 0 });
  });

  it('refuses a page size over 100', async () => {
    // Act + Assert
    await expect(listNotifications(store, principals.enterprise, { limit: '101' }, 'en')).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('markNotificationRead', () => {
  it('marks it read and counts one unread less, once', async () => {
    // Act
    const first = await markNotificationRead(
      store,
      principals.enterprise,
      idAt('2026-06-01T08:00:00.000Z'),
      'en',
    );
    const again = await markNotificationRead(
      store,
      principals.enterprise,
      idAt('2026-06-01T08:00:00.000Z'),
      'en',
    );

    // Assert
    expect(first).toMatchObject({
      notification: { read: true, title: 'Complaint closed (2026-11-000001)' },
      unread: 1,
    });
    expect(again.unread).toBe(1);
  });

  it.each([
    ['another enterprise', principals.otherEnterprise, idAt('2026-06-01T08:00:00.000Z')],
    ['the association', principals.association, idAt('2026-06-01T08:00:00.000Z')],
    ['the enterprise, for an id of no shape', principals.enterprise, '../UNREAD'],
  ])('answers not found to %s', async (_who, principal, id) => {
    // Act + Assert
    await expect(markNotificationRead(store, principal, id, 'en')).rejects.toThrow(NotFoundError);
    expect((await store.list(enterprise, 20)).unread).toBe(2);
  });
});
