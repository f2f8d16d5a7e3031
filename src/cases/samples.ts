import { ricCheckChar, usccCheckChar } from '../platform/ids';

// Sample applications for tests and the benchmark: complete, valid answers and form data for the
// seed bundle 企业开办 (enterprise-opening). All people and enterprises are fictional; identifiers
// are generated to pass the validators.

/** A resident ID with a valid check character (region, birth date, sequence). */
export function sampleRic(region = '371002', born = '19860314', sequence = '123'): string {
  const first17 = `${region}${born}${sequence}`;
  return first17 + ricCheckChar(first17);
}

/** A unified social credit code with a valid check character. */
export function sampleUscc(body = '91371000MA3C0000'): string {
  const first17 = body.padEnd(17, '0').slice(0, 17);
  return first17 + usccCheckChar(first17);
}

/** Answers to every question of enterprise-opening: a domestic sole proprietorship, nothing else now. */
export const OPENING_ANSWERS = {
  'enterprise-type': ['sole-proprietorship'],
  'related-trade-name': ['no'],
  food: ['no'],
  also: ['later'],
  agent: ['no'],
  'vat-status': ['small-scale'],
  invoices: ['no'],
} as const;

/** The same answers for a company (articles of association to upload). */
export const COMPANY_ANSWERS = { ...OPENING_ANSWERS, 'enterprise-type': ['company'] } as const;

/** Form data that completes enterprise-opening for the answers above; `n` varies the names. */
export function openingData(n = 1, kind: 'sole-proprietorship' | 'llc' = 'sole-proprietorship') {
  const ric = sampleRic('371002', '19860314', String(100 + (n % 800)).padStart(3, '0'));
  return {
    'enterprise-name': `威海市环翠区海澜${n}号精密机械${kind === 'llc' ? '有限公司' : '厂'}`,
    'enterprise-kind': kind,
    'region-part': '371000',
    'trade-name': `海澜${n}`,
    industry: '精密机械',
    'registered-capital': 10,
    'domicile-region': '371002',
    domicile: `威海市环翠区文化西路${n}号`,
    'business-scope': '机械零部件加工；通用设备制造（不含特种设备制造）',
    'legal-rep-name': '张伟',
    'legal-rep-ric': ric,
    'legal-rep-mobile': '13906310001',
    shareholders: [
      {
        'shareholder-name': '张伟',
        'shareholder-ric': ric,
        subscribed: 10,
        'contribution-date': '2030-12-31',
      },
    ],
    'finance-officer': '王芳',
    'finance-officer-mobile': '13906310002',
    'tax-handler-ric': ric,
    'accounting-method': 'independent',
  };
}

/** Pledges that replace what may be pledged in enterprise-opening (住所申报承诺). */
export const OPENING_PLEDGES = ['residence-proof'];

/** Form data for the optional members of enterprise-opening: the bank appointment and staff registrations. */
export const OPENING_OPTIONAL_DATA = {
  bank: 'icbc',
  branch: '环翠支行',
  'appointment-date': '2030-01-07',
  'contact-mobile': '13906310003',
  insurances: 'all-three',
  'contact-person': '王芳',
  rate: 12,
} as const;
