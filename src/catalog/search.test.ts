import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureItem } from '../../test/support/catalog';
import { checkItem } from './model';
import type { ItemContent, Material } from './schema';
import {
  createCatalogIndex,
  DEFAULT_LIMIT,
  loadSynonyms,
  tokenize,
  type CatalogIndex,
  type SearchHit,
} from './search';
import { CATALOG_DIR, readSeedCatalog } from './seed';

// Chinese search over the catalog: what citizens type finds the item they mean, first against a
// small fixture that covers every phrasing, then against the real seed in data/catalog/*.yaml.

const synonyms = loadSynonyms();

function material(zh: string, index: number): Material {
  return {
    key: `m-${index}`,
    name: { zh, en: `Material ${index}` },
    requirement: 'required',
    forms: ['original'],
    copies: 1,
    sources: [],
    deficiencyAllowed: false,
    pledgeAllowed: false,
  };
}

interface Words {
  themes?: string[];
  keywords?: string[];
  materials?: string[];
  result?: string;
  department?: string;
  conditions?: string;
}

// Every field search reads is set here, so the shared fixture's defaults do not leak into ranking.
function item(code: string, zh: string, en: string, words: Words = {}): ItemContent {
  const base = fixtureItem(code);
  return fixtureItem(code, {
    basicCode: `B-${code}`,
    name: { zh, en },
    themes: words.themes ?? [],
    keywords: words.keywords ?? [],
    materials: (words.materials ?? []).map(material),
    result: { ...base.result, name: words.result ?? '办理结果' },
    department: words.department ?? 'xzsp',
    conditions: words.conditions ?? '申请材料齐全、符合法定形式。',
    legalBasis: ['《中华人民共和国行政许可法》'],
    process: ['申请', '受理', '审查', '办结'],
    situations: [],
    form: [],
  });
}

