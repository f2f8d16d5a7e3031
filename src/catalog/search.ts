// Chinese full-text search over the service catalog, in memory and pure: build the index once from
// the items' content, then answer what a citizen types ("开公司", "营业执照丢了") with ranked item
// codes. No database: the catalog is small enough (thousands of items) to index on start.
//
// Scoring is BM25 per field with field boosts, as minisearch computes it, but over impact postings
// precomputed in typed arrays. Chinese queries are OR over words and bigrams, and terms such as 登记
// or 营业执照 occur in most items; minisearch builds a result object for every matching posting,
// which made it several times slower than this on 5,000 items (bench/catalog-search.ts prints
// both). minisearch's radix tree still serves prefix and typo matching of Latin terms.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SearchableMap from 'minisearch/SearchableMap';
import { parse } from 'yaml';
import type { ItemContent } from './schema';

/** The synonym file people extend, next to the seed catalog. */
export const SYNONYMS_FILE = fileURLToPath(
  new URL('../../data/catalog/synonyms.yaml', import.meta.url),
);

/** Hits returned when the caller sets no limit. */
export const DEFAULT_LIMIT = 20;

/** One synonym rule: a query containing any `say` phrase also searches for the `means` words. */
export interface SynonymRule {
  readonly say: readonly string[];
  readonly means: readonly string[];
}

/** Everyday phrasings mapped to catalog words, as read from `data/catalog/synonyms.yaml`. */
export type SynonymTable = readonly SynonymRule[];

/** Options of one search. */
export interface SearchOptions {
  /** At most this many hits (default {@link DEFAULT_LIMIT}). */
  limit?: number;
  /** Keeps only the items for which it returns true; applied before the limit. */
  filter?: (item: ItemContent) => boolean;
}

/** One ranked hit. */
export interface SearchHit {
  /** The item's code (实施编码). */
  code: string;
  /** Relevance; hits come in descending score, equal scores by code. */
  score: number;
  /** The indexed terms that matched (or the code typed in), longest first, for highlighting. */
  matched: string[];
  /** The fields those terms were found in: `name.zh`, `name.en`, `keywords`, … or `code`. */
  fields: string[];
}

/** A search index over a fixed set of items. */
export interface CatalogIndex {
  /** How many items are indexed. */
  readonly size: number;
  /** The items best matching the query, best first; [] when nothing matches. */
  search(query: string, options?: SearchOptions): SearchHit[];
}

// Name ≫ keywords/themes > materials/result > conditions/legal basis: the name says what the item
// is, keywords and themes are how people look for it, the long texts mention much in passing.
// Type and audience are left out: every item has one of a handful, so they rank nothing; callers
// narrow by them with `filter`.
const FIELD_BOOSTS = {
  'name.zh': 12,
  'name.en': 8,
  keywords: 5,
  themes: 5,
  materials: 2,
  result: 2,
  process: 1,
  department: 1,
  conditions: 1,
  legalBasis: 0.5,
} as const;

type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];
const BOOSTS = FIELDS.map((field) => FIELD_BOOSTS[field]);

// BM25 parameters, minisearch's defaults: term-frequency saturation, length normalisation, and a
// floor that rewards any match.
const BM25_K = 1.2;
const BM25_B = 0.7;
const BM25_D = 0.5;

// A query longer than this is a pasted text, not a search phrase; cutting it bounds the work.
const MAX_QUERY_CHARS = 200;
// The same bound on distinct terms, for queries made of many short words.
const MAX_QUERY_TERMS = 64;
// Whole-name containment is checked by looking up the query's substrings, so only for short ones.
const MAX_NAME_LOOKUP_CHARS = 64;
// A bigram is weaker evidence than a dictionary word: it may straddle two words.
const BIGRAM_WEIGHT = 0.7;
// A term the query only implies through a synonym counts less than one it contains.
const SYNONYM_WEIGHT = 0.6;
// Latin terms: prefix matches ("regist" → registration) and one or two typos ("licence" →
// "license"), each worth less than the exact term, as minisearch weighs them.
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const FUZZY_MIN_LENGTH = 5;
// OR over words and bigrams lets any shared bigram (审批, 城市) pull an item in; hits scoring under
// this share of the best are noise, not answers.
const MIN_SHARE_OF_BEST = 0.01;

