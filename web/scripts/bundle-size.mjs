// Prints the initial JavaScript of the built dashboard, gzipped: the entry chunk with what it
// imports statically, then, per page, what opening it adds. Fails the build past the budget
// (issue 6: 300 KB gzipped for the initial load).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 300 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const gzipped = new Map();
const sizeOf = (file) => {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(join(dist, file))).length);
  return gzipped.get(file);
};
/** A chunk and everything it imports statically (what the browser must fetch before it runs). */
const closure = (key, seen = new Set()) => {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dependency of manifest[key].imports ?? []) closure(dependency, seen);
  return seen;
};
const total = (keys) => [...keys].reduce((sum, key) => sum + sizeOf(manifest[key].file), 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
const initial = closure(entryKey);
const initialBytes = total(initial);
console.log(
  `entry chunk ${manifest[entryKey].file}: ${kb(sizeOf(manifest[entryKey].file))} gzipped`,
);
console.log(`initial JS: ${kb(initialBytes)} gzipped (budget ${kb(BUDGET_BYTES)})`);
for (const key of manifest[entryKey].dynamicImports ?? []) {
  const page = new Set([...closure(key)].filter((dependency) => !initial.has(dependency)));
  const name = key
    .split('/')
    .pop()
    .replace(/\.tsx?$/, '');
  console.log(
    `  + ${name}: ${kb(total(page))} gzipped (first view total ${kb(initialBytes + total(page))})`,
  );
}
if (initialBytes > BUDGET_BYTES) {
  console.error('initial JS is over budget: split more of it out with React.lazy');
  process.exit(1);
}
