import { CREDIT_GRADES, KINDS, SEXES, SIZES, dayDate, dayNumber, type Dossier } from './rule';

// Dossiers stored by column, so a condition is one tight loop over one typed array (matcher.ts).
//
// Missing values are sentinels that no compiled condition accepts, which makes the null bitmap
// implicit and free to test: enums and dictionary codes store 0 (their lookup tables map 0 to
// "no"), numbers NaN (every comparison with NaN is false), day numbers and counts INT32_MIN (the
// integer ranges the matcher builds start above it). Sets (licences, tags) are stored inverted:
// one bitset of subjects per value, so `has` is a copy of one bitset and a subject's membership is
// one bit test; memory is one bit per subject per distinct value seen.

/** The smallest Int32: a missing day number or count. */
export const MISSING_INT = -2_147_483_648;

/** A growable dictionary of codes: code ↔ index, index 0 meaning "missing". */
export class Dictionary {
  readonly codes: string[] = [''];
  readonly #index = new Map<string, number>();

  /** The index of a code, adding it if new. */
  intern(code: string): number {
    let index = this.#index.get(code);
    if (index === undefined) {
      index = this.codes.length;
      this.codes.push(code);
      this.#index.set(code, index);
    }
    return index;
  }

  /** The index of a code, or undefined if never seen. */
  find(code: string): number | undefined {
    return this.#index.get(code);
  }

  /** How many indexes are in use, the missing 0 included. */
  get size(): number {
    return this.codes.length;
  }
}

const enumIndex = (values: readonly string[]) =>
  new Map(values.map((value, i) => [value, i + 1] as const));
const KIND_INDEX = enumIndex(KINDS);
const SIZE_INDEX = enumIndex(SIZES);
const GRADE_INDEX = enumIndex(CREDIT_GRADES);
const SEX_INDEX = enumIndex(SEXES);

/** The enum attributes with their stored values (index + 1; 0 missing). */
export const ENUM_VALUES = {
  kind: KINDS,
  size: SIZES,
  creditGrade: CREDIT_GRADES,
  sex: SEXES,
} as const;

/** One set-valued attribute: a dictionary of its values and a bitset of subjects per value. */
export class SetColumn {
  readonly values = new Dictionary();
  /** postings[valueIndex] = bitset of the subjects holding that value (index 0 unused). */
  postings: (Uint32Array | undefined)[] = [undefined];
  #words: number;

  constructor(words: number) {
    this.#words = words;
  }

  /** The bitset of subjects holding `code`, or undefined if nobody does. */
  posting(code: string): Uint32Array | undefined {
    const index = this.values.find(code);
    return index === undefined ? undefined : this.postings[index];
  }

  /** Whether subject `row` holds `code`. */
  has(row: number, code: string): boolean {
    const posting = this.posting(code);
    return posting !== undefined && ((posting[row >>> 5]! >>> (row & 31)) & 1) === 1;
  }

  /** The values subject `row` holds, in dictionary order. */
  of(row: number): string[] {
    const held: string[] = [];
    for (let i = 1; i < this.postings.length; i++) {
      const posting = this.postings[i];
      if (posting && ((posting[row >>> 5]! >>> (row & 31)) & 1) === 1)
        held.push(this.values.codes[i]!);
    }
    return held;
  }