// Filler people type around what they want; as terms they match everything or nothing useful.
const STOP_ZH = new Set([
  '怎么',
  '怎样',
  '如何',
  '哪里',
  '哪儿',
  '什么',
  '需要',
  '我要',
  '我想',
  '想要',
  '可以',
  '一下',
  '请问',
]);
const STOP_EN = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'to',
  'in',
  'on',
  'or',
  'by',
  'with',
  'my',
  'how',
  'do',
  'i',
]);

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });
// Han runs, and runs of other letters and digits (Latin words, numbers, parts of codes).
const RUN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}\p{M}])+/gu;
const HAN_START = /^\p{Script=Han}/u;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;
const LATIN_TERM = /^[a-z0-9]+$/;
const ALPHA_TERM = /^[a-z]+$/;

type Kind = 'word' | 'bigram' | 'latin';

interface Token {
  term: string;
  kind: Kind;
}

const KIND_WEIGHT: Record<Kind, number> = { word: 1, bigram: BIGRAM_WEIGHT, latin: 1 };

// Full-width letters and digits become ASCII (NFKC), and case stops mattering.
function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

// Letters and digits only, for whole-phrase comparisons that ignore spacing and punctuation.
function compact(text: string): string {
  return normalize(text).replace(NOT_WORD, '');
}

function pushHanRun(run: string, out: Token[], runs?: Map<string, Token[]>): void {
  const known = runs?.get(run);
  if (known) {
    for (const token of known) out.push(token);
    return;
  }
  const first = out.length;
  segmentHanRun(run, out);
  runs?.set(run, out.slice(first));
}

function segmentHanRun(run: string, out: Token[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    // A lone character between punctuation is a word by itself (水、电、气).
    out.push({ term: run, kind: 'word' });
    return;
  }
  // Single characters inside a run are left out: they match far too much to rank anything.
  const wordLength = new Map<number, number>(); // code-unit offset → length of the word there
  for (const { segment, index } of SEGMENTER.segment(run)) {
    if (Array.from(segment).length < 2 || STOP_ZH.has(segment)) continue;
    out.push({ term: segment, kind: 'word' });
    wordLength.set(index, segment.length);
  }
  // Bigrams catch what the segmenter splits differently in the query and in the item
  // ("不动产" is 不动+产); a bigram that is itself a word here would only count twice.
  let at = 0;
  for (let i = 0; i + 1 < chars.length; i++) {
    const first = chars[i] as string;
    const bigram = first + (chars[i + 1] as string);
    if (wordLength.get(at) !== bigram.length && !STOP_ZH.has(bigram)) {
      out.push({ term: bigram, kind: 'bigram' });
    }
    at += first.length;
  }
}

// `runs` caches the tokens of each Han run: segmenting is the costly step, and a catalog's texts
// share most of their phrases.
function tokenizeNormalized(text: string, runs?: Map<string, Token[]>): Token[] {
  const out: Token[] = [];
  for (const [run] of text.matchAll(RUN)) {
    if (HAN_START.test(run)) pushHanRun(run, out, runs);
    else if (!STOP_EN.has(run)) out.push({ term: run, kind: 'latin' });
  }
  return out;
}

/** The index terms of a text: Chinese words and bigrams, lowercased Latin words, digit runs. */
export function tokenize(text: string): string[] {
  return tokenizeNormalized(normalize(text)).map((token) => token.term);
}

// A keyword or theme as one whole term, besides its words: when a synonym implies exactly a
// theme ("开公司" → 企业开办), the items filed under it should stand out from items that merely
// share its words. '#' never occurs in a word term.
function phraseTerm(text: string): string {
  return `#${compact(text)}`;
}

// Fields whose entries are whole phrases people search by.
const PHRASE_FIELDS = new Set<Field>(['keywords', 'themes']);

function fieldTexts(item: ItemContent): string[] {
  // Lists are joined by newlines so that no bigram spans two entries.
  const lines = (values: readonly string[]) => values.join('\n');
  const texts: Record<Field, string> = {
    'name.zh': item.name.zh,
    'name.en': item.name.en,
    keywords: lines(item.keywords),
    themes: lines(item.themes),
    materials: lines(item.materials.flatMap((m) => [m.name.zh, m.name.en])),
    result: item.result.name,
    process: lines(item.process),
    department: item.department,
    conditions: item.conditions,
    legalBasis: lines(item.legalBasis),
  };
  return FIELDS.map((field) => texts[field]);
}

