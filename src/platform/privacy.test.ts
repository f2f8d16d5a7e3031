import { describe, expect, it } from 'vitest';
import type { Actor } from './auth/model';
import {
  applyDisclosure,
  maskAddress,
  maskCreditCode,
  maskMobileNumber,
  maskPersonalValues,
  maskSubjectIdentifier,
  maskingFor,
  maskingForOverseers,
} from './privacy';
import { sampleRic } from '../cases/samples';

const actor = (role: Actor['role'], subjectId: string | null = null): Actor => ({
  userId: 'u',
  username: role,
  role,
  regionCode: '371002',
  departmentId: null,
  subjectId,
});

describe('who sees personal data in full', () => {
  const record = { subjectId: 's1', handledBy: ['clerk', 'reviewer'] as const, onRecord: true };

  it('shows the subject their own data', () => {
    expect(maskingFor(actor('citizen', 's1'), record)).toBe('full');
    expect(maskingFor(actor('citizen', 's2'), record)).toBe('masked');
  });

  it('shows the person acting for an enterprise the data of that person', () => {
    const acting = { ...actor('enterprise', 'e1'), actingFor: { personSubjectId: 's1' } };
    expect(maskingFor(acting, record)).toBe('full');
  });

  it('shows a handling role on the record in full, and off the record masked', () => {
    expect(maskingFor(actor('clerk'), record)).toBe('full');
    expect(maskingFor(actor('reviewer'), record)).toBe('full');
    expect(maskingFor(actor('clerk'), { ...record, onRecord: false })).toBe('masked');
  });

  it('masks for supervisors, administrators, inspectors and the public', () => {
    for (const role of ['supervisor', 'admin', 'inspector', 'operator'] as const) {
      expect(maskingFor(actor(role), record)).toBe('masked');
    }
    expect(maskingFor(null, record)).toBe('masked');
  });
});

describe('masking', () => {
  it('masks resident IDs and mobiles, and leaves a USCC as it is', () => {
    expect(maskSubjectIdentifier('person', '371002199001011234')).toBe('371002********1234');
    expect(maskSubjectIdentifier('enterprise', '91371000MA3C000001')).toBe('91371000MA3C000001');
    expect(maskMobileNumber('13812345678')).toBe('138****5678');
    expect(maskMobileNumber('0631-5201234')).toBe('********1234');
  });

  it.each([
    ['山东省威海市环翠区新威路17号3单元201', '山东省威海市环翠区新威路***'],
    ['环翠区文化西路１８号', '环翠区文化西路***'],
    ['威海市环翠区鲸园街道', '威海市环翠区鲸园街道'],
    ['荣成市石岛镇东山村5组', '荣成市石岛镇东山村***'],
    ['幸福小区', '***'],
    ['', ''],
  ])('reduces the address %s to %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it('masks the identifier, mobile and address of a record and keeps the name', () => {
    const applicant = {
      kind: 'person' as const,
      name: '张伟',
      identifier: '371002199001011234',
      mobile: '13812345678',
      address: '威海市环翠区新威路17号',
    };
    expect(applyDisclosure(applicant, 'masked')).toEqual({
      kind: 'person',
      name: '张伟',
      identifier: '371002********1234',
      mobile: '138****5678',
      address: '威海市环翠区新威路***',
    });
    expect(applyDisclosure(applicant, 'full')).toBe(applicant);
  });
});

describe('records whose every other reader works them (a hotline ticket)', () => {
  it('masks for supervisors, administrators, inspectors and the public', () => {
    for (const role of ['supervisor', 'admin', 'inspector'] as const) {
      expect(maskingForOverseers(actor(role))).toBe('masked');
    }
    expect(maskingForOverseers(null)).toBe('masked');
  });

  it('shows operators, handling units and the requester in full', () => {
    for (const role of ['operator', 'handler', 'citizen', 'enterprise', 'clerk'] as const) {
      expect(maskingForOverseers(actor(role))).toBe('full');
    }
  });
});

describe('masking free-form data', () => {
  const ric = sampleRic('371002', '19860314', '101');

  it('masks credit codes for dossier lookups down to their first 6 and last 4 characters', () => {
    expect(maskCreditCode('91371000MA3C000001')).toBe('913710********0001');
    expect(maskCreditCode('1234567890')).toBe('**********');
  });

  it('masks resident IDs and mobiles wherever they stand, and addresses under address keys', () => {
    const data = {
      'legal-rep-name': '张伟',
      'legal-rep-ric': ric,
      'legal-rep-mobile': '13906310001',
      'domicile-region': '371002',
      domicile: '威海市环翠区文化西路5号',
      'household-address': '山东省威海市环翠区文化中路88号3单元502室',
      shareholders: [{ 'shareholder-ric': ric, subscribed: 10 }],
      uscc: '91371000MA3C000001',
      when: '2030-12-31',
    };
    expect(maskPersonalValues(data)).toEqual({
      'legal-rep-name': '张伟',
      'legal-rep-ric': `371002********${ric.slice(-4)}`,
      'legal-rep-mobile': '139****0001',
      'domicile-region': '371002',
      domicile: '威海市环翠区文化西路***',
      'household-address': '山东省威海市环翠区文化中路***',
      shareholders: [{ 'shareholder-ric': `371002********${ric.slice(-4)}`, subscribed: 10 }],
      uscc: '91371000MA3C000001',
      when: '2030-12-31',
    });
    expect(JSON.stringify(maskPersonalValues(data))).not.toContain(ric);
  });

  it('leaves numbers that fail the check digit, nulls and numbers alone', () => {
    const notRic = `${ric.slice(0, 17)}${ric.endsWith('0') ? '1' : '0'}`;
    expect(maskPersonalValues({ a: notRic, b: null, c: 96.4, d: '12345678901' })).toEqual({
      a: notRic,
      b: null,
      c: 96.4,
      d: '12345678901',
    });
  });

  it('reduces a lone value by the key it stands under', () => {
    expect(maskPersonalValues('威海市环翠区新威路17号', 'property-location')).toBe(
      '威海市环翠区新威路***',
    );
    expect(maskPersonalValues('威海市环翠区新威路17号', 'owner-name')).toBe(
      '威海市环翠区新威路17号',
    );
  });
});
