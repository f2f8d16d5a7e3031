import { describe, expect, it } from 'vitest';
import type { Actor } from './auth/model';
import {
  applyDisclosure,
  maskAddress,
  maskMobileNumber,
  maskSubjectIdentifier,
  maskingFor,
} from './privacy';

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
