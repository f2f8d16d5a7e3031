import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSeedDocument, type Measure, type SeedDocument } from './measures';

const seedsDir = new URL('../../../shared/seeds/', import.meta.url);
const dataFile = new URL('../../data/insight/measures.json', import.meta.url);

const A = '000_9a15eb66487ec55f';
const B = '001_54f63a5b67bc091c';
const C = '002_6df087b0062fce39';
const D = '003_2ff81f0e7c0069ce';
const E = '004_0e8f1c97d440cdc7';

const read = (key: string) => readFileSync(new URL(`${key}.txt`, seedsDir), 'utf8');
const docs = new Map<string, SeedDocument>(
  [A, B, C, D, E].map((key) => [key, parseSeedDocument(key, read(key))]),
);
const doc = (key: string) => docs.get(key)!;
const measure = (key: string, path: string): Measure => {
  const found = doc(key).measures.find((m) => m.id === `${key}#${path}`);
  if (!found) throw new Error(`no measure ${key}#${path}`);
  return found;
};
const dates = (m: Measure) => m.deadlines.map((d) => [d.phrase, d.date]);

/**
 * Measures that name no unit anywhere, checked by reading the seeds:
 * B's 37 measures carry no unit parenthesis at all (only 36 names a lead in its text);
 * C 二（六） and D 二（四） are tasks in the plans' body, whose units the attachments do not repeat.
 */
const withoutUnit = new Set([
  ...[
    '一.（一）.1',
    '一.（一）.2',
    '一.（一）.3',
    '一.（二）.4',
    '一.（二）.5',
    '一.（二）.6',
    '一.（三）.7',
    '一.（三）.8',
    '一.（三）.9',
    '二.（一）.10',
    '二.（一）.11',
    '二.（一）.12',
    '二.（一）.13',
    '二.（一）.14',
    '二.（一）.15',
    '二.（一）.16',
    '二.（二）.17',
    '二.（二）.18',
    '二.（二）.19',
    '二.（二）.20',
    '二.（二）.21',
    '二.（三）.22',
    '二.（三）.23',
    '二.（三）.24',
    '二.（三）.25',
    '三.（一）.26',
    '三.（一）.27',
    '三.（一）.28',
    '三.（二）.29',
    '三.（二）.30',
    '三.（二）.31',
    '三.（二）.32',
    '三.（二）.33',
    '三.（三）.34',
    '三.（三）.35',
    '四.37',
  ].map((p) => `${B}#${p}`),
  `${C}#二.（六）`,
  `${D}#二.（四）`,
]);

