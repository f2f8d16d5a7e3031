/** Writes data/insight/measures.json from the seed documents: `npx tsx src/insight/measures-cli.ts`. */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parseSeedDocument } from './measures';

const seeds = new URL('../../../shared/seeds/', import.meta.url);
const out = new URL('../../data/insight/measures.json', import.meta.url);

const files = (await readdir(seeds)).filter((f) => f.endsWith('.txt')).sort();
const documents = [];
for (const file of files) {
  const text = await readFile(new URL(file, seeds), 'utf8');
  documents.push(parseSeedDocument(file.replace(/\.txt$/, ''), text));
}
await mkdir(new URL('.', out), { recursive: true });
// Written as Prettier would, so `npm run lint` passes on the regenerated file.
const options = await resolveConfig(fileURLToPath(out));
await writeFile(out, await format(JSON.stringify({ documents }), { ...options, parser: 'json' }));
for (const d of documents) console.log(`${d.key} ${d.letter ?? '-'} measures=${d.measures.length}`);
