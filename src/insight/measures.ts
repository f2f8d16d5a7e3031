/**
 * Parser of the seed policy documents (`shared/seeds/*.txt`) into reform measures (改革任务):
 * numbering path, title, full text, lead and responsible units, deadlines and indicator targets.
 * Pure: text in, data out; no Node APIs, so the importer and the browser can both use it.
 */

/** A deadline found in a measure's text (完成时限). */
export interface Deadline {
  /** `month` — X月底前; `year` — 年底前; `ongoing` — 长期坚持 / 持续推进, no date. */
  kind: 'month' | 'year' | 'ongoing';
  /** The phrase as written, e.g. `2021年9月底前`, `6月底前`. */
  phrase: string;
  /** Last day of that month or year, ISO `YYYY-MM-DD`; null for `ongoing` or when no year is known. */
  date: string | null;
  /** Where the year came from: the phrase itself, the document (date or title), or a seed hint. */
  yearFrom: 'phrase' | 'document' | 'hint' | null;
}

/** Where a measure's units were found. */
export type UnitsSource = 'own' | 'parent' | 'inline' | null;

/** One numbered reform measure (改革举措) of a seed document. */
export interface Measure {
  /** Stable id: document key + `#` + numbering path joined with `.`, e.g. `001_…#一.（一）.1`. */
  id: string;
  /** Seed file name stem. */
  documentKey: string;
  /** DOMAIN.md letter of the document (A–E), null when unassigned. */
  documentLetter: string | null;
  /** Numbering path from the top heading down to this measure, e.g. `['一', '（一）', '1']`. */
  path: string[];
  /** Titles of the enclosing headings, outermost first. */
  headings: string[];
  /** The measure's own heading: its first sentence (up to 。) or its heading line. */
  title: string;
  /** Full text, lines re-joined, stray spaces removed, unit parenthesis included. */
  text: string;
  /** 牵头单位 / 牵头部门; when only 责任单位 are named, the first of them. */
  leadUnits: string[];
  /** 责任单位 / 责任部门 / 配合单位. */
  responsibleUnits: string[];
  /** True when the lead was taken as the first responsible unit. */
  leadInferred: boolean;
  /** `own` — the measure's parenthesis; `parent` — a heading above; `inline` — "X牵头" in the text. */
  unitsFrom: UnitsSource;
  /** Deadlines in text order. */
  deadlines: Deadline[];
  /** Raw phrases with a numeric target (%, 个, 项, 家 …). */
  targets: string[];
}

/** A headed part of a document (一、 / （一） / 1. / 配套措施—X / unnumbered label). */
export interface Section {
  path: string[];
  title: string;
  leadUnits: string[];
  responsibleUnits: string[];
}

/** A parsed seed document. */
export interface SeedDocument {
  key: string;
  letter: string | null;
  title: string;
  /** 发文字号, e.g. 威政办发〔2025〕11号; null when the seed has none. */
  documentNumber: string | null;
  /** Date of issue, ISO; null when the seed has none. */
  date: string | null;
  /** Year used for deadlines written without one (from date, title, or seed hint). */
  year: number | null;
  /** Overall aims of the plan (its preamble and 目标 parts): e.g. 到2027年底 …, 满意度保持在98%以上. */
  goals: { deadlines: Deadline[]; targets: string[] };
  sections: Section[];
  measures: Measure[];
}

/** Facts about the seeds the texts do not carry themselves (DOMAIN.md). */
const SEED_HINTS: Record<string, { letter: string; year?: number }> = {
  '000_9a15eb66487ec55f': { letter: 'A' },
  '001_54f63a5b67bc091c': { letter: 'B' },
  '002_6df087b0062fce39': { letter: 'C' },
  '003_2ff81f0e7c0069ce': { letter: 'D' },
  // E is the 2023 Shandong supporting-measures attachment; its text names no year at all.
  '004_0e8f1c97d440cdc7': { letter: 'E', year: 2023 },
};

const CJK = '\\u3400-\\u9fff';
const CN_NUM = '一二三四五六七八九十';

type MarkerKind = 'area' | 'cn' | 'paren-cn' | 'arabic' | 'label' | 'paren-arabic' | 'bare';

