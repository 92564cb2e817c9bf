/**
 * Offices and divisions by their official names: a province's department (广东省民政厅), a
 * municipality's bureau (北京市民政局), an autonomous region by its full name, the national ministry.
 */
import { describe, expect, it } from 'vitest';
import { divisionName, handlingOffice } from '#shared/domain/handling-office';

describe('handlingOffice', () => {
  it('names the provincial department of civil affairs, and the municipal bureau', () => {
    // Act
    const guangdong = handlingOffice('MCA', '44', 'zh-CN');
    const beijing = handlingOffice('MCA', '11', 'en');

    // Assert
    expect(guangdong.name).toBe('广东省民政厅');
    expect(beijing.name).toBe('Beijing Municipal Civil Affairs Bureau');
  });

  it('names the national office for the national level', () => {
    // Act
    const office = handlingOffice('SAMR', '00', 'zh-CN');

    // Assert
    expect(office).toEqual({ agency: 'SAMR', province: '00', name: '国家市场监督管理总局' });
  });
});

describe('divisionName', () => {
  it('names a province and an autonomous region in full, in either language', () => {
    // Act
    const names = [divisionName('44', 'zh-CN'), divisionName('45', 'zh-CN'), divisionName('44', 'en')];

    // Assert
    expect(names).toEqual(['广东省', '广西壮族自治区', 'Guangdong']);
  });

  it('names no division for the national code', () => {
    // Act
    const name = divisionName('00', 'zh-CN');

    // Assert
    expect(name).toBeUndefined();
  });
});