describe('the seed documents as a whole', () => {
  it('yield the number of measures counted by hand in each seed', () => {
    const counts = Object.fromEntries(
      [...docs].map(([k, d]) => [d.letter ?? k, d.measures.length]),
    );
    // A: 143 numbered or labelled measures with units; B: 1–37; C: 144 in 18 attachment areas + 二（六）;
    // D: 183 in 18 attachment areas + 二（四）; E: 158 measures in 18 areas (as DOMAIN.md says).
    expect(counts).toEqual({ A: 143, B: 37, C: 145, D: 184, E: 158 });
  });

  it('give every measure a unique id', () => {
    const ids = [...docs.values()].flatMap((d) => d.measures.map((m) => m.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('give every measure a lead unit unless it is listed as having none', () => {
    const all = [...docs.values()].flatMap((d) => d.measures);
    const missing = all.filter((m) => m.leadUnits.length === 0).map((m) => m.id);
    expect(new Set(missing)).toEqual(withoutUnit);
    for (const m of all.filter((m) => withoutUnit.has(m.id))) expect(m.unitsFrom).toBeNull();
  });

  it('leave no line break, stray space, page number or ASCII punctuation in any text', () => {
    for (const m of [...docs.values()].flatMap((d) => d.measures)) {
      expect(m.text, m.id).not.toMatch(/\s/);
      expect(m.text, m.id).not.toMatch(/[—–-]\d+[—–-]/);
      expect(m.text, m.id).not.toMatch(/[,;:()０-９]/);
      expect(m.text.split('（').length, m.id).toBe(m.text.split('）').length);
      expect(m.title.length, m.id).toBeGreaterThan(0);
      expect(m.text.startsWith(m.title), m.id).toBe(true);
    }
  });

  it('never merge a measure with the next: its unit parenthesis ends the text', () => {
    for (const m of [...docs.values()].flatMap((d) => d.measures)) {
      // D 金融3 closes its second part with "（责任部门：市发改委）。"
      if (m.unitsFrom === 'own') expect(m.text, m.id).toMatch(/）。?$/);
    }
  });

  it('merges the units of a measure in two parts, each with its own parenthesis', () => {
    const m = measure(D, '优化金融服务.5');
    expect(m.leadUnits).toEqual(['市地方金融监管局']);
    expect(m.leadInferred).toBe(true);
    expect(m.responsibleUnits).toContain('人民银行潍坊市中心支行');
    expect(dates(m)).toEqual([['2021年9月底前', '2021-09-30']]);
  });

  it('parses deterministically, and the committed data file is up to date', () => {
    expect(parseSeedDocument(E, read(E))).toEqual(doc(E));
    const committed = JSON.parse(readFileSync(dataFile, 'utf8')) as { documents: SeedDocument[] };
    const files = readdirSync(seedsDir).filter((f) => f.endsWith('.txt'));
    expect(committed.documents.map((d) => d.key)).toEqual(files.map((f) => f.replace('.txt', '')));
    expect(committed.documents).toEqual([...docs.values()]);
  });
});

describe('seed A (Weihai ETDZ 2022, PDF extract)', () => {
  it('reads the title and takes the year from it', () => {
    expect(doc(A).title).toBe('2022年度威海经济技术开发区营商环境改革创新实施方案');
    expect(doc(A).documentNumber).toBeNull();
    expect(doc(A).goals.deadlines.map((d) => d.date)).toEqual(['2022-12-31']);
  });

  it('parses the first measure with its lead and responsible units', () => {
    const m = measure(A, '二.（一）.1.（1）');
    expect(m.title).toBe('提升设立登记便利度');
    expect(m.leadUnits).toEqual(['行政审批局']);
    expect(m.responsibleUnits).toEqual(['市场监管局', '科技创新局', '税务局', '公安分局']);
    expect(m.targets.join()).toContain('1个环节、0成本、1小时办结');
  });

  it('turns back the page printed in reverse (政务服务 (8)–(12))', () => {
    const eight = measure(A, '二.（一）.14.（8）');
    expect(eight.title).toBe('配合打造“爱山东”统一政务服务品牌');
    expect(eight.leadUnits).toEqual(['行政审批局']);
    const twelve = measure(A, '二.（一）.14.（12）');
    expect(twelve.title).toMatch(/^加大瞪羚企业/);
    expect(twelve.text).toContain('免申即享');
    expect(twelve.leadUnits).toEqual(['经济发展局（应急局）']);
    expect(measure(A, '二.（一）.14.（10）').text).toContain('排名前50的个人事项');
  });

  it('keeps nested parentheses in unit names and takes the first 责任单位 as lead', () => {
    expect(measure(A, '二.（三）.1').leadUnits).toEqual(['社会治理服务中心（城市智慧管理中心）']);
    const label = measure(A, '二.（一）.17.基本公共服务满意度');
    expect(label.leadUnits).toEqual(['社会工作部']);
    expect(label.leadInferred).toBe(true);
    expect(measure(A, '二.（一）.3').title).toBe('获得用水、获得用气');
  });

  it('keeps the sub-indicators whose numbering restarts apart', () => {
    expect(measure(A, '二.（一）.17.人才流动便利度.（1）').leadUnits).toEqual(['科技创新局']);
    expect(measure(A, '二.（一）.17.创新创业活跃度.（1）').title).toBe('助推科技型企业成长发展');
  });
});

describe('seed B (Weihai 2025)', () => {
  it('reads number, date and the 2027 aim', () => {
    expect(doc(B).documentNumber).toBe('威政办发〔2025〕11号');
    expect(doc(B).date).toBe('2025-07-11');
    expect(doc(B).goals.deadlines.map((d) => [d.phrase, d.date])).toEqual([
      ['2027年底', '2027-12-31'],
    ]);
    expect(doc(B).goals.targets).toEqual(['再迭代升级100个威海特色“一件事”场景']);
  });

  it('rejoins a paragraph broken by a blank line', () => {
    const m = measure(B, '一.（一）.2');
    expect(m.title).toBe('优化医疗健康服务');
    expect(m.text).toContain('实施免陪照护服务。');
  });

  it('keeps the 好办易办率 target and reads a lead named in the text', () => {
    expect(measure(B, '三.（一）.28').targets).toEqual([
      '“高效办成一件事”重点事项好办易办率达到90%',
    ]);
    const m = measure(B, '四.36');
    expect(m.leadUnits).toEqual(['市持续深入优化营商环境和推进政府职能转变领导小组办公室']);
    expect(m.unitsFrom).toBe('inline');
    expect(measure(B, '三.（二）.32').text).toContain('健全热线办理流程和督办机制');
  });
});

describe('seed C (Dongying Port 2023)', () => {
  it('reads the attachment areas with their area lead', () => {
    expect(doc(C).documentNumber).toBe('东港开管发〔2023〕10号');
    const area = doc(C).sections.find((s) => s.path.join() === '登记财产');
    expect(area?.leadUnits).toEqual(['自然资源和规划分局']);
  });

  it('dates a deadline without a year from the document', () => {
    const m = measure(C, '优化政务服务.1');
    expect(m.title).toBe('全面落实委托实施的省级行政权力事项');
    expect(m.leadUnits).toEqual(['党政办公室']);
    expect(m.deadlines).toEqual([
      { kind: 'month', phrase: '6月底前', date: '2023-06-30', yearFrom: 'document' },
    ]);
  });

  it('keeps a unit parenthesis split over a page break, in ASCII parentheses', () => {
    const m = measure(C, '工程建设项目审批.9');
    expect(m.leadUnits).toEqual(['住房和城乡建设工作专班', '自然资源和规划分局']);
    expect(m.responsibleUnits).toEqual(['综合服务局']);
    expect(dates(m)).toEqual([['11月底前', '2023-11-30']]);
  });

  it('keeps milestones in order, "8月前" included, and drops "等有关部门"', () => {
    expect(dates(measure(C, '获得电力.1'))).toEqual([
      ['8月前', '2023-08-31'],
      ['9月底前', '2023-09-30'],
    ]);
    expect(measure(C, '企业准入退出.1').responsibleUnits).toEqual([
      '综合服务局',
      '综合行政执法中心',
    ]);
  });
});

describe('seed D (Weifang 2021)', () => {
  it('reads the date and no document number', () => {
    expect(doc(D).date).toBe('2021-05-10');
    expect(doc(D).documentNumber).toBeNull();
  });

  it('reads 牵头部门 / 责任部门 and a dated deadline', () => {
    const m = measure(D, '开办企业.1');
    expect(m.title).toBe('电子证照全面应用');
    expect(m.leadUnits).toEqual(['市审批服务局', '市市场监管局', '市公安局', '市大数据局']);
    expect(m.deadlines).toEqual([
      { kind: 'month', phrase: '2021年8月底前', date: '2021-08-31', yearFrom: 'phrase' },
    ]);
  });

  it('reads units named jointly "按职责分工负责"', () => {
    const m = measure(D, '招标投标.8');
    expect(m.leadUnits).toEqual(['市发改委']);
    expect(m.responsibleUnits).toEqual(['市发改委', '市住建局', '市交通局', '市水利局']);
    expect(dates(m)).toEqual([
      ['2021年6月底前', '2021-06-30'],
      ['2021年9月底前', '2021-09-30'],
    ]);
  });

  it('leaves the closing signature out of the last measure', () => {
    const m = measure(D, '优化外商投资服务.7');
    expect(m.text).toMatch(/（责任部门：市商务局）$/);
    expect(measure(D, '开办企业.8').targets).toContain('将“一业一证”由20个行业扩展到50个行业');
  });
});

describe('seed E (Shandong 2023, PDF extract)', () => {
  it('names the attachment and counts 18 areas', () => {
    expect(doc(E).title).toBe('山东省深化营商环境创新提升行动配套措施');
    expect(new Set(doc(E).measures.map((m) => m.path[0])).size).toBe(18);
  });

  it('reads bare full-width numbers and ASCII punctuation', () => {
    const m = measure(E, '优化政务服务.1');
    expect(m.title).toBe('持续深化“一次办好”改革');
    expect(m.leadUnits).toEqual(['省政府办公厅', '省大数据局']);
    expect(measure(E, '优化政务服务.2').title).toBe('全面提升12345热线服务质效');
  });

  it('joins a measure across a page number and takes the year from the seed hint', () => {
    const m = measure(E, '优化政务服务.15');
    expect(m.text).toContain('常用政务服务事项申请材料');
    expect(m.leadUnits).toEqual(['省大数据局']);
    expect(m.responsibleUnits).toEqual(['省政府办公厅', '省市场监管局']);
    expect(m.deadlines).toEqual([
      { kind: 'month', phrase: '11月底前', date: '2023-11-30', yearFrom: 'hint' },
    ]);
  });

  it('keeps several milestones and targets of one measure', () => {
    expect(dates(measure(E, '法治保障领域.6')).map(([p]) => p)).toEqual([
      '6月底前',
      '9月底前',
      '11月底前',
    ]);
    expect(measure(E, '法治保障领域.8').targets).toEqual(['确定示范单位200个、示范企业500家']);
  });
});

describe('the parser on small texts', () => {
  const parse = (text: string) => parseSeedDocument('x', text);

  it('does not take a wrapped line starting "１２月底前" for item 12', () => {
    const text = [
      '某某行动',
      '配套措施———试点',
      '１甲措施.加强管理,持续推进',
      '１２月底前,完成任务. (牵头单位:甲局)',
      '２乙措施.做好工作. (牵头单位:乙局)',
    ].join('\n');
    const d = parse(text);
    expect(d.measures.map((m) => m.path.join('.'))).toEqual(['试点.1', '试点.2']);
    expect(d.measures[0]!.deadlines).toEqual([
      { kind: 'month', phrase: '12月底前', date: null, yearFrom: null },
    ]);
  });

  it('marks a measure without a date as ongoing only when it says so', () => {
    const text =
      '一、任务\n1. 甲。长期坚持。（责任单位：甲局、乙局等部门）\n2. 乙。（牵头单位：丙局）';
    const [first, second] = parse(text).measures;
    expect(first!.deadlines).toEqual([
      { kind: 'ongoing', phrase: '长期坚持', date: null, yearFrom: null },
    ]);
    expect(first!.leadUnits).toEqual(['甲局']);
    expect(first!.responsibleUnits).toEqual(['甲局', '乙局']);
    expect(second!.deadlines).toEqual([]);
  });

  it('inherits units from the heading when the measure names none', () => {
    const text = '配套措施—甲领域\n（领域牵头单位：甲厅）\n1. 做甲事。年底前完成。';
    const m = parseSeedDocument('x', `2024年1月2日\n${text}`).measures[0]!;
    expect(m.unitsFrom).toBe('parent');
    expect(m.leadUnits).toEqual(['甲厅']);
    expect(m.deadlines[0]).toMatchObject({
      kind: 'year',
      date: '2024-12-31',
      yearFrom: 'document',
    });
  });
});
