// Queries per second: the catalog search index (src/catalog/search.ts) against a naive linear scan
// of names and keywords, on ~5,000 items (the seed catalog replicated with varied codes and names)
// and the same fixed everyday queries, measured in the same run.
import MiniSearch from 'minisearch';
import {
  createCatalogIndex,
  loadSynonyms,
  tokenize,
  type CatalogIndex,
  type SynonymTable,
} from '../src/catalog/search';
import type { ItemContent } from '../src/catalog/schema';
import { CATALOG_DIR, readSeedCatalog } from '../src/catalog/seed';

const TARGET_ITEMS = 5_000;
const LIMIT = 20;
const REPETITIONS = 5;
const MIN_SECONDS = 0.3; // each measurement runs whole passes over the queries for at least this long

// Each copy of the seed gets its own place in its name, as a province's catalog repeats the same
// items per district.
const PLACES = [
  ['环翠区', 'Huancui'],
  ['文登区', 'Wendeng'],
  ['荣成市', 'Rongcheng'],
  ['乳山市', 'Rushan'],
  ['高区', 'Torch Hi-Tech Zone'],
  ['经区', 'Economic Zone'],
  ['临港区', 'Lingang'],
] as const;

// What citizens type, with the item name each should bring into the top 3 (for the quality line).
const QUERIES: [query: string, expected: RegExp | null][] = [
  ['开公司', /设立登记/],
  ['注册公司', /设立登记/],
  ['办执照', /设立登记/],
  ['营业执照丢了', null],
  ['刻章', /印章|公章|刻制/],
  ['生孩子', /出生/],
  ['新生儿上户口', /出生登记/],
  ['办退休', /退休/],
  ['开饭店', /食品经营/],
  ['开餐馆', /食品经营/],
  ['过户', /转移登记/],
  ['装宽带', /宽带|通信/],
  ['通水电', /供水|用水|供电|用电/],
  ['交社保', null],
  ['公积金', null],
  ['企业设立登记', /设立登记/],
  ['establishment registration', /设立/],
  ['social insurance', null],
  ['量子纠缠', null],
];

type Ranker = (query: string) => string[];
const KEYS = ['index', 'naive', 'minisearch'] as const;
type Key = (typeof KEYS)[number];

function replicate(seed: readonly ItemContent[]): ItemContent[] {
  const copies = Math.ceil(TARGET_ITEMS / seed.length);
  const items: ItemContent[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const [zh, en] = PLACES[copy % PLACES.length]!;
    for (const item of seed) {
      items.push(
        copy === 0
          ? item
          : {
              ...item,
              code: `${item.code}-R${String(copy).padStart(3, '0')}`,
              name: {
                zh: `${item.name.zh}（${zh}${copy}）`,
                en: `${item.name.en} (${en} ${copy})`,
              },
            },
      );
    }
  }
  return items;
}

