import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '#shared/domain/errors';
import { principalFromClaims } from '#shared/http/principal';

const regulatorClaims = (province: string) => ({
  sub: 'officer-1',
  'cognito:groups': 'regulator',
  'custom:agency': 'MCA',
  'custom:province': province,
});

describe('principalFromClaims', () => {
  it('reads a provincial regulator', () => {
    // Act
    const principal = principalFromClaims(regulatorClaims('44'));

    // Assert
    expect(principal).toEqual({ role: 'regulator', subject: 'officer-1', agency: 'MCA', province: '44' });
  });

  it('reads a national regulator', () => {
    // Act
    const principal = principalFromClaims(regulatorClaims('00'));

    // Assert
    expect(principal).toMatchObject({ role: 'regulator', province: '00' });
  });

  it.each(['99', '10', '24', '70'])(
    'refuses province %s, which is no administrative division',
    (province) => {
      // Act / Assert
      expect(() => principalFromClaims(regulatorClaims(province))).toThrow(UnauthenticatedError);
    },
  );
});
