import { describe, expect, it } from 'vitest';
import { childRegionCodes, findRegionCode, isKnownProvinceCode } from './region-codes';
import type { RegionCodeEntry } from './region-codes';

/** Walks the whole table from the provinces down, through the public API only. */
function allEntries(): RegionCodeEntry[] {
  const entries: RegionCodeEntry[] = [];
  const walk = (entry: RegionCodeEntry): void => {
    entries.push(entry);
    for (const child of childRegionCodes(entry.code)) walk(child);
  };
  for (let p = 10; p <= 99; p += 1) {
    const province = isKnownProvinceCode(String(p)) ? findRegionCode(`${p}0000`) : undefined;
    if (province) walk(province);
  }
  return entries;
}

describe('findRegionCode', () => {
  it('finds a province with no parent', () => {
    expect(findRegionCode('370000')).toEqual({
      code: '370000',
      name: '山东省',
      parentCode: null,
      level: 'province',
      standard: true,
    });
  });

  it('finds a prefecture-level city under its province', () => {
    expect(findRegionCode('371000')).toMatchObject({
      name: '威海市',
      parentCode: '370000',
      level: 'city',
      standard: true,
    });
  });

  it('finds a county-level district under its city', () => {
    expect(findRegionCode('371002')).toMatchObject({
      name: '环翠区',
      parentCode: '371000',
      level: 'county',
      standard: true,
    });
  });

  it('puts the districts of a municipality directly under it as counties', () => {
    expect(findRegionCode('110101')).toMatchObject({
      name: '东城区',
      parentCode: '110000',
      level: 'county',
    });
  });

  it('treats a prefecture-level city without districts as a city', () => {
    expect(findRegionCode('441900')).toMatchObject({ name: '东莞市', level: 'city' });
  });

  it.each([
    ['371071', '威海火炬高技术产业开发区'],
    ['371072', '威海经济技术开发区'],
    ['371073', '威海临港经济技术开发区'],
  ])('flags the functional zone %s %s as non-standard', (code, name) => {
    expect(findRegionCode(code)).toMatchObject({
      name,
      parentCode: '371000',
      level: 'county',
      standard: false,
    });
  });

  it('flags the 市辖区 placeholder 371001 as non-standard', () => {
    expect(findRegionCode('371001')).toMatchObject({ name: '市辖区', standard: false });
  });

  it('names 直辖 groupings as GB/T 2260 does and flags them as non-standard', () => {
    expect(findRegionCode('419000')).toMatchObject({
      name: '省直辖县级行政区划',
      level: 'city',
      standard: false,
    });
    expect(findRegionCode('429000')?.name).toBe('省直辖县级行政区划');
    expect(findRegionCode('659000')?.name).toBe('自治区直辖县级行政区划');
  });

  it('keeps the real county-level cities under a 直辖 grouping standard', () => {
    expect(findRegionCode('419001')).toMatchObject({
      name: '济源市',
      parentCode: '419000',
      level: 'county',
      standard: true,
    });
  });

  it('flags Hong Kong districts, which GB/T 2260 does not code, as non-standard', () => {
    expect(findRegionCode('810000')?.standard).toBe(true);
    expect(findRegionCode('810001')).toMatchObject({ parentCode: '810000', standard: false });
  });

  it('does not find a code the current table lacks', () => {
    expect(findRegionCode('999999')).toBeUndefined();
    expect(findRegionCode('412723')).toBeUndefined();
    expect(findRegionCode('')).toBeUndefined();
  });

  it('returns the same frozen entry every time, built once', () => {
    const entry = findRegionCode('371002');
    expect(findRegionCode('371002')).toBe(entry);
    expect(Object.isFrozen(entry)).toBe(true);
  });
});

describe('childRegionCodes', () => {
  it('lists the entries under 威海市 by code, non-standard ones included', () => {
    expect(childRegionCodes('371000').map((entry) => entry.code)).toEqual([
      '371001',
      '371002',
      '371003',
      '371071',
      '371072',
      '371073',
      '371082',
      '371083',
    ]);
  });

  it('returns an empty list for a leaf or an unknown code', () => {
    expect(childRegionCodes('371002')).toEqual([]);
    expect(childRegionCodes('999999')).toEqual([]);
  });

  it('returns a copy, so callers cannot change the shared index', () => {
    childRegionCodes('371000').pop();
    expect(childRegionCodes('371000')).toHaveLength(8);
  });
});

describe('isKnownProvinceCode', () => {
  it('knows the 34 province-level prefixes, Taiwan, Hong Kong and Macao included', () => {
    expect(isKnownProvinceCode('37')).toBe(true);
    expect(['71', '81', '82'].every(isKnownProvinceCode)).toBe(true);
    const known = Array.from({ length: 90 }, (_, i) => String(i + 10)).filter(isKnownProvinceCode);
    expect(known).toHaveLength(34);
  });

  it('does not know 99, the national 10 or a malformed prefix', () => {
    expect(isKnownProvinceCode('99')).toBe(false);
    expect(isKnownProvinceCode('10')).toBe(false);
    expect(isKnownProvinceCode('3')).toBe(false);
  });
});

describe('the table as a whole', () => {
  const entries = allEntries();

  it('reaches every entry from the provinces', () => {
    expect(entries.length).toBeGreaterThan(3600);
    expect(new Set(entries.map((entry) => entry.code)).size).toBe(entries.length);
  });

  it('has six-digit codes that share their parent’s province and, under a city, its prefix', () => {
    for (const entry of entries) {
      expect(entry.code).toMatch(/^\d{6}$/);
      if (entry.parentCode === null) continue;
      const parent = findRegionCode(entry.parentCode);
      expect(parent).toBeDefined();
      const shared = parent?.level === 'city' ? 4 : 2;
      expect(entry.code.slice(0, shared)).toBe(entry.parentCode.slice(0, shared));
    }
  });

  it('marks every county ending in 70–79 under a city as non-standard', () => {
    const zones = entries.filter(
      (entry) =>
        entry.level === 'county' &&
        /7\d$/.test(entry.code) &&
        findRegionCode(entry.parentCode ?? '')?.level === 'city',
    );
    expect(zones.length).toBeGreaterThan(100);
    expect(zones.every((entry) => !entry.standard)).toBe(true);
  });
});