function compact(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

// The baseline's terms: the query's own terms and the words its synonyms imply, computed before
// timing, so the baseline is charged for the scan alone (the index also pays for tokenizing).
function baselineTerms(query: string, synonyms: SynonymTable): string[] {
  const q = compact(query);
  const implied = synonyms
    .filter((rule) => rule.say.some((phrase) => compact(phrase) && q.includes(compact(phrase))))
    .flatMap((rule) => rule.means);
  return [...new Set([...tokenize(query), ...implied])];
}

// The naive scan: one point per query term in the Chinese name and per keyword containing it.
function naiveSearch(items: readonly ItemContent[], terms: readonly string[]): string[] {
  const hits: { code: string; count: number }[] = [];
  for (const item of items) {
    let count = 0;
    for (const term of terms) {
      if (item.name.zh.includes(term)) count++;
      for (const keyword of item.keywords) if (keyword.includes(term)) count++;
    }
    if (count > 0) hits.push({ code: item.code, count });
  }
  hits.sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  return hits.slice(0, LIMIT).map((hit) => hit.code);
}

// Context only: minisearch itself over the same tokens, fields and boosts, OR over the terms.
function miniSearchIndex(items: readonly ItemContent[]): MiniSearch {
  const cache = new Map<string, string[]>();
  const engine = new MiniSearch({
    fields: ['nameZh', 'nameEn', 'keywords', 'themes', 'materials', 'result', 'conditions'],
    tokenize: (text) => cache.get(text) ?? cache.set(text, tokenize(text)).get(text)!,
    processTerm: (term) => term,
    searchOptions: {
      boost: { nameZh: 12, nameEn: 8, keywords: 5, themes: 5, materials: 2, result: 2 },
      tokenize: (text) => text.split('\u0000'),
    },
  });
  engine.addAll(
    items.map((item) => ({
      id: item.code,
      nameZh: item.name.zh,
      nameEn: item.name.en,
      keywords: item.keywords.join('\n'),
      themes: item.themes.join('\n'),
      materials: item.materials.map((m) => m.name.zh).join('\n'),
      result: item.result.name,
      conditions: item.conditions,
    })),
  );
  return engine;
}

function measure(rank: Ranker, queries: readonly string[]): number {
  let checksum = 0;
  let operations = 0;
  let elapsed = 0;
  const began = process.hrtime.bigint();
  do {
    for (const query of queries) checksum += rank(query).length;
    operations += queries.length;
    elapsed = Number(process.hrtime.bigint() - began) / 1e9;
  } while (elapsed < MIN_SECONDS);
  // Using the checksum keeps the JIT from dropping the work as dead code.
  if (Number.isNaN(checksum)) throw new Error('checksum is NaN');
  return operations / elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timed<T>(make: () => T): [T, number] {
  const start = performance.now();
  const value = make();
  return [value, performance.now() - start];
}

/** Prints the figures and, last, `BENCH catalog-search queries_per_s=… baseline_queries_per_s=… ratio=…`. */
export async function run(): Promise<void> {
  const seed = readSeedCatalog();
  if (seed.length === 0) throw new Error(`No seed items in ${CATALOG_DIR}*.yaml to replicate`);
  const synonyms = loadSynonyms();
  const items = replicate(seed);
  const names = new Map(items.map((item) => [item.code, item.name.zh]));

  const [index, indexMs]: [CatalogIndex, number] = timed(() => createCatalogIndex(items, synonyms));
  const [engine, engineMs] = timed(() => miniSearchIndex(items));
  const queries = QUERIES.map(([query]) => query);
  const terms = new Map(queries.map((query) => [query, baselineTerms(query, synonyms)]));
  const rankers: Record<Key, Ranker> = {
    index: (query) => index.search(query, { limit: LIMIT }).map((hit) => hit.code),
    naive: (query) => naiveSearch(items, terms.get(query)!),
    minisearch: (query) =>
      engine
        .search(terms.get(query)!.join('\u0000'))
        .slice(0, LIMIT)
        .map((hit) => hit.id as string),
  };

  // How often the intended item is in the top 3, where the seed holds one.
  const quality = (key: Key) => {
    let found = 0;
    let asked = 0;
    for (const [query, expected] of QUERIES) {
      if (!expected || !seed.some((item) => expected.test(item.name.zh))) continue;
      asked++;
      const top = rankers[key](query).slice(0, 3);
      if (top.some((code) => expected.test(names.get(code) ?? ''))) found++;
    }
    return `${found}/${asked}`;
  };

  for (const key of KEYS) measure(rankers[key], queries); // warm-up, so the JIT has settled
  const runs: Record<Key, number[]> = { index: [], naive: [], minisearch: [] };
  for (let i = 0; i < REPETITIONS; i++) {
    // Interleaved, so a noisy neighbour slows every contender alike.
    for (const key of KEYS) runs[key].push(measure(rankers[key], queries));
  }
  const [fast, naive, mini] = KEYS.map((key) => median(runs[key])) as [number, number, number];

  console.log(
    `catalog-search: ${items.length.toLocaleString('en-US')} items (${seed.length} seed items × ` +
      `${Math.ceil(items.length / seed.length)}), ${queries.length} everyday queries, top ${LIMIT}, ` +
      `median of ${REPETITIONS} runs of ≥ ${MIN_SECONDS} s each`,
  );
  console.log(
    `  index built in ${indexMs.toFixed(0)} ms (minisearch, context: ${engineMs.toFixed(0)} ms)`,
  );
  const line = (label: string, key: Key) =>
    console.log(
      `  ${label.padEnd(46)}${Math.round(median(runs[key])).toLocaleString('en-US').padStart(10)} q/s` +
        `  ${(1e6 / median(runs[key])).toFixed(1).padStart(8)} µs/q   top-3 ${quality(key)}` +
        `   runs: ${runs[key].map((v) => Math.round(v)).join(', ')}`,
    );
  line('createCatalogIndex().search', 'index');
  line('naive scan of names and keywords (baseline)', 'naive');
  line('context: minisearch, same tokenizer and terms', 'minisearch');
  console.log(
    `  the index is ${(fast / naive).toFixed(1)}× the baseline and ${(fast / mini).toFixed(1)}× minisearch`,
  );
  console.log(
    `BENCH catalog-search queries_per_s=${Math.round(fast)} baseline_queries_per_s=${Math.round(naive)} ratio=${(fast / naive).toFixed(1)}`,
  );
}
