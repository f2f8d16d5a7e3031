import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  canChangeStatus,
  effectiveStatus,
  fillFields,
  holderOf,
  licenceTypeToIssue,
  maskHolderName,
  validUntilOf,
  verificationProblems,
  type CaseDecidedPayload,
} from './model';
import { readLicenceTypes } from './seed';

const CATALOG_DIR = fileURLToPath(new URL('../../data/catalog/', import.meta.url));

/** Every `licenceType` the seed catalog names, as an item's result or a material's source. */
function catalogLicenceTypes(): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'licenceType' && typeof v === 'string') names.add(v);
        else walk(v);
      }
    }
  };
  for (const file of readdirSync(CATALOG_DIR).filter((f) => f.endsWith('.yaml'))) {
    walk(parse(readFileSync(`${CATALOG_DIR}${file}`, 'utf8')));
  }
  return names;
}

const payload = (over: Partial<CaseDecidedPayload> = {}): CaseDecidedPayload => ({
  caseId: '00000000-0000-4000-8000-000000000001',
  itemCode: 'x',
  departmentCode: 'xzsp',
  decision: 'approved',
  result: { kind: 'licence', licenceType: '营业执照' },
  results: { decision: 'approved', uscc: '91371002MA0000000X' },
  subjectId: '00000000-0000-4000-8000-000000000002',
  holder: { kind: 'enterprise', name: '申请企业', identifier: '91371000MA3C000000' },
  ...over,
});

describe('licence types', () => {
  it('has a type for every licence type the seed catalog names', () => {
    const types = new Set(readLicenceTypes().map((t) => t.name.zh));
    const missing = [...catalogLicenceTypes()].filter((name) => !types.has(name));
    expect(missing).toEqual([]);
    for (const name of [
      '营业执照',
      '食品经营许可证',
      '不动产权证书',
      '出生医学证明',
      '社会保障卡',
    ]) {
      expect(types.has(name), name).toBe(true);
    }
  });
});

describe('licence rules', () => {
  it('ends validity the day before the anniversary, and not at all without years', () => {
    expect(validUntilOf('2026-03-01', 5)).toBe('2031-02-28');
    expect(validUntilOf('2024-02-29', 1)).toBe('2025-02-28');
    expect(validUntilOf('2026-11-23', 10)).toBe('2036-11-22');
    expect(validUntilOf('2026-11-23', null)).toBeNull();
  });

  it('shows a valid licence past its end as expired, and keeps other statuses', () => {
    expect(effectiveStatus('valid', '2026-11-22', '2026-11-23')).toBe('expired');
    expect(effectiveStatus('valid', '2026-11-23', '2026-11-23')).toBe('valid');
    expect(effectiveStatus('valid', null, '2099-01-01')).toBe('valid');
    expect(effectiveStatus('revoked', '2026-11-22', '2026-11-23')).toBe('revoked');
  });

  it('issues only for approved or deemed-approved cases whose result is a licence', () => {
    expect(licenceTypeToIssue(payload())).toBe('营业执照');
    expect(licenceTypeToIssue(payload({ decision: 'deemed_approved' }))).toBe('营业执照');
    expect(licenceTypeToIssue(payload({ decision: 'denied' }))).toBeNull();
    expect(licenceTypeToIssue(payload({ result: { kind: 'filing' } }))).toBeNull();
    expect(licenceTypeToIssue(payload({ result: { kind: 'licence' } }))).toBeNull();
  });

  it('gives a business licence to the new enterprise, other licences to the applicant', () => {
    const data = { 'enterprise-name': '威海市环翠区海澜精密机械厂' };
    expect(holderOf(payload(), 'enterprise', data)).toEqual({
      kind: 'enterprise',
      identifier: '91371002MA0000000X',
      name: '威海市环翠区海澜精密机械厂',
      subjectId: null,
    });
    const person = payload({
      results: { decision: 'approved' },
      holder: { kind: 'person', name: '张伟', identifier: '371002198603141234' },
    });
    expect(holderOf(person, 'person', {})).toMatchObject({
      kind: 'person',
      identifier: '371002198603141234',
      subjectId: person.subjectId,
    });
  });

  it('fills fields by key, the first source that has a value winning', () => {
    const fields = [
      { key: 'uscc', label: { zh: '代码', en: 'code' }, type: 'identifier' as const },
      { key: 'enterprise-name', label: { zh: '名称', en: 'name' }, type: 'text' as const },
      { key: 'registered-capital', label: { zh: '资本', en: 'capital' }, type: 'money' as const },
      { key: 'domicile', label: { zh: '住所', en: 'domicile' }, type: 'text' as const },
    ];
    expect(
      fillFields(fields, [
        { uscc: 'A' },
        { uscc: 'B', 'enterprise-name': ' 甲 ', 'registered-capital': 10, domicile: { x: 1 } },
      ]),
    ).toEqual({ uscc: 'A', 'enterprise-name': '甲', 'registered-capital': 10 });
  });

  it('masks holder names for the public', () => {
    expect(maskHolderName('person', '张伟')).toBe('张*');
    expect(maskHolderName('person', '欧阳娜娜')).toBe('欧***');
    expect(maskHolderName('enterprise', '威海市环翠区海澜精密机械厂')).toBe('威海市****机械厂');
  });

  it('allows suspend from valid, revoke from valid or suspended, reinstate from suspended', () => {
    expect(canChangeStatus('suspend', 'valid')).toBe(true);
    expect(canChangeStatus('suspend', 'revoked')).toBe(false);
    expect(canChangeStatus('revoke', 'suspended')).toBe(true);
    expect(canChangeStatus('revoke', 'revoked')).toBe(false);
    expect(canChangeStatus('reinstate', 'suspended')).toBe(true);
    expect(canChangeStatus('reinstate', 'valid')).toBe(false);
  });

  it('names a broken signature before the status', () => {
    expect(verificationProblems(true, 'valid')).toEqual([]);
    expect(verificationProblems(false, 'revoked')).toEqual(['tampered', 'revoked']);
  });
});
