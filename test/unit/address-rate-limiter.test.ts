/**
 * The local gateway's per-address limit: each address counted per route in one-minute windows, the
 * way the WAF rate rule counts on AWS; past the limit, how many seconds to wait.
 */
import { describe, expect, it } from 'vitest';
import { AddressRateLimiter } from '#infra/local/api-gateway';

/** A limiter on a clock the test moves. */
const limiterAt = (start = 1_000_000) => {
  const clock = { now: start };
  return { clock, limiter: new AddressRateLimiter(() => clock.now) };
};

describe('AddressRateLimiter', () => {
  it('lets an address make as many requests as the limit in a minute', () => {
    // Arrange
    const { limiter } = limiterAt();

    // Act
    const waits = Array.from({ length: 3 }, () => limiter.secondsToWait('lookup', '10.0.0.1', 3));

    // Assert
    expect(waits).toEqual([0, 0, 0]);
  });

  it('tells the next request to wait until the window ends', () => {
    // Arrange
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.secondsToWait('lookup', '10.0.0.1', 3);
    clock.now += 15_500;

    // Act
    const wait = limiter.secondsToWait('lookup', '10.0.0.1', 3);

    // Assert
    expect(wait).toBe(45);
  });

  it('counts each address and each route on its own', () => {
    // Arrange
    const { limiter } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.secondsToWait('lookup', '10.0.0.1', 3);

    // Act
    const otherAddress = limiter.secondsToWait('lookup', '10.0.0.2', 3);
    const otherRoute = limiter.secondsToWait('another', '10.0.0.1', 3);

    // Assert
    expect([otherAddress, otherRoute]).toEqual([0, 0]);
  });

  it('starts a new window a minute after the last one began', () => {
    // Arrange
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 4; i++) limiter.secondsToWait('lookup', '10.0.0.1', 3);
    clock.now += 60_000;

    // Act
    const wait = limiter.secondsToWait('lookup', '10.0.0.1', 3);

    // Assert
    expect(wait).toBe(0);
  });
});
