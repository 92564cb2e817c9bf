/** The calendar operations over an in-memory store: what a stored notice records, and who may store one. */
import { describe, expect, it } from 'vitest';
import { readCalendarYear, saveCalendarYear } from '#shared/calendar/calendar';
import { ForbiddenRoleError, NotFoundError } from '#shared/domain/errors';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { principals } from '#test/support/fakes/records';

const now = new Date('2026-11-20T02:00:00.000Z');

describe('saveCalendarYear', () => {
  it('stores the notice with its dates in order, when and by whom', async () => {
    // Arrange
    const store = new InMemoryCalendarStore();
    const notice = { holidays: ['2027-02-07', '2027-01-01', '2027-02-06'], workdays: ['2027-02-13'] };

    // Act
    const saved = await saveCalendarYear(
      { store, now: () => now },
      principals.admin,
      { year: '2027' },
      notice,
    );

    // Assert
    expect(saved).toEqual({
      year: 2027,
      holidays: ['2027-01-01', '2027-02-06', '2027-02-07'],
      workdays: ['2027-02-13'],
    });
    expect(store.saved).toEqual([{ ...saved, savedAt: now.toISOString(), savedBy: 'admin-1' }]);
  });

  it('refuses anyone but a campaign admin', async () => {
    // Arrange
    const store = new InMemoryCalendarStore();

    // Act
    const saving = saveCalendarYear(
      { store },
      principals.regulator,
      { year: '2027' },
      { holidays: [], workdays: [] },
    );

    // Assert
    await expect(saving).rejects.toBeInstanceOf(ForbiddenRoleError);
    expect(store.saved).toEqual([]);
  });
});

describe('readCalendarYear', () => {
  it('reads a stored year in place of the built-in one', async () => {
    // Arrange
    const store = new InMemoryCalendarStore();
    await saveCalendarYear(
      { store },
      principals.admin,
      { year: '2026' },
      { holidays: ['2026-01-01'], workdays: [] },
    );

    // Act
    const year = await readCalendarYear(store, { year: '2026' });

    // Assert
    expect(year).toEqual({ year: 2026, holidays: ['2026-01-01'], workdays: [] });
  });

  it('finds no notice for a year nobody published', async () => {
    // Arrange
    const store = new InMemoryCalendarStore();

    // Act
    const reading = readCalendarYear(store, { year: '2040' });

    // Assert
    await expect(reading).rejects.toBeInstanceOf(NotFoundError);
  });
});
