import { describe, expect, it } from 'vitest';
import { RecentFeeStandings } from '#shared/file-complaint/recent-fee-standings';

const open = (caseId: string) => ({ kind: 'open' as const, caseId, province: '44' });

/** A clock the test moves by hand; standings trusted 250 ms, remembered 10 s. */
const standingsOnHandClock = (maxFees = 1_000) => {
  let now = 1_000;
  const standings = new RecentFeeStandings(() => now, 250, 10_000, maxFees);
  return { standings, advance: (ms: number) => (now += ms) };
};

describe('RecentFeeStandings', () => {
  it('recalls an open case read less than the time trusted ago', () => {
    // Arrange
    const { standings, advance } = standingsOnHandClock();
    standings.keep('fee-1', open('case-1'));
    advance(249);

    // Act
    const recalled = standings.recallOpen('fee-1');

    // Assert
    expect(recalled).toEqual(open('case-1'));
  });

  it('no longer trusts an open case once the time trusted has passed, but remembers the fee had one', () => {
    // Arrange
    const { standings, advance } = standingsOnHandClock();
    standings.keep('fee-1', open('case-1'));
    advance(250);

    // Act
    const recalled = standings.recallOpen('fee-1');

    // Assert
    expect(recalled).toBeUndefined();
    expect(standings.hadCase('fee-1')).toBe(true);
  });

  it('remembers that a fee whose case closed had a case, without recalling it as open', () => {
    // Arrange
    const { standings } = standingsOnHandClock();

    // Act
    standings.keep('fee-1', { kind: 'none', previousCaseId: 'case-1' });

    // Assert
    expect(standings.recallOpen('fee-1')).toBeUndefined();
    expect(standings.hadCase('fee-1')).toBe(true);
  });

  it('says a fee read without any case had none', () => {
    // Arrange
    const { standings } = standingsOnHandClock();

    // Act
    standings.keep('fee-1', { kind: 'none' });

    // Assert
    expect(standings.hadCase('fee-1')).toBe(false);
  });

  it('forgets a fee once the time remembered has passed', () => {
    // Arrange
    const { standings, advance } = standingsOnHandClock();
    standings.keep('fee-1', open('case-1'));
    advance(10_000);

    // Act
    const hadCase = standings.hadCase('fee-1');

    // Assert
    expect(hadCase).toBe(false);
  });

  it('makes room for a new fee by forgetting the one read longest ago', () => {
    // Arrange
    const { standings } = standingsOnHandClock(2);
    standings.keep('fee-1', open('case-1'));
    standings.keep('fee-2', open('case-2'));

    // Act
    standings.keep('fee-3', open('case-3'));

    // Assert
    expect(['fee-1', 'fee-2', 'fee-3'].map((fee) => standings.hadCase(fee))).toEqual([false, true, true]);
  });
});