  /** Replaces subject `row`'s values. */
  set(row: number, codes: readonly string[] | undefined): void {
    const word = row >>> 5;
    const bit = 1 << (row & 31);
    for (const posting of this.postings) if (posting) posting[word]! &= ~bit;
    for (const code of codes ?? []) {
      const index = this.values.intern(code);
      let posting = this.postings[index];
      if (!posting) posting = this.postings[index] = new Uint32Array(this.#words);
      posting[word]! |= bit;
    }
  }

  /** Grows every bitset to `words` words. */
  grow(words: number): void {
    this.#words = words;
    this.postings = this.postings.map((p) => {
      if (!p) return p;
      const bigger = new Uint32Array(words);
      bigger.set(p);
      return bigger;
    });
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(
  array: T,
  size: number,
  fill?: number,
): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  if (fill !== undefined) bigger.fill(fill, array.length);
  return bigger;
}

/**
 * The dossiers of many subjects as typed-array columns, row `i` being subject `i`. Built from
 * plain dossiers; `append` adds one subject and `update` replaces one (for incremental matching).
 */
export class DossierColumns {
  /** Number of subjects. */
  length = 0;
  #capacity: number;

  kind: Uint8Array;
  size: Uint8Array;
  creditGrade: Uint8Array;
  sex: Uint8Array;
  /** Index into `regions` (0 missing). */
  region: Int32Array;
  /** Index into `industries` (0 missing). */
  industry: Int32Array;
  /** Day numbers (days since 1970-01-01), MISSING_INT missing. */
  foundedOn: Int32Array;
  birthDate: Int32Array;
  /** 万元, NaN missing. */
  revenue: Float64Array;
  /** Percent, NaN missing. */
  revenueGrowth: Float64Array;
  /** MISSING_INT missing. */
  employees: Int32Array;
  readonly licences: SetColumn;
  readonly tags: SetColumn;
  readonly regions = new Dictionary();
  readonly industries = new Dictionary();

  constructor(capacity = 1024) {
    this.#capacity = Math.max(32, Math.ceil(capacity / 32) * 32);
    const n = this.#capacity;
    this.kind = new Uint8Array(n);
    this.size = new Uint8Array(n);
    this.creditGrade = new Uint8Array(n);
    this.sex = new Uint8Array(n);
    this.region = new Int32Array(n);
    this.industry = new Int32Array(n);
    this.foundedOn = new Int32Array(n).fill(MISSING_INT);
    this.birthDate = new Int32Array(n).fill(MISSING_INT);
    this.revenue = new Float64Array(n).fill(NaN);
    this.revenueGrowth = new Float64Array(n).fill(NaN);
    this.employees = new Int32Array(n).fill(MISSING_INT);
    this.licences = new SetColumn(n >>> 5);
    this.tags = new SetColumn(n >>> 5);
  }

  /** Columns holding these dossiers, in order. */
  static from(dossiers: readonly Dossier[]): DossierColumns {
    const columns = new DossierColumns(dossiers.length);
    for (const dossier of dossiers) columns.append(dossier);
    return columns;
  }

  /** Number of 32-bit words a bitset over these subjects has. */
  get words(): number {
    return (this.length + 31) >>> 5;
  }

  /** Adds a subject at the end; returns its row. */
  append(dossier: Dossier): number {
    if (this.length === this.#capacity) this.#grow(this.#capacity * 2);
    const row = this.length++;
    this.update(row, dossier);
    return row;
  }

  /** Replaces the dossier of subject `row`. */
  update(row: number, d: Dossier): void {
    if (row < 0 || row >= this.length) throw new RangeError(`no subject at row ${row}`);
    this.kind[row] = d.kind === undefined ? 0 : (KIND_INDEX.get(d.kind) ?? 0);
    this.size[row] = d.size === undefined ? 0 : (SIZE_INDEX.get(d.size) ?? 0);
    this.creditGrade[row] = d.creditGrade === undefined ? 0 : (GRADE_INDEX.get(d.creditGrade) ?? 0);
    this.sex[row] = d.sex === undefined ? 0 : (SEX_INDEX.get(d.sex) ?? 0);
    this.region[row] = d.region === undefined ? 0 : this.regions.intern(d.region);
    this.industry[row] = d.industry === undefined ? 0 : this.industries.intern(d.industry);
    this.foundedOn[row] = d.foundedOn === undefined ? MISSING_INT : dayNumber(d.foundedOn);
    this.birthDate[row] = d.birthDate === undefined ? MISSING_INT : dayNumber(d.birthDate);
    this.revenue[row] = d.revenue ?? NaN;
    this.revenueGrowth[row] = d.revenueGrowth ?? NaN;
    this.employees[row] = d.employees === undefined ? MISSING_INT : d.employees;
    this.licences.set(row, d.licences);
    this.tags.set(row, d.tags);
  }

  /** Subject `row`'s dossier read back from the columns. */
  dossier(row: number): Dossier {
    const d: Dossier = {};
    const pick = <T>(values: readonly T[], stored: number) =>
      stored === 0 ? undefined : values[stored - 1];
    const set = (key: keyof Dossier, value: unknown) => {
      if (value !== undefined) (d as Record<string, unknown>)[key] = value;
    };
    set('kind', pick(KINDS, this.kind[row]!));
    set('region', this.region[row] ? this.regions.codes[this.region[row]!] : undefined);
    set('industry', this.industry[row] ? this.industries.codes[this.industry[row]!] : undefined);
    set('size', pick(SIZES, this.size[row]!));
    const founded = this.foundedOn[row]!;
    set('foundedOn', founded === MISSING_INT ? undefined : dayDate(founded));
    set('revenue', Number.isNaN(this.revenue[row]) ? undefined : this.revenue[row]);
    set(
      'revenueGrowth',
      Number.isNaN(this.revenueGrowth[row]) ? undefined : this.revenueGrowth[row],
    );
    set('employees', this.employees[row] === MISSING_INT ? undefined : this.employees[row]);
    set('creditGrade', pick(CREDIT_GRADES, this.creditGrade[row]!));
    const licences = this.licences.of(row);
    if (licences.length > 0) d.licences = licences;
    const tags = this.tags.of(row);
    if (tags.length > 0) d.tags = tags;
    const born = this.birthDate[row]!;
    set('birthDate', born === MISSING_INT ? undefined : dayDate(born));
    set('sex', pick(SEXES, this.sex[row]!));
    return d;
  }

  #grow(capacity: number): void {
    this.#capacity = capacity;
    this.kind = grown(this.kind, capacity);
    this.size = grown(this.size, capacity);
    this.creditGrade = grown(this.creditGrade, capacity);
    this.sex = grown(this.sex, capacity);
    this.region = grown(this.region, capacity);
    this.industry = grown(this.industry, capacity);
    this.foundedOn = grown(this.foundedOn, capacity, MISSING_INT);
    this.birthDate = grown(this.birthDate, capacity, MISSING_INT);
    this.revenue = grown(this.revenue, capacity, NaN);
    this.revenueGrowth = grown(this.revenueGrowth, capacity, NaN);
    this.employees = grown(this.employees, capacity, MISSING_INT);
    this.licences.grow(capacity >>> 5);
    this.tags.grow(capacity >>> 5);
  }
}