const FIXTURE: ItemContent[] = [
  item('FX-QY-001', '企业设立登记', 'Enterprise establishment registration', {
    themes: ['企业开办'],
    keywords: ['公司注册', '营业执照'],
    materials: ['公司登记（备案）申请书', '公司章程', '住所使用证明'],
    result: '营业执照',
    department: 'scjg',
    conditions: '依照《中华人民共和国公司法》设立有限责任公司或者股份有限公司。',
  }),
  item('FX-QY-002', '营业执照遗失补领', 'Replacement of a lost business licence', {
    themes: ['企业变更'],
    keywords: ['执照补办', '执照损坏换发'],
    materials: ['营业执照补领申请书', '遗失声明'],
    result: '营业执照',
    department: 'scjg',
  }),
  item('FX-QY-003', '企业变更登记', 'Enterprise change registration', {
    themes: ['企业变更'],
    keywords: ['公司变更', '法定代表人变更'],
    materials: ['公司变更登记申请书', '营业执照正副本'],
    result: '营业执照',
    department: 'scjg',
  }),
  item('FX-QY-004', '企业注销登记', 'Enterprise deregistration', {
    themes: ['企业注销'],
    keywords: ['公司注销', '简易注销'],
    materials: ['注销登记申请书', '清算报告'],
    department: 'scjg',
  }),
  item('FX-QY-005', '印章刻制', 'Seal engraving', {
    themes: ['企业开办'],
    keywords: ['公章', '财务专用章'],
    materials: ['营业执照', '法定代表人身份证明'],
    department: 'police',
  }),
  item('FX-QY-006', '新办纳税人首次发票申领', 'First invoices for a new taxpayer', {
    themes: ['企业开办'],
    keywords: ['税务登记', '涉税事项'],
    materials: ['营业执照'],
    department: 'tax',
  }),
  item('FX-QY-007', '单位参保登记', 'Employer social insurance registration', {
    themes: ['企业开办'],
    keywords: ['社会保险', '员工参保'],
    materials: ['营业执照'],
    department: 'rsj',
  }),
  item('FX-SP-001', '食品经营许可', 'Food business licence', {
    themes: ['开餐馆'],
    keywords: ['餐饮服务', '食品销售'],
    materials: ['食品经营许可申请书', '食品安全管理制度'],
    result: '食品经营许可证',
    department: 'scjg',
  }),
  item('FX-SP-002', '公共场所卫生许可', 'Public place hygiene licence', {
    keywords: ['理发店', '游泳场所'],
    materials: ['卫生许可证申请书'],
    department: 'wjw',
  }),
  item('FX-HJ-001', '出生医学证明首次签发', 'First issue of the medical birth certificate', {
    themes: ['出生一件事'],
    keywords: ['出生证'],
    materials: ['父母双方居民身份证', '住院分娩记录'],
    result: '出生医学证明',
    department: 'wjw',
  }),
  item('FX-HJ-002', '出生登记', 'Birth registration', {
    themes: ['出生一件事'],
    keywords: ['新生儿入户'],
    materials: ['出生医学证明', '父母居民户口簿'],
    result: '居民户口簿',
    department: 'police',
  }),
  item('FX-HJ-003', '死亡登记（户口注销）', 'Death registration', {
    themes: ['身后一件事'],
    keywords: ['户口注销'],
    materials: ['死亡医学证明', '居民户口簿'],
    department: 'police',
  }),
  item('FX-HJ-004', '居民身份证遗失补领', 'Replacement of a lost identity card', {
    keywords: ['身份证补办'],
    materials: ['居民户口簿'],
    result: '居民身份证',
    department: 'police',
  }),
  item('FX-RS-001', '职工正常退休申请', 'Retirement application for employees', {
    themes: ['退休一件事'],
    keywords: ['退休审批'],
    materials: ['居民身份证', '职工档案'],
    department: 'rsj',
  }),
  item('FX-RS-002', '失业保险金申领', 'Unemployment benefit claim', {
    themes: ['失业'],
    keywords: ['失业金'],
    materials: ['居民身份证', '解除劳动合同证明'],
    department: 'rsj',
  }),
  item('FX-BDC-001', '不动产转移登记', 'Real estate transfer registration', {
    themes: ['不动产登记'],
    keywords: ['二手房买卖', '房屋赠与'],
    materials: ['不动产权证书', '买卖合同'],
    result: '不动产权证书',
    department: 'zrzy',
  }),
  item('FX-BDC-002', '不动产首次登记', 'First registration of real estate', {
    themes: ['不动产登记'],
    keywords: ['新建商品房'],
    materials: ['竣工验收材料'],
    result: '不动产权证书',
    department: 'zrzy',
  }),
  item('FX-SD-001', '供水报装', 'Water supply connection', {
    themes: ['水电气暖信'],
    keywords: ['自来水', '水表'],
    materials: ['用水报装申请表'],
    department: 'water',
  }),
  item('FX-SD-002', '用电报装', 'Electricity connection', {
    themes: ['水电气暖信'],
    keywords: ['电表', '低压接电'],
    materials: ['用电申请表'],
    department: 'power',
  }),
  item('FX-SD-003', '通信报装', 'Telecom and broadband installation', {
    themes: ['水电气暖信'],
    keywords: ['固定电话', '光纤入户'],
    materials: ['通信业务申请表'],
    department: 'telecom',
  }),
];

const fixture = createCatalogIndex(FIXTURE, synonyms);
const codes = (hits: readonly SearchHit[]) => hits.map((hit) => hit.code);
const top3 = (index: CatalogIndex, query: string) => codes(index.search(query, { limit: 3 }));

// What a citizen types → the fixture item that must be among the first three.
const FIXTURE_PHRASES: [query: string, code: string][] = [
  ['开公司', 'FX-QY-001'],
  ['注册公司', 'FX-QY-001'],
  ['办执照', 'FX-QY-001'],
  ['营业执照丢了', 'FX-QY-002'],
  ['刻章', 'FX-QY-005'],
  ['生孩子', 'FX-HJ-001'],
  ['新生儿上户口', 'FX-HJ-002'],
  ['办退休', 'FX-RS-001'],
  ['开饭店', 'FX-SP-001'],
  ['开餐馆', 'FX-SP-001'],
  ['过户', 'FX-BDC-001'],
  ['装宽带', 'FX-SD-003'],
  ['通水电', 'FX-SD-001'],
  ['seal engraving', 'FX-QY-005'],
  ['business license', 'FX-QY-002'],
  ['enterprise establishment', 'FX-QY-001'],
];