/** Nesting rank: a marker closes every open node of equal or higher rank. */
const RANK: Record<MarkerKind, number> = {
  area: 0,
  cn: 1,
  'paren-cn': 2,
  arabic: 3,
  label: 4,
  'paren-arabic': 5,
  bare: 5,
};

interface Node {
  kind: MarkerKind | 'root';
  label: string;
  /** The heading line's text when the marker line is a heading only, else ''. */
  heading: string;
  lines: string[];
  children: Node[];
  parent: Node | null;
}

// ---------------------------------------------------------------- text clean-up

/** Full-width digits and signs to ASCII; the rest of the punctuation stays Chinese. */
function asciiDigits(s: string): string {
  return s
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))
    .replace(/％/g, '%')
    .replace(/．/g, '.');
}

/** Remove spaces unless both neighbours are ASCII letters or digits ("5G 基站" → "5G基站", "U Key" kept). */
function dropStraySpaces(s: string): string {
  return s.replace(/(\S)?[ \t\u3000\u00a0]+(\S)?/g, (_m, a?: string, b?: string) => {
    if (a === undefined || b === undefined) return (a ?? '') + (b ?? '');
    return /[A-Za-z0-9]/.test(a) && /[A-Za-z]/.test(b) ? `${a} ${b}` : a + b;
  });
}

/** ASCII punctuation of the PDF-extracted seeds to its Chinese form. */
function chinesePunctuation(s: string): string {
  const cjkLeft = new RegExp(`([${CJK}”’》）%])\\.`, 'g');
  return s
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .replace(/«/g, '《')
    .replace(/»/g, '》')
    .replace(/(?<!\d),|,(?!\d)/g, '，')
    .replace(/;/g, '；')
    .replace(/:/g, '：')
    .replace(cjkLeft, '$1。');
}

const PAGE_NUMBER = /^\s*[—–-]+\s*\d+\s*[—–-]+\s*$/;

/**
 * One PDF page of seed A came out with its lines in reverse order. A page is a run of lines
 * starting at a line indented by exactly one space; a page whose item numbers count down
 * (（12）（11）（10）…) is turned back.
 */
function unreversePages(lines: string[]): string[] {
  const starts = lines.flatMap((l, i) => (/^ \S/.test(l) || i === 0 ? [i] : []));
  const out: string[] = [];
  starts.forEach((start, n) => {
    const page = lines.slice(start, starts[n + 1] ?? lines.length);
    const numbers = page.flatMap((l) => {
      const m = /^\s*[（(](\d+)[）)]/.exec(asciiDigits(l));
      return m ? [Number(m[1])] : [];
    });
    const descending =
      numbers.length >= 3 && numbers.every((v, i) => i === 0 || v === numbers[i - 1]! - 1);
    out.push(...(descending ? page.reverse() : page));
  });
  return out;
}

