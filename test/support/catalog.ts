import type { ItemContent } from '../../src/catalog';

/** A complete, valid service item for tests that need one of their own. */
export function fixtureItem(code = 'TEST-0001', overrides: Partial<ItemContent> = {}): ItemContent {
  return {
    code,
    basicCode: 'BASIC-0001',
    name: { zh: '测试事项证明开具', en: 'Test certificate issuance' },
    type: '20',
    audience: ['person'],
    themes: ['测试主题'],
    keywords: ['测试证明'],
    department: 'xzsp',
    level: 'city',
    regionCode: '371000',
    legalBasis: ['《测试条例》第一条'],
    conditions: '申请人为本市常住居民。',
    statutoryLimit: { value: 5, unit: 'workdays' },
    committedLimit: { value: 1, unit: 'workdays' },
    visits: 0,
    onlineDepth: 8,
    fee: { charged: false },
    result: { kind: 'certificate', name: '测试证明' },
    process: ['申请', '受理', '办结'],
    contacts: { consultation: '0631-12345', complaint: '0631-12345' },
    place: { address: '威海市政务服务中心', hours: '工作日 9:00-17:00' },
    materials: [
      {
        key: 'id-card',
        name: { zh: '居民身份证', en: 'Resident identity card' },
        requirement: 'required',
        forms: ['original'],
        copies: 1,
        sources: [{ kind: 'licence', licenceType: '居民身份证' }],
        deficiencyAllowed: false,
        pledgeAllowed: false,
      },
      {
        key: 'power-of-attorney',
        name: { zh: '授权委托书', en: 'Power of attorney' },
        requirement: 'conditional',
        forms: ['original'],
        copies: 1,
        sources: [],
        deficiencyAllowed: true,
        pledgeAllowed: false,
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
            label: { zh: '本人办理', en: 'In person' },
            addMaterials: [],
            removeMaterials: [],
            addFields: [],
          },
          {
            key: 'agent',
            label: { zh: '委托代理人', en: 'Through an agent' },
            addMaterials: ['power-of-attorney'],
            removeMaterials: [],
            addFields: ['agent-id'],
            committedLimit: { value: 2, unit: 'workdays' },
          },
        ],
      },
    ],
    form: [
      {
        key: 'applicant-id',
        label: { zh: '申请人身份证号码', en: 'Applicant resident ID' },
        type: 'identifier',
        identifierKind: 'ric',
        required: true,
      },
      {
        key: 'agent-id',
        label: { zh: '代理人身份证号码', en: 'Agent resident ID' },
        type: 'identifier',
        identifierKind: 'ric',
        required: true,
        conditional: true,
      },
    ],
    ...overrides,
  };
}
