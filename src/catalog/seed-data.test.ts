import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkItem, limitInHours } from './model';
import type { ItemContent } from './schema';

// The seed service catalog in data/catalog/*.yaml: every item passes the catalog's own rules, points
// at departments that exist and at items that exist, and covers what the seeds' bundles need.

const CATALOG_DIR = fileURLToPath(new URL('../../data/catalog/', import.meta.url));
const DIRECTORY_FILE = fileURLToPath(
  new URL('../../data/platform/directory.yaml', import.meta.url),
);

interface Loaded {
  file: string;
  item: ItemContent;
}

function loadCatalog(): Loaded[] {
  const files = readdirSync(CATALOG_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.flatMap((file) => {
    const doc = parse(readFileSync(`${CATALOG_DIR}${file}`, 'utf8')) as unknown;
    // Other catalog data shares the folder (synonyms.yaml is a top-level list): not items.
    if (Array.isArray(doc)) return [];
    const list = (doc as { items?: unknown } | null)?.items;
    if (!Array.isArray(list)) throw new Error(`${file}: expected a top-level items list`);
    return (list as ItemContent[]).map((item) => ({ file, item }));
  });
}

const loaded = loadCatalog();
const items = loaded.map((l) => l.item);
const codes = new Set(items.map((i) => i.code));
const departments = new Set(
  (
    parse(readFileSync(DIRECTORY_FILE, 'utf8')) as { departments: { code: string }[] }
  ).departments.map((d) => d.code),
);

/** The items each bundle of the seeds needs, by theme (exact Chinese names). */
const EXPECTED: Record<string, string[]> = {
  企业开办: [
    '企业名称自主申报',
    '企业设立登记',
    '公章刻制备案',
    '新办纳税人涉税事项套餐（信息确认、票种核定、发票领用）',
    '企业银行账户开户预约',
    '单位社会保险参保登记',
    '单位医疗保险参保登记',
    '住房公积金单位缴存登记',
  ],
  员工录用: [
    '单位招用人员就业登记',
    '职工社会保险参保登记（社保增员）',
    '职工基本医疗保险参保登记（医保增员）',
    '住房公积金个人账户设立（公积金增员）',
  ],
  员工离职: [
    '职工社会保险停保（社保减员）',
    '职工基本医疗保险停保（医保减员）',
    '住房公积金个人账户封存',
    '失业保险金申领',
  ],
  歇业: [
    '市场主体歇业备案',
    '停业登记',
    '歇业期间单位社会保险参保状态变更',
    '歇业期间单位医疗保险参保状态变更',
    '住房公积金缓缴',
  ],
  不动产登记: ['国有建设用地使用权及房屋所有权转移登记', '抵押权首次登记', '抵押权注销登记'],
  出生: [
    '出生医学证明签发',
    '出生登记',
    '城乡居民基本医疗保险参保登记',
    '社会保障卡申领',
    '生育津贴支付',
  ],
  退休: [
    '职工正常退休（职）申请',
    '企业职工基本养老保险待遇申领',
    '职工医保退休人员待遇核定',
    '住房公积金提取（离休、退休）',
  ],
  身后事: [
    '居民死亡医学证明（推断）书签发',
    '死亡人员户口注销',
    '企业职工死亡丧葬补助金、抚恤金申领',
    '养老保险参保人员死亡停保',
    '基本殡葬服务费用减免',
  ],
  开餐馆: [
    '食品经营许可',
    '公众聚集场所投入使用、营业前消防安全检查',
    '户外招牌设置审批',
    '城镇污水排入排水管网许可',
  ],
  水电气暖信: ['供水报装', '用电报装', '燃气报装', '供热报装', '通信宽带报装'],
  '5G基站': [
    '建设工程规划许可证核发',
    '占用、挖掘城市道路审批',
    '依附于城市道路建设各种管线、杆线等设施审批',
    '临时用地审批',
    '临时占用城市绿化用地审批',
    '用电报装',
  ],
};

describe('seed service catalog (data/catalog)', () => {
  it('holds at least 40 items in several theme files', () => {
    expect(items.length).toBeGreaterThanOrEqual(40);
    expect(new Set(loaded.map((l) => l.file)).size).toBeGreaterThanOrEqual(5);
  });

  it('uses every implementation code once', () => {
    const all = items.map((i) => i.code);
    expect(all.filter((code, index) => all.indexOf(code) !== index)).toEqual([]);
  });

  it('passes checkItem for every item', () => {
    const problems = loaded.flatMap(({ file, item }) =>
      checkItem(item, item?.code ?? '?').map(
        (p) => `${file}: ${p.path} [${p.rule}] ${p.message.en}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('names only departments of data/platform/directory.yaml', () => {
    const unknown = loaded
      .filter(({ item }) => !departments.has(item.department))
      .map(({ file, item }) => `${file}: ${item.code} → ${item.department}`);
    expect(unknown).toEqual([]);
  });

  it('takes item-result materials only from items of the catalog, never from itself', () => {
    const dangling = items.flatMap((item) =>
      item.materials.flatMap((m) =>
        m.sources
          .filter((s) => s.kind === 'item-result')
          .filter((s) => !codes.has(s.itemCode) || s.itemCode === item.code)
          .map((s) => `${item.code}.${m.key} → ${s.itemCode}`),
      ),
    );
    expect(dangling).toEqual([]);
  });

  it.each(Object.entries(EXPECTED))('covers the %s bundle', (theme, names) => {
    const inTheme = new Set(items.filter((i) => i.themes.includes(theme)).map((i) => i.name.zh));
    expect(names.filter((name) => !inTheme.has(name))).toEqual([]);
  });

  it('keeps the enterprise-opening chain within one hour, free of charge, with no visit but the bank', () => {
    const chain = EXPECTED['企业开办']!.map((name) => items.find((i) => i.name.zh === name)!);
    // Registration waits for the name; every other step runs in parallel once the licence exists.
    const [nameItem, registration, ...parallel] = chain as [
      ItemContent,
      ItemContent,
      ...ItemContent[],
    ];
    const longestParallel = Math.max(...parallel.map((i) => limitInHours(i.committedLimit)));
    expect(
      limitInHours(nameItem.committedLimit) +
        limitInHours(registration.committedLimit) +
        longestParallel,
    ).toBeLessThanOrEqual(1);
    expect(chain.filter((i) => i.fee.charged).map((i) => i.name.zh)).toEqual([]);
    expect(chain.filter((i) => i.visits > 0).map((i) => i.name.zh)).toEqual([
      '企业银行账户开户预约',
    ]);
  });

  it('gives every item keywords, themes and a Chinese and English name', () => {
    const thin = items
      .filter((i) => i.keywords.length === 0 || i.themes.length === 0 || !i.name.en.trim())
      .map((i) => i.code);
    expect(thin).toEqual([]);
  });
});
