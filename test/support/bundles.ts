import type { ItemContent } from '../../src/catalog';
import type { BundleContent } from '../../src/bundles';
import { fixtureItem } from './catalog';

/**
 * Three fixture items — a registration (1 working day), a follow-up (1 working day) and an optional
 * follow-up (1 working day, 2 through an agent) — and a bundle joining them that passes its checks.
 */
export function fixtureBundle(overrides: Partial<BundleContent> = {}): {
  bundle: BundleContent;
  items: Map<string, ItemContent>;
} {
  const registration = fixtureItem('TEST-0001');
  const followUp = fixtureItem('TEST-0002', {
    name: { zh: '测试备案', en: 'Test filing' },
    committedLimit: { value: 1, unit: 'workdays' },
  });
  const optional = fixtureItem('TEST-0003', { name: { zh: '测试补贴', en: 'Test subsidy' } });
  const items = new Map([registration, followUp, optional].map((i) => [i.code, i]));
  const bundle: BundleContent = {
    code: 'test-bundle',
    name: { zh: '测试一件事', en: 'Test bundle' },
    summary: { zh: '测试用的一件事。', en: 'A bundle for tests.' },
    cluster: 'civil',
    lifeEvent: { zh: '测试', en: 'Testing' },
    audience: ['person'],
    leadDepartment: 'xzsp',
    regionCode: '371000',
    sources: ['A§1(1)'],
    keywords: ['测试'],
    commitment: { steps: 1, costYuan: 0, limit: { value: 4, unit: 'workdays' }, visits: 0 },
    intake: 'window',
    members: [
      { key: 'register', item: 'TEST-0001', after: [], optional: false },
      { key: 'file', item: 'TEST-0002', after: ['register'], optional: false },
      {
        key: 'subsidy',
        item: 'TEST-0003',
        after: ['register'],
        optional: true,
        fields: { 'applicant-id': 'applicant-id' },
        materials: { 'id-card': 'id-card' },
      },
    ],
    situations: [
      {
        key: 'agent',
        question: { zh: '是否委托他人办理？', en: 'Does someone apply on your behalf?' },
        multiple: false,
        answers: [
          {
            key: 'self',
            label: { zh: '本人', en: 'In person' },
            addMembers: [],
            removeMembers: [],
            set: { 'register.agent': ['self'], 'file.agent': ['self'], 'subsidy.agent': ['self'] },
          },
          {
            key: 'agent',
            label: { zh: '委托', en: 'Through an agent' },
            addMembers: [],
            removeMembers: [],
            set: {
              'register.agent': ['agent'],
              'file.agent': ['agent'],
              'subsidy.agent': ['agent'],
            },
          },
        ],
      },
      {
        key: 'subsidy',
        question: { zh: '是否申领补贴？', en: 'Do you claim the subsidy?' },
        multiple: false,
        answers: [
          {
            key: 'no',
            label: { zh: '否', en: 'No' },
            addMembers: [],
            removeMembers: [],
            set: {},
          },
          {
            key: 'yes',
            label: { zh: '是', en: 'Yes' },
            addMembers: ['subsidy'],
            removeMembers: [],
            set: {},
          },
        ],
      },
    ],
    form: registration.form.map((f) => ({ ...f })),
    materials: [
      {
        key: 'id-card',
        name: { zh: '居民身份证', en: 'Resident identity card' },
        forms: ['original'],
        copies: 1,
        provision: 'identity',
        deficiencyAllowed: false,
        pledgeAllowed: false,
      },
      {
        key: 'power-of-attorney',
        name: { zh: '授权委托书', en: 'Power of attorney' },
        forms: ['original'],
        copies: 1,
        provision: 'upload',
        deficiencyAllowed: true,
        pledgeAllowed: false,
      },
    ],
    ...overrides,
  };
  return { bundle, items };
}
