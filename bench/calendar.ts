// Deadlines per second: addWorkingDays (prefix sums) against naiveAddWorkingDays (day by day) on
// the same calendar and the same pre-generated inputs, measured in the same run.
import chineseDays from 'chinese-days';
import {
  createWorkCalendar,
  naiveAddWorkingDays,
  type Deadline,
  type WorkCalendar,
} from '../src/platform/calendar';

const INPUTS = 20_000;
const REPETITIONS = 5;
const MIN_SECONDS = 0.3; // each measurement runs whole passes over the inputs for at least this long
const FIRST = Date.parse('2024-01-01T00:00:00+08:00');
const LAST = Date.parse('2027-01-01T00:00:00+08:00');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface Input {
  start: Date;
  n: number;
}

type Step = (input: Input) => number;

const KEYS = ['fast', 'naive', 'lean', 'library'] as const;
type Key = (typeof KEYS)[number];

// mulberry32: a seeded generator, so every run measures the same inputs.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function makeInputs(): Input[] {
  const next = random(20_251_001);
  return Array.from({ length: INPUTS }, () => ({
    start: new Date(FIRST + Math.floor(next() * (LAST - FIRST))),
    n: 1 + Math.floor(next() * 60),
  }));
}

// The cheapest day loop possible: typed-array reads, no strings, the same Deadline to allocate.
// Context only: it shows how much of the gain is the algorithm and how much the per-day cost.
function leanLoop(calendar: WorkCalendar, start: Date, n: number): Deadline {
  const { firstDay, kinds, provisional } = calendar.days;
  let index = Math.floor((start.getTime() + 8 * HOUR_MS) / DAY_MS) - firstDay;
  let anyProvisional = false;
  for (let left = n; left > 0;) {
    index++;
    anyProvisional ||= provisional[index] === 1;
    const kind = kinds[index];
    if (kind === 0 || kind === 3) left--;
  }
  return { due: new Date((firstDay + index) * DAY_MS + 9 * HOUR_MS), provisional: anyProvisional };
}

function measure(step: Step, inputs: readonly Input[]): number {
  let checksum = 0;
  let operations = 0;
  let elapsed = 0;
  const began = process.hrtime.bigint();
  do {
    for (const input of inputs) checksum += step(input);
    operations += inputs.length;
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

function checkSameAnswers(calendar: WorkCalendar, inputs: readonly Input[]): void {
  for (const { start, n } of inputs) {
    const fast = calendar.addWorkingDays(start, n);
    const naive = naiveAddWorkingDays(calendar, start, n);
    const lean = leanLoop(calendar, start, n);
    const same = (other: Deadline) =>
      other.due.getTime() === fast.due.getTime() && other.provisional === fast.provisional;
    if (!same(naive) || !same(lean)) {
      throw new Error(`The implementations disagree on ${start.toISOString()} + ${n}`);
    }
  }
}

/** Prints the figures and, last, `BENCH calendar ops_per_s=… baseline_ops_per_s=… ratio=…`. */
export async function run(): Promise<void> {
  const buildStart = performance.now();
  const calendar = createWorkCalendar();
  const buildMs = performance.now() - buildStart;
  const inputs = makeInputs();
  checkSameAnswers(calendar, inputs);

  const dueMs = (deadline: Deadline) => deadline.due.getTime() / 1e6;
  const steps: Record<Key, Step> = {
    fast: ({ start, n }) => dueMs(calendar.addWorkingDays(start, n)),
    naive: ({ start, n }) => dueMs(naiveAddWorkingDays(calendar, start, n)),
    lean: ({ start, n }) => dueMs(leanLoop(calendar, start, n)),
    // chinese-days' own day-by-day findWorkday (national data only): a real-world walk.
    library: ({ start, n }) => chineseDays.findWorkday(n, start).length,
  };

  for (const key of KEYS) measure(steps[key], inputs); // warm-up, so the JIT has settled
  const runs: Record<Key, number[]> = { fast: [], naive: [], lean: [], library: [] };
  for (let i = 0; i < REPETITIONS; i++) {
    // Interleaved, so a noisy neighbour slows every contender alike.
    for (const key of KEYS) runs[key].push(measure(steps[key], inputs));
  }
  const [fast, naive, lean, library] = KEYS.map((key) => median(runs[key])) as [
    number,
    number,
    number,
    number,
  ];

  console.log(
    `calendar: ${INPUTS.toLocaleString('en-US')} deadlines (starts 2024–2026, n = 1..60 working days), ` +
      `calendar built in ${buildMs.toFixed(0)} ms, median of ${REPETITIONS} runs of ≥ ${MIN_SECONDS} s each`,
  );
  const line = (label: string, key: Key) =>
    console.log(
      `  ${label.padEnd(44)}${Math.round(median(runs[key])).toLocaleString('en-US').padStart(12)} ops/s` +
        `   runs: ${runs[key].map((v) => Math.round(v)).join(', ')}`,
    );
  line('addWorkingDays (prefix sums)', 'fast');
  line('naiveAddWorkingDays (day by day, baseline)', 'naive');
  line('context: typed-array day loop', 'lean');
  line('context: chinese-days findWorkday', 'library');
  console.log(
    `  addWorkingDays is ${(fast / naive).toFixed(1)}× the baseline, ${(fast / lean).toFixed(1)}× the ` +
      `typed-array loop, ${(fast / library).toFixed(1)}× findWorkday`,
  );
  console.log(
    `BENCH calendar ops_per_s=${Math.round(fast)} baseline_ops_per_s=${Math.round(naive)} ratio=${(fast / naive).toFixed(1)}`,
  );
}