/** Lines of the document without page numbers, markdown marks and repeated running headers. */
function cleanLines(text: string): { lines: string[]; headers: string[] } {
  const raw = unreversePages(text.replace(/\r\n?/g, '\n').split('\n'));
  const lines = raw
    .filter((l) => !PAGE_NUMBER.test(asciiDigits(l)))
    .map((l) =>
      dropStraySpaces(
        asciiDigits(l)
          .replace(/^#+\s*/, '')
          .replace(/\*\*/g, ''),
      ).trim(),
    )
    .filter((l) => l !== '' && l !== '---');
  // A closing signature ("市政府办公室" / "2021年05月10日") is no part of the last measure.
  const dateLine = /^\d{4}年\d{1,2}月\d{1,2}日$/;
  while (lines.length > 1 && dateLine.test(lines[lines.length - 1]!)) {
    lines.pop();
    if (isLabel(lines[lines.length - 1]!)) lines.pop();
  }
  const seen = new Map<string, number>();
  for (const l of lines) seen.set(l, (seen.get(l) ?? 0) + 1);
  // A short line printed again and again is a running header (e.g. the plan's name above each area).
  const isHeader = (l: string) =>
    (seen.get(l) ?? 0) >= 3 && l.length <= 30 && !/[。，：；、（）()]/.test(l);
  return {
    lines: lines.filter((l) => !isHeader(l)),
    headers: [...new Set(lines.filter(isHeader))],
  };
}

/** English words that slipped into seeds B and C between Chinese words ("平台 and 场所", "服务 etc 8个"). */
const STRAY_ENGLISH: [RegExp, string][] = [
  [new RegExp(`(?<=[${CJK}”])\\s*and\\s*(?=[${CJK}“])`, 'g'), '和'],
  [new RegExp(`(?<=[${CJK}”])\\s*etc\\s*(?=[${CJK}“\\d])`, 'g'), '等'],
];

/** Lines of one block re-joined: PDF line breaks inside Chinese text vanish. */
function joinLines(lines: string[]): string {
  const joined = STRAY_ENGLISH.reduce((t, [re, zh]) => t.replace(re, zh), lines.join(' '));
  return chinesePunctuation(dropStraySpaces(joined)).trim();
}

// ---------------------------------------------------------------- document facts

function documentFacts(lines: string[], headers: string[], key: string) {
  const documentNumber =
    lines.find((l) => new RegExp(`^[${CJK}]+〔\\d{4}〕\\d+号$`).test(l)) ?? null;
  const dateLine = lines.map((l) => /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(l)).find(Boolean);
  const date = dateLine
    ? `${dateLine[1]}-${dateLine[2]!.padStart(2, '0')}-${dateLine[3]!.padStart(2, '0')}`
    : null;
  const titleAt = lines.findIndex(
    (l) => /(实施方案|行动方案|配套措施)$/.test(l) && !/^[《附]/.test(l) && l.length <= 80,
  );
  let title: string;
  if (titleAt >= 0) {
    const prev = titleAt > 0 ? lines[titleAt - 1]! : '';
    const joinPrev = titleAt === 1 && prev.length <= 20 && !/[。，：]/.test(prev);
    title = joinLines(joinPrev ? [prev, lines[titleAt]!] : [lines[titleAt]!]);
  } else {
    // Seed E starts straight with "<plan>" / "配套措施———<area>": the attachment's own name.
    const plan = headers.find((h) => h.endsWith('行动'));
    title = plan && /^配套措施/.test(lines[0] ?? '') ? `${plan}配套措施` : (lines[0] ?? key);
  }
  const hint = SEED_HINTS[key];
  const titleYear = /(\d{4})年/.exec(title);
  const year = date
    ? Number(date.slice(0, 4))
    : titleYear
      ? Number(titleYear[1])
      : (hint?.year ?? null);
  const yearFrom: Deadline['yearFrom'] =
    date || titleYear ? 'document' : hint?.year ? 'hint' : null;
  return { documentNumber, date, title, year, yearFrom, bodyFrom: Math.max(titleAt + 1, 0) };
}

// ---------------------------------------------------------------- structure

interface Marker {
  kind: MarkerKind;
  label: string;
  rest: string;
}

/** The numbering marker a line starts with, if any; `lastBare` is the last bare number of the open area. */
function detectMarker(line: string, lastBare: number | null): Marker | null {
  const s = chinesePunctuation(line);
  // "<plan name>配套措施——<area>"; OCR turned some dashes into 一.
  let m = /^[^。，；：（）]{0,40}?配套措施[—一\-－]*([^—一\-－].*)$/.exec(s);
  if (m) return { kind: 'area', label: m[1]!, rest: m[1]! };
  m = new RegExp(`^([${CN_NUM}]+)、(.*)$`).exec(s);
  if (m) return { kind: 'cn', label: m[1]!, rest: m[2]! };
  m = new RegExp(`^（([${CN_NUM}]+)）(.*)$`).exec(s);
  if (m) return { kind: 'paren-cn', label: `（${m[1]}）`, rest: m[2]! };
  m = /^（(\d{1,2})）(.*)$/.exec(s);
  if (m) return { kind: 'paren-arabic', label: `（${m[1]}）`, rest: m[2]! };
  m = /^(\d{1,2})[.、](?!\d)(.*)$/.exec(line);
  if (m) return { kind: 'arabic', label: m[1]!, rest: m[2]! };
  // Seed E numbers its measures "１持续深化…" with no dot; only the expected next number counts,
  // so a wrapped line starting "１２月底前" is not taken for item 12.
  m = new RegExp(`^(\\d{1,2})(?![\\d月日年个项家号万亿倍次名人类条%.])(?=[${CJK}“"（(])(.*)$`).exec(
    line,
  );
  if (m && lastBare !== null && Number(m[1]) === lastBare + 1)
    return { kind: 'bare', label: m[1]!, rest: m[2]! };
  return null;
}

/** Opening of a unit parenthesis; an area's may name its commander first (（总指挥：王栋；领域牵头单位：…）). */
const UNIT_PAREN = /（(?:总指挥：[^；）]*；)?(?:领域)?(?:牵头|责任|配合)(?:单位|部门)：/;

/** True when the block's text ends with its closed unit parenthesis. */
function closedByUnits(lines: string[]): boolean {
  const text = joinLines(lines);
  const at = text.search(new RegExp(`${UNIT_PAREN.source}[^]*$`));
  return at >= 0 && parenEnd(text, at) === text.length;
}

/** Index just past the parenthesis opened at `open` (nested parentheses allowed). */
function parenEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '（') depth++;
    if (text[i] === '）' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** A heading-only marker line: short, no sentence punctuation. */
function isHeadingOnly(kind: MarkerKind, rest: string): boolean {
  if (kind === 'area' || kind === 'cn') return true;
  if (kind === 'bare') return false;
  return rest.length > 0 && rest.length <= 20 && !/[。，；：,.;:]/.test(rest);
}

/** An unnumbered label such as "人才流动便利度" between closed measures (seed A §二(一)17). */
function isLabel(line: string): boolean {
  return line.length <= 12 && !/[。，；：、,.;:（）()“”\d]/.test(line);
}

function buildTree(lines: string[]): Node {
  const root: Node = {
    kind: 'root',
    label: '',
    heading: '',
    lines: [],
    children: [],
    parent: null,
  };
  let current = root;
  let lastBare: number | null = null;
  const open = (kind: MarkerKind, label: string, heading: string) => {
    let parent = current;
    while (parent.kind !== 'root' && RANK[parent.kind] >= RANK[kind]) parent = parent.parent!;
    const node: Node = { kind, label, heading, lines: [], children: [], parent };
    parent.children.push(node);
    current = node;
  };
  for (const line of lines) {
    if (/^附件[：:]/.test(line)) continue;
    if (line === '附件') continue;
    const marker = detectMarker(line, lastBare);
    if (marker) {
      if (marker.kind === 'area') lastBare = 0;
      if (marker.kind === 'bare') lastBare = Number(marker.label);
      const headingOnly = isHeadingOnly(marker.kind, marker.rest);
      open(marker.kind, marker.label, headingOnly ? joinLines([marker.rest]) : '');
      if (!headingOnly) current.lines.push(marker.rest);
      continue;
    }
    const closed =
      current.kind !== 'root' &&
      (closedByUnits(current.lines) || (current.heading !== '' && current.lines.length === 0));
    if (closed && isLabel(line)) {
      open('label', line, line);
      continue;
    }
    current.lines.push(line);
  }
  return root;
}

// ---------------------------------------------------------------- units, deadlines, targets

const GENERIC_UNIT = /^(有关|相关|各有关|各相关)?(部门|单位|部门单位)$/;

/** Units of one list: split on 、，,；, "等…" dropped, nested parentheses kept. */
function splitUnits(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let part = '';
  for (const ch of list) {
    if (ch === '（') depth++;
    if (ch === '）') depth--;
    if (depth === 0 && /[、，,；;]/.test(ch)) {
      parts.push(part);
      part = '';
    } else part += ch;
  }
  parts.push(part);
  return parts
    .map((p) => p.replace(/等.*$/, '').trim())
    .filter((p) => p !== '' && !GENERIC_UNIT.test(p));
}

interface Units {
  lead: string[];
  responsible: string[];
}

/**
 * Units named in the unit parentheses of a text, or null when it has none. A measure with two
 * parts may name units after each (seed D 金融3); they are merged in order.
 */
function parseUnits(text: string): Units | null {
  const opens = [...text.matchAll(new RegExp(UNIT_PAREN.source, 'g'))];
  if (opens.length === 0) return null;
  const units: Units = { lead: [], responsible: [] };
  const add = (list: string[], names: string[]) =>
    list.push(...names.filter((n) => !list.includes(n)));
  for (const open of opens) {
    const inner = text.slice(open.index + 1, parenEnd(text, open.index) - 1);
    const found = [...inner.matchAll(/(?:领域)?(牵头|责任|配合)(?:单位|部门)：/g)];
    found.forEach((m, i) => {
      const list = inner.slice(m.index + m[0].length, found[i + 1]?.index ?? inner.length);
      const names = splitUnits(list.replace(/[；;]\s*$/, ''));
      add(m[1] === '牵头' ? units.lead : units.responsible, names);
    });
  }
  return units;
}

/** "（市发改委、市住建局等按职责分工负责）" — units named jointly without a label (seed D). */
function jointUnits(text: string): Units | null {
  const m = /（([^（）]*(?:（[^（）]*）[^（）]*)*)按职责分工负责）$/.exec(text);
  return m ? { lead: [], responsible: splitUnits(m[1]!) } : null;
}

/** "市…领导小组办公室牵头，…" — a lead named in the running text (seed B 36). */
function inlineLead(text: string): string[] {
  const m = new RegExp(`(?:^|[。；])([${CJK}]{4,40}?)牵头[，,]`).exec(text);
  return m ? [m[1]!] : [];
}

function lastDay(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DEADLINE =
  /(?:(\d{4})年)?(\d{1,2})月(?:底前|底|末前|末|前)|(\d{4})?年(?:底前|底)|长期坚持|持续推进/g;

function parseDeadlines(
  text: string,
  docYear: number | null,
  docYearFrom: Deadline['yearFrom'],
): Deadline[] {
  const dated: Deadline[] = [];
  const ongoing: Deadline[] = [];
  for (const m of text.matchAll(DEADLINE)) {
    const phrase = m[0];
    if (phrase === '长期坚持' || phrase === '持续推进') {
      ongoing.push({ kind: 'ongoing', phrase, date: null, yearFrom: null });
      continue;
    }
    // "每年底" recurs every year: no single deadline.
    if (text[m.index - 1] === '每') continue;
    const written = m[1] ?? m[3];
    const year = written ? Number(written) : docYear;
    const yearFrom = written ? 'phrase' : year === null ? null : docYearFrom;
    const month = m[2] ? Number(m[2]) : 12;
    if (month < 1 || month > 12) continue;
    dated.push({
      kind: m[2] ? 'month' : 'year',
      phrase,
      date: year === null ? null : lastDay(year, month),
      yearFrom,
    });
  }
  // "持续推进" is also an ordinary verb; it stands for a deadline only where no date is given.
  const distinct = dated.filter(
    (d, i) => dated.findIndex((e) => e.phrase === d.phrase && e.date === d.date) === i,
  );
  return distinct.length > 0 ? distinct : ongoing.slice(0, 1);
}

const TARGET = /\d+(?:\.\d+)?\s*(?:%|个|项|家)/;

function parseTargets(text: string): string[] {
  const body = text.replace(new RegExp(`${UNIT_PAREN.source}[^]*$`), '');
  return body
    .split(/[，。；！]/)
    .map((c) => c.trim())
    .filter((c) => TARGET.test(c));
}

// ---------------------------------------------------------------- measures

const PREAMBLE_PART = /总体要求|总体目标|工作目标|指导思想|保障措施|组织保障/;

/** Area summaries of the plans whose measures sit in an attachment ("重点在…实现更大突破"). */
const AREA_SUMMARY = /重点在.*实现更大/;

function ancestors(node: Node): Node[] {
  const chain: Node[] = [];
  for (let n: Node | null = node; n && n.kind !== 'root'; n = n.parent) chain.unshift(n);
  return chain;
}

function isMeasure(node: Node): boolean {
  if (node.kind === 'root' || node.kind === 'area' || node.kind === 'cn') return false;
  if (node.children.length > 0 || node.lines.length === 0) return false;
  const top = ancestors(node)[0]!;
  const topTitle = top.heading;
  if (PREAMBLE_PART.test(topTitle) && node.kind === 'paren-cn') return false;
  if (PREAMBLE_PART.test(topTitle) && node.heading !== '') return false;
  return !AREA_SUMMARY.test(joinLines(node.lines));
}

function titleOf(node: Node, text: string): string {
  if (node.heading) return node.heading;
  const end = text.indexOf('。');
  const first = end >= 0 ? text.slice(0, end) : text;
  return first.replace(new RegExp(`${UNIT_PAREN.source}[^]*$`), '').trim();
}

function nodeText(node: Node): string {
  return joinLines(node.lines);
}

function toMeasure(
  node: Node,
  doc: { key: string; letter: string | null; year: number | null; yearFrom: Deadline['yearFrom'] },
): Measure {
  const chain = ancestors(node);
  const text = nodeText(node);
  let units = parseUnits(text) ?? jointUnits(text);
  let unitsFrom: UnitsSource = units ? 'own' : null;
  if (!units) {
    for (const up of chain.slice(0, -1).reverse()) {
      const inherited = parseUnits(nodeText(up));
      if (inherited && inherited.lead.length + inherited.responsible.length > 0) {
        units = inherited;
        unitsFrom = 'parent';
        break;
      }
    }
  }
  if (!units && inlineLead(text).length > 0) {
    units = { lead: inlineLead(text), responsible: [] };
    unitsFrom = 'inline';
  }
  const lead = units?.lead ?? [];
  const responsible = units?.responsible ?? [];
  const leadInferred = lead.length === 0 && responsible.length > 0;
  const path = chain.map((n) => n.label);
  const fullText = node.heading ? `${node.heading}。${text}` : text;
  return {
    id: `${doc.key}#${path.join('.')}`,
    documentKey: doc.key,
    documentLetter: doc.letter,
    path,
    headings: chain.slice(0, -1).map((n) => n.heading || titleOf(n, nodeText(n))),
    title: titleOf(node, text),
    text: fullText,
    leadUnits: leadInferred ? [responsible[0]!] : lead,
    responsibleUnits: responsible,
    leadInferred,
    unitsFrom,
    deadlines: parseDeadlines(text, doc.year, doc.yearFrom),
    targets: parseTargets(text),
  };
}

function walk(node: Node, visit: (n: Node) => void): void {
  for (const child of node.children) {
    visit(child);
    walk(child, visit);
  }
}

/** Parses one seed document: its facts, headed parts and numbered measures. */
export function parseSeedDocument(key: string, text: string): SeedDocument {
  const { lines, headers } = cleanLines(text);
  const facts = documentFacts(lines, headers, key);
  const letter = SEED_HINTS[key]?.letter ?? null;
  const tree = buildTree(lines.slice(facts.bodyFrom));
  const sections: Section[] = [];
  const measures: Measure[] = [];
  const doc = { key, letter, year: facts.year, yearFrom: facts.yearFrom };
  walk(tree, (node) => {
    if (isMeasure(node)) {
      measures.push(toMeasure(node, doc));
      return;
    }
    const units = parseUnits(nodeText(node));
    sections.push({
      path: ancestors(node).map((n) => n.label),
      title: node.heading || titleOf(node, nodeText(node)),
      leadUnits: units?.lead ?? [],
      responsibleUnits: units?.responsible ?? [],
    });
  });
  const aims = [tree, ...tree.children.filter((n) => /目标|总体要求/.test(n.heading))];
  const goalText = aims
    .flatMap((n) => [n, ...n.children])
    .map(nodeText)
    .join('。');
  return {
    key,
    letter,
    title: facts.title,
    documentNumber: facts.documentNumber,
    date: facts.date,
    year: facts.year,
    goals: {
      deadlines: parseDeadlines(goalText, facts.year, facts.yearFrom),
      targets: parseTargets(goalText),
    },
    sections,
    measures,
  };
}