describe('searching a small fixture catalog', () => {
  it('uses fixture items that pass the catalog rules', () => {
    expect(FIXTURE.flatMap((i) => checkItem(i, i.code))).toEqual([]);
  });

  it.each(FIXTURE_PHRASES)('ranks the intended item among the first three for "%s"', (q, code) => {
    expect(top3(fixture, q)).toContain(code);
  });

  it('puts enterprise registration first for "开公司", with 企业开办 items among the next four', () => {
    const [first, ...rest] = codes(fixture.search('开公司', { limit: 5 }));
    expect(first).toBe('FX-QY-001');
    const opening = FIXTURE.filter((i) => i.themes.includes('企业开办')).map((i) => i.code);
    expect(rest.filter((code) => opening.includes(code)).length).toBeGreaterThanOrEqual(1);
  });

  it('finds both birth items for "生孩子" and every utility item for "水电气暖信"', () => {
    expect(top3(fixture, '生孩子').slice(0, 2).sort()).toEqual(['FX-HJ-001', 'FX-HJ-002']);
    expect(codes(fixture.search('水电气暖信', { limit: 3 })).sort()).toEqual([
      'FX-SD-001',
      'FX-SD-002',
      'FX-SD-003',
    ]);
  });

  it('ranks the business licence above the identity card for "营业执照丢了", and the other way round', () => {
    expect(top3(fixture, '营业执照丢了')[0]).toBe('FX-QY-002');
    expect(top3(fixture, '身份证丢了')[0]).toBe('FX-HJ-004');
  });

  it('puts the item whose whole name is typed first', () => {
    for (const entry of FIXTURE) {
      expect(fixture.search(entry.name.zh)[0]?.code, entry.name.zh).toBe(entry.code);
      expect(fixture.search(entry.name.en)[0]?.code, entry.name.en).toBe(entry.code);
    }
    // A longer phrase that contains a whole name still finds that item first.
    expect(fixture.search('我要办理出生登记')[0]?.code).toBe('FX-HJ-002');
  });

  it('finds an item by its code typed in, ignoring case, spaces and full-width characters', () => {
    for (const query of [
      'FX-QY-005',
      'fx-qy-005',
      ' FX QY 005 ',
      'ＦＸ－ＱＹ－００５',
      'B-FX-QY-005',
    ]) {
      const hits = fixture.search(query);
      expect(hits[0]?.code, query).toBe('FX-QY-005');
      expect(hits[0]?.fields, query).toContain('code');
    }
  });

  it('reports the matched terms and fields, for highlighting', () => {
    const [hit] = fixture.search('营业执照丢了');
    expect(hit?.matched).toEqual(expect.arrayContaining(['遗失', '补领', '执照']));
    expect(hit?.fields).toContain('name.zh');
    expect(hit?.matched.every((term) => term.length > 0)).toBe(true);
  });

  it('returns [] when nothing matches, and for only punctuation or whitespace', () => {
    for (const query of [
      '量子纠缠',
      'xylophone',
      '',
      '   ',
      '\n\t',
      '！？。，、；',
      '...',
      '——',
      '《》',
    ]) {
      expect(fixture.search(query), JSON.stringify(query)).toEqual([]);
    }
  });

  it('answers a 1,000-character query without throwing', () => {
    const long = '我想开公司还要刻章和办执照'.repeat(80).slice(0, 1000);
    expect(long).toHaveLength(1000);
    expect(() => fixture.search(long)).not.toThrow();
    expect(fixture.search('x'.repeat(1000))).toEqual([]);
  });

  it('keeps the limit and the filter, the filter before the limit', () => {
    expect(fixture.search('登记', { limit: 2 })).toHaveLength(2);
    expect(fixture.search('登记', { limit: 0 })).toEqual([]);
    expect(fixture.search('登记').length).toBeLessThanOrEqual(DEFAULT_LIMIT);
    const police = fixture.search('登记', {
      limit: 1,
      filter: (i) => i.department === 'police',
    });
    expect(police.map((hit) => FIXTURE.find((i) => i.code === hit.code)?.department)).toEqual([
      'police',
    ]);
  });

  it('orders equal scores by code', () => {
    const twin = (code: string) =>
      item(code, '供热报装', 'Heating connection', { themes: ['供暖'] });
    const index = createCatalogIndex([twin('TWIN-0003'), twin('TWIN-0001'), twin('TWIN-0002')]);
    const hits = index.search('供热');
    expect(codes(hits)).toEqual(['TWIN-0001', 'TWIN-0002', 'TWIN-0003']);
    expect(new Set(hits.map((hit) => hit.score)).size).toBe(1);
  });

  it('scores a word the query contains above a word a synonym only implies', () => {
    const index = createCatalogIndex(
      [
        item('SYN-0001', '事项甲', 'Item one', { keywords: ['转移登记'] }),
        item('SYN-0002', '事项乙', 'Item two', { keywords: ['过户'] }),
      ],
      [{ say: ['过户'], means: ['转移登记'] }],
    );
    const hits = index.search('过户');
    expect(codes(hits)).toEqual(['SYN-0002', 'SYN-0001']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it("finds only the items' own words without synonyms", () => {
    const plain = createCatalogIndex(FIXTURE);
    expect(top3(plain, '过户')).toEqual([]);
    expect(top3(plain, '不动产转移')[0]).toBe('FX-BDC-001');
  });

  it('refuses two items with the same code', () => {
    expect(() => createCatalogIndex([FIXTURE[0]!, FIXTURE[0]!])).toThrow(/FX-QY-001/);
  });

  it('never throws on arbitrary strings, and returns sorted, distinct hits within the limit', () => {
    const chars = [...new Set(FIXTURE.flatMap((i) => [...i.name.zh, ...i.keywords.join('')]))];
    const query = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(...chars, ' ', '，', 'a', '1'), maxLength: 40 }),
    );
    fc.assert(
      fc.property(query, fc.integer({ min: 1, max: 30 }), (q, limit) => {
        const hits = fixture.search(q, { limit });
        expect(hits.length).toBeLessThanOrEqual(limit);
        expect(new Set(codes(hits)).size).toBe(hits.length);
        for (let i = 1; i < hits.length; i++) {
          const [a, b] = [hits[i - 1]!, hits[i]!];
          expect(a.score > b.score || (a.score === b.score && a.code < b.code)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('filters exactly as filtering the unfiltered ranking would', () => {
    const chars = [...new Set(FIXTURE.flatMap((i) => [...i.name.zh, ...i.keywords.join('')]))];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...chars), maxLength: 8 }), (q) => {
        const filter = (i: ItemContent) => i.department !== 'scjg';
        const all = fixture
          .search(q, { limit: FIXTURE.length })
          .filter((hit) => filter(FIXTURE.find((i) => i.code === hit.code)!));
        expect(fixture.search(q, { limit: 3, filter })).toEqual(all.slice(0, 3));
      }),
      { numRuns: 200 },
    );
  });
});

describe('tokenizing Chinese and Latin text', () => {
  it('gives dictionary words and character bigrams, skipping single characters inside a phrase', () => {
    const terms = tokenize('不动产转移登记');
    expect(terms).toEqual(expect.arrayContaining(['转移', '登记', '动产']));
    expect(terms).not.toContain('产');
    expect(tokenize('水、电')).toEqual(['水', '电']);
  });

  it('lowercases Latin words, keeps digits, and folds full-width characters', () => {
    expect(tokenize('Business Licence 2024')).toEqual(['business', 'licence', '2024']);
    expect(tokenize('ＡＢＣ１２３')).toEqual(['abc123']);
    expect(tokenize('ICP许可证')).toEqual(expect.arrayContaining(['icp', '许可']));
  });
});

describe('the synonym table', () => {
  it('loads data/catalog/synonyms.yaml: every entry says something and means something', () => {
    expect(synonyms.length).toBeGreaterThan(20);
    for (const rule of synonyms) {
      expect(rule.say.length).toBeGreaterThan(0);
      expect(rule.means.length).toBeGreaterThan(0);
    }
  });

  it('names the file and the entry when one is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synonyms-'));
    try {
      const file = join(dir, 'synonyms.yaml');
      writeFileSync(file, '- say: [开公司]\n  means: [企业开办]\n- say: [刻章]\n');
      expect(() => loadSynonyms(file)).toThrow(/synonyms\.yaml: entry 2 needs "say" and "means"/);
      writeFileSync(file, 'synonyms: {}\n');
      expect(() => loadSynonyms(file)).toThrow(/expected a list/);
      writeFileSync(file, '- say: [开公司\n');
      expect(() => loadSynonyms(file)).toThrow(/synonyms\.yaml: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The real seed. It must be there: a missing or empty seed fails here rather than passing quietly.
function readSeed(): ItemContent[] | Error {
  try {
    const items = readSeedCatalog();
    if (items.length === 0) {
      return new Error(`No seed items in ${CATALOG_DIR}*.yaml: this suite runs against the seed`);
    }
    return items;
  } catch (error) {
    return new Error(`Cannot read the seed catalog in ${CATALOG_DIR}: ${String(error)}`);
  }
}

interface SeedCase {
  query: string;
  what: string;
  wanted: (item: ItemContent) => boolean;
  // The seed need not hold such an item; the fixture suite covers the phrasing then.
  optional?: boolean;
}

const named = (pattern: RegExp) => (i: ItemContent) => pattern.test(i.name.zh);
const utility = (pattern: RegExp) => (i: ItemContent) =>
  i.themes.includes('水电气暖信') || pattern.test(i.name.zh);

const SEED_CASES: SeedCase[] = [
  ...['开公司', '注册公司', '办执照'].map((query) => ({
    query,
    what: 'an enterprise establishment registration (设立登记)',
    wanted: named(/设立登记/),
  })),
  {
    query: '营业执照丢了',
    what: 'a business licence replacement (补领/遗失)',
    wanted: named(/执照.*(补|遗失|换)/),
    optional: true,
  },
  {
    query: '刻章',
    what: 'a seal engraving item (印章/公章刻制)',
    wanted: named(/(印章|公章|刻章|刻制)/),
  },
  { query: '生孩子', what: 'a birth item (出生)', wanted: named(/出生/) },
  {
    query: '新生儿上户口',
    what: 'a birth registration (出生登记)',
    wanted: named(/出生登记|入户|落户/),
  },
  { query: '办退休', what: 'a retirement item (退休)', wanted: named(/退休/) },
  { query: '开饭店', what: 'a food business licence (食品经营许可)', wanted: named(/食品经营/) },
  { query: '开餐馆', what: 'a food business licence (食品经营许可)', wanted: named(/食品经营/) },
  {
    query: '过户',
    what: 'a real estate transfer registration (转移登记)',
    wanted: named(/转移登记/),
  },
  {
    query: '装宽带',
    what: 'a telecom or broadband item (水电气暖信)',
    wanted: utility(/宽带|通信/),
  },
  {
    query: '通水电',
    what: 'a water or power item (水电气暖信)',
    wanted: utility(/供水|用水|供电|用电/),
  },
  {
    query: 'establishment registration',
    what: 'an establishment registration',
    wanted: named(/设立/),
  },
];

describe('searching the seed catalog (data/catalog/*.yaml)', () => {
  const seed = readSeed();
  const items = seed instanceof Error ? [] : seed;
  const index = createCatalogIndex(items, synonyms);
  const byCode = new Map(items.map((i) => [i.code, i]));
  const seedOrFail = () => {
    if (seed instanceof Error) throw seed;
    return seed;
  };

  it('has seed items to search', () => {
    expect(seedOrFail().length).toBeGreaterThan(0);
  });

  for (const { query, what, wanted, optional } of SEED_CASES) {
    it(`ranks ${what} among the first three for "${query}"`, (context) => {
      const all = seedOrFail();
      if (!all.some(wanted)) {
        if (optional) context.skip(`no seed item is ${what}; the fixture suite covers "${query}"`);
        throw new Error(`No seed item is ${what}, which "${query}" should find`);
      }
      const hits = index.search(query, { limit: 3 });
      const names = hits.map((hit) => byCode.get(hit.code)?.name.zh);
      expect(
        hits.some((hit) => wanted(byCode.get(hit.code)!)),
        `top 3 for "${query}": ${names.join(' / ')}`,
      ).toBe(true);
    });
  }

  it('ranks items of the 企业开办 theme high for "开公司"', () => {
    const opening = new Set(
      seedOrFail()
        .filter((i) => i.themes.includes('企业开办'))
        .map((i) => i.code),
    );
    const top5 = codes(index.search('开公司', { limit: 5 }));
    expect(top5.filter((code) => opening.has(code)).length).toBeGreaterThanOrEqual(
      Math.min(3, opening.size),
    );
  });

  it('finds every seed item first by its code, and by its whole Chinese name', () => {
    for (const entry of seedOrFail()) {
      expect(index.search(entry.code)[0]?.code, entry.code).toBe(entry.code);
      const first = index.search(entry.name.zh)[0];
      expect(byCode.get(first?.code ?? '')?.name.zh, entry.name.zh).toBe(entry.name.zh);
    }
  });

  it('returns [] for what the seed does not hold, and for punctuation only', () => {
    seedOrFail();
    expect(index.search('量子纠缠')).toEqual([]);
    expect(index.search(' ，。！？ ')).toEqual([]);
  });
});