interface Postings {
  docs: Int32Array; // ascending document numbers
  impacts: Float64Array; // the term's boosted BM25 score in that document, all fields summed
  fields: Uint16Array; // bit i set: found in FIELDS[i]
}

interface Phrase {
  text: string; // compact form, matched as a substring of the compact query
  terms: number; // how many terms the phrase itself yields (at least 1)
}

interface CompiledRule {
  say: Phrase[];
  means: { phrase: string; tokens: Token[] }[];
}

function compileSynonyms(table: SynonymTable): CompiledRule[] {
  return table
    .map((rule) => ({
      say: rule.say
        .map((phrase) => ({
          text: compact(phrase),
          terms: Math.max(1, tokenizeNormalized(normalize(phrase)).length),
        }))
        .filter((phrase) => phrase.text.length > 0),
      means: rule.means
        .map((word) => ({ phrase: phraseTerm(word), tokens: tokenizeNormalized(normalize(word)) }))
        .filter((word) => word.tokens.length > 0),
    }))
    .filter((rule) => rule.say.length > 0 && rule.means.length > 0);
}

// Query term → weight: the query's own terms at their kind's weight, then the words its synonym
// phrases imply. An implied word that splits into several terms shares the weight of the phrase
// that implied it, so "过户" → 转移+登记+移登 does not outweigh a literal 过户.
function queryWeights(
  normalized: string,
  compactQuery: string,
  rules: readonly CompiledRule[],
): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (term: string, weight: number) => {
    if (weights.size >= MAX_QUERY_TERMS && !weights.has(term)) return;
    if (weight > (weights.get(term) ?? 0)) weights.set(term, weight);
  };
  for (const token of tokenizeNormalized(normalized)) add(token.term, KIND_WEIGHT[token.kind]);
  add(phraseTerm(compactQuery), 1);
  for (const rule of rules) {
    let phraseTerms = 0;
    for (const phrase of rule.say) {
      if (compactQuery.includes(phrase.text)) phraseTerms = Math.max(phraseTerms, phrase.terms);
    }
    if (phraseTerms === 0) continue;
    for (const { phrase, tokens } of rule.means) {
      add(phrase, SYNONYM_WEIGHT);
      const share = SYNONYM_WEIGHT * Math.min(1, phraseTerms / tokens.length);
      for (const token of tokens) add(token.term, share * KIND_WEIGHT[token.kind]);
    }
  }
  return weights;
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexOf(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = sorted[mid] as number;
    if (at === value) return mid;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

function byLengthThenText(a: string, b: string): number {
  return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Builds the search index over the items (codes must be unique). Synonyms are applied at query
 * time; without them only the items' own words are found. Build once, search many times.
 */
export function createCatalogIndex(
  items: readonly ItemContent[],
  synonyms: SynonymTable = [],
): CatalogIndex {
  const count = items.length;
  const fieldCount = FIELDS.length;

  // Terms get numbers, so the build fills typed arrays instead of looking strings up.
  const termIds = new Map<string, number>();
  const termList: string[] = [];
  const idOf = (term: string) => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termList.length;
      termIds.set(term, id);
      termList.push(term);
    }
    return id;
  };

  // Materials, legal bases and conditions repeat across items; segmenting and counting each text
  // once keeps the build fast on large catalogs.
  interface Counted {
    ids: number[]; // distinct term ids
    tfs: number[]; // how often each occurs
    length: number; // how many terms in all
  }
  const caches = [new Map<string, Counted>(), new Map<string, Counted>()];
  const runs = new Map<string, Token[]>();
  const countTerms = (text: string, field: Field): Counted => {
    const phrases = PHRASE_FIELDS.has(field);
    const cache = caches[phrases ? 1 : 0] as Map<string, Counted>;
    let counted = cache.get(text);
    if (!counted) {
      const terms = tokenizeNormalized(normalize(text), runs).map((token) => token.term);
      if (phrases) {
        for (const entry of text.split('\n')) if (compact(entry)) terms.push(phraseTerm(entry));
      }
      const tf = new Map<number, number>();
      for (const term of terms) {
        const id = idOf(term);
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      counted = { ids: [...tf.keys()], tfs: [...tf.values()], length: terms.length };
      cache.set(text, counted);
    }
    return counted;
  };

  // First pass: count the terms of every document and field, and how often each term occurs.
  const counts: Counted[] = new Array<Counted>(count * fieldCount);
  const fieldLength = new Float64Array(count * fieldCount);
  const totalLength = new Float64Array(fieldCount);
  let occurrenceCount: number[] = [];
  const seen = new Set<string>();
  items.forEach((item, doc) => {
    if (seen.has(item.code)) throw new Error(`Duplicate item code in the catalog: ${item.code}`);
    seen.add(item.code);
    fieldTexts(item).forEach((text, field) => {
      const counted = countTerms(text, FIELDS[field] as Field);
      counts[doc * fieldCount + field] = counted;
      fieldLength[doc * fieldCount + field] = counted.length;
      totalLength[field] = (totalLength[field] as number) + counted.length;
      for (const id of counted.ids) occurrenceCount[id] = (occurrenceCount[id] ?? 0) + 1;
    });
  });
  for (const cache of caches) cache.clear();
  runs.clear();

  // Second pass: every occurrence into one set of flat arrays, grouped by term, documents in
  // order (sized up front: millions of occurrences on a large catalog).
  const start = new Int32Array(termList.length + 1);
  termList.forEach((_, id) => (start[id + 1] = (start[id] as number) + (occurrenceCount[id] ?? 0)));
  occurrenceCount = [];
  const total = start[termList.length] as number;
  const occurrenceDoc = new Int32Array(total);
  const occurrenceField = new Uint8Array(total);
  const occurrenceTf = new Uint32Array(total);
  const cursor = start.slice(0, termList.length);
  for (let doc = 0; doc < count; doc++) {
    for (let field = 0; field < fieldCount; field++) {
      const { ids, tfs } = counts[doc * fieldCount + field] as Counted;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        const at = cursor[id] as number;
        cursor[id] = at + 1;
        occurrenceDoc[at] = doc;
        occurrenceField[at] = field;
        occurrenceTf[at] = tfs[i] as number;
      }
    }
  }
  counts.length = 0;

  // Third pass: each term's score in each document, fixed once the whole catalog is known.
  const averageLength = Array.from(totalLength, (sum) => Math.max(1, sum / Math.max(1, count)));
  const postings = new Map<string, Postings>();
  const latinTerms = new SearchableMap<true>();
  const frequency = new Int32Array(fieldCount);
  const idf = new Float64Array(fieldCount);
  termList.forEach((term, id) => {
    const from = start[id] as number;
    const to = start[id + 1] as number;
    frequency.fill(0);
    let docsWithTerm = 0;
    for (let i = from; i < to; i++) {
      const field = occurrenceField[i] as number;
      frequency[field] = (frequency[field] as number) + 1;
      if (i === from || occurrenceDoc[i] !== occurrenceDoc[i - 1]) docsWithTerm++;
    }
    for (let field = 0; field < fieldCount; field++) {
      const n = frequency[field] as number;
      idf[field] = Math.log(1 + (count - n + 0.5) / (n + 0.5));
    }
    const docs = new Int32Array(docsWithTerm);
    const impacts = new Float64Array(docsWithTerm);
    const fields = new Uint16Array(docsWithTerm);
    let slot = -1;
    for (let i = from; i < to; i++) {
      const doc = occurrenceDoc[i] as number;
      const field = occurrenceField[i] as number;
      const tf = occurrenceTf[i] as number;
      if (i === from || doc !== occurrenceDoc[i - 1]) docs[++slot] = doc;
      const length = fieldLength[doc * fieldCount + field] as number;
      const norm = 1 - BM25_B + (BM25_B * length) / (averageLength[field] as number);
      const bm25 = (idf[field] as number) * (BM25_D + (tf * (BM25_K + 1)) / (tf + BM25_K * norm));
      impacts[slot] = (impacts[slot] as number) + (BOOSTS[field] as number) * bm25;
      fields[slot] = (fields[slot] as number) | (1 << field);
    }
    postings.set(term, { docs, impacts, fields });
    if (LATIN_TERM.test(term)) latinTerms.set(term, true);
  });

  // Codes and names typed in whole, compacted so spacing, case and punctuation do not matter.
  const byCode = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  const byNameEn = new Map<string, number[]>();
  const nameLengths = new Set<number>();
  items.forEach((item, doc) => {
    for (const code of new Set([compact(item.code), compact(item.basicCode)])) {
      addTo(byCode, code, doc);
    }
    const name = compact(item.name.zh);
    if (name.length > 0) addTo(byName, name, doc);
    if (name.length >= 2) nameLengths.add(name.length);
    addTo(byNameEn, compact(item.name.en), doc);
  });
  // Equal scores are ordered by code; comparing ranks is cheaper than comparing strings.
  const codeRank = new Int32Array(count);
  items
    .map((item, doc) => ({ code: item.code, doc }))
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .forEach(({ doc }, rank) => (codeRank[doc] = rank));

  const rules = compileSynonyms(synonyms);

  // Per-query scratch, reused: a query writes only the documents it touches.
  const score = new Float64Array(count);
  const coverage = new Float64Array(count);
  const lastTerm = new Int32Array(count);
  const stamp = new Uint32Array(count);
  const tierOf = new Uint8Array(count);
  const touched = new Int32Array(count);
  let generation = 0;

  const lengths = [...nameLengths].sort((a, b) => a - b);

  // 3: the code typed in; 2: the whole name typed in; 1: the query contains a whole name.
  function tiers(compactQuery: string): Map<number, number> {
    const found = new Map<number, number>();
    const mark = (docs: readonly number[] | undefined, tier: number) => {
      for (const doc of docs ?? []) found.set(doc, Math.max(found.get(doc) ?? 0, tier));
    };
    mark(byCode.get(compactQuery), 3);
    mark(byName.get(compactQuery), 2);
    mark(byNameEn.get(compactQuery), 2);
    if (compactQuery.length <= MAX_NAME_LOOKUP_CHARS) {
      // Only substrings as long as some name can be one (code units: a slice through a surrogate
      // pair matches no name, which is right).
      for (const length of lengths) {
        if (length > compactQuery.length) break;
        for (let at = 0; at + length <= compactQuery.length; at++) {
          mark(byName.get(compactQuery.slice(at, at + length)), 1);
        }
      }
    }
    return found;
  }

  // The index terms a query term stands for, with how much each counts: itself, and for Latin
  // terms its prefix and typo matches.
  function expand(term: string): [string, number][] {
    const expanded: [string, number][] = [];
    if (postings.has(term)) expanded.push([term, 1]);
    if (!LATIN_TERM.test(term)) return expanded;
    const prefixed = new Set<string>();
    if (term.length >= 2) {
      for (const [longer] of latinTerms.atPrefix(term)) {
        if (longer === term) continue;
        prefixed.add(longer);
        const distance = longer.length - term.length;
        expanded.push([longer, (PREFIX_WEIGHT * longer.length) / (longer.length + 0.3 * distance)]);
      }
    }
    if (ALPHA_TERM.test(term) && term.length >= FUZZY_MIN_LENGTH) {
      // One typo per word, two in long words; more would match unrelated words.
      const maxDistance = term.length >= 10 ? 2 : 1;
      for (const [near, [, distance]] of latinTerms.fuzzyGet(term, maxDistance)) {
        if (distance === 0 || prefixed.has(near)) continue;
        expanded.push([near, (FUZZY_WEIGHT * near.length) / (near.length + distance)]);
      }
    }
    return expanded;
  }

  // The hot loop of a query, kept small and monomorphic: one term's postings into the scratch.
  function accumulate(
    list: Postings,
    w: number,
    weight: number,
    termIndex: number,
    touchedCount: number,
  ): number {
    const { docs, impacts } = list;
    for (let i = 0, n = docs.length; i < n; i++) {
      const doc = docs[i] as number;
      if (stamp[doc] !== generation) {
        stamp[doc] = generation;
        score[doc] = 0;
        coverage[doc] = 0;
        lastTerm[doc] = -1;
        tierOf[doc] = 0;
        touched[touchedCount++] = doc;
      }
      score[doc] = (score[doc] as number) + w * (impacts[i] as number);
      if (lastTerm[doc] !== termIndex) {
        lastTerm[doc] = termIndex;
        coverage[doc] = (coverage[doc] as number) + weight;
      }
    }
    return touchedCount;
  }

  function search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = Math.floor(options.limit ?? DEFAULT_LIMIT);
    if (!(limit > 0)) return [];
    const normalized = normalize(query.slice(0, MAX_QUERY_CHARS));
    const compactQuery = normalized.replace(NOT_WORD, '');
    if (compactQuery.length === 0) return [];

    // A new generation marks every document untouched without clearing the arrays.
    generation = generation === 0xffffffff ? 1 : generation + 1;
    if (generation === 1) stamp.fill(0);
    let touchedCount = 0;

    // Accumulate each term's impacts; coverage (the summed weights of the query terms a document
    // matches) rewards matching more of what was asked, and literal terms more than implied ones.
    const weights = queryWeights(normalized, compactQuery, rules);
    const matchedPostings: [string, Postings][] = [];
    let termIndex = 0;
    for (const [term, weight] of weights) {
      for (const [indexTerm, factor] of expand(term)) {
        const list = postings.get(indexTerm) as Postings;
        matchedPostings.push([indexTerm, list]);
        touchedCount = accumulate(list, weight * factor, weight, termIndex, touchedCount);
      }
      termIndex++;
    }
    let top = 0;
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] as number;
      score[doc] = (score[doc] as number) * (coverage[doc] as number);
      top = Math.max(top, score[doc] as number);
    }
    const tierDocs = tiers(compactQuery);
    for (const [doc, tier] of tierDocs) {
      if (stamp[doc] !== generation) {
        stamp[doc] = generation;
        score[doc] = 0;
        touched[touchedCount++] = doc;
      }
      tierOf[doc] = tier;
    }
    if (touchedCount === 0) return [];

    // Tiers come first whatever the text scores; folding them into the score keeps the score
    // monotonic with the order. Then the best `limit`, kept sorted by insertion: limit is small.
    const step = Math.ceil(top) + 1;
    let bestScore = top;
    for (const [doc, tier] of tierDocs) {
      bestScore = Math.max(bestScore, (score[doc] as number) + tier * step);
    }
    const cutoff = bestScore * MIN_SHARE_OF_BEST;
    const filter = options.filter;
    const best: { doc: number; score: number; rank: number }[] = [];
    let floorScore = -Infinity; // the last kept hit, once `limit` are kept
    let floorRank = -1;
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] as number;
      const final = (score[doc] as number) + (tierOf[doc] as number) * step;
      const rank = codeRank[doc] as number;
      if (final < cutoff) continue;
      if (final < floorScore || (final === floorScore && rank > floorRank)) continue;
      if (filter && !filter(items[doc] as ItemContent)) continue;
      let at = best.length;
      for (; at > 0; at--) {
        const above = best[at - 1]!;
        if (final < above.score || (final === above.score && rank > above.rank)) break;
      }
      best.splice(at, 0, { doc, score: final, rank });
      if (best.length > limit) best.pop();
      if (best.length === limit) ({ score: floorScore, rank: floorRank } = best[limit - 1]!);
    }

    return best.map(({ doc, score: final }) => {
      const matched = new Set<string>();
      let fieldBits = 0;
      for (const [term, list] of matchedPostings) {
        const at = indexOf(list.docs, doc);
        if (at < 0) continue;
        // Whole-phrase terms are for ranking; their words are in the list to highlight.
        if (!term.startsWith('#')) matched.add(term);
        fieldBits |= list.fields[at] as number;
      }
      const item = items[doc] as ItemContent;
      const fields = FIELDS.filter((_, i) => fieldBits & (1 << i)) as string[];
      if (tierOf[doc] === 3) {
        matched.add(item.code);
        fields.push('code');
      }
      return {
        code: item.code,
        score: final,
        matched: [...matched].sort(byLengthThenText),
        fields,
      };
    });
  }

  return { size: count, search };
}

function stringList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && v.trim().length > 0)
  );
}

/** Reads and checks the synonym table (default `data/catalog/synonyms.yaml`). */
export function loadSynonyms(file: string = SYNONYMS_FILE): SynonymTable {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(data)) {
    throw new Error(`${file}: expected a list of { say: [...], means: [...] } entries`);
  }
  return data.map((entry: unknown, i): SynonymRule => {
    const rule = entry as { say?: unknown; means?: unknown } | null;
    if (!rule || !stringList(rule.say) || !stringList(rule.means)) {
      throw new Error(
        `${file}: entry ${i + 1} needs "say" and "means", each a non-empty list of phrases`,
      );
    }
    return { say: rule.say, means: rule.means };
  });
}
