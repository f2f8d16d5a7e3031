// Runs the named benchmarks (`npm run bench -- calendar`) or, with no name, every module in this
// folder; each exports `run(): Promise<void>` and prints its own figures.
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';

interface Benchmark {
  run(): Promise<void>;
}

const folder = new URL('.', import.meta.url);
const available = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.test.ts'))
  .map((file) => basename(file, '.ts'))
  .sort();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}

for (const name of wanted.length > 0 ? wanted : available) {
  const module = (await import(new URL(`./${name}.ts`, folder).href)) as Benchmark;
  await module.run();
}
