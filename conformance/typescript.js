// The JSON Schema for TypeScript consumers: generate schemas/<edition>/report.d.ts with
// json-schema-to-typescript, and type-check the suite's valid documents with tsc --strict.
//
//   npm install json-schema-to-typescript@15 typescript@5
//   node conformance/typescript.js generate 2021 > schemas/2021/report.d.ts
//   node conformance/typescript.js check [REPO_ROOT]
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");

const EDITIONS = ["2021", "2019"];

async function generate(root, edition) {
  const { compile } = require("json-schema-to-typescript");
  const file = path.join(root, "schemas", edition, "report.schema.json");
  const schema = JSON.parse(fs.readFileSync(file, "utf8"));
  // TypeScript names come from the $defs keys and the root's name: the Chinese titles would
  // become type names, and the allOf (an unread cell is null) has no TypeScript form
  (function strip(node) {
    if (Array.isArray(node)) return node.forEach(strip);
    if (node && typeof node === "object") {
      delete node.title;
      Object.values(node).forEach(strip);
    }
  })(schema);
  delete schema.allOf;
  const name = `Report${edition}`;
  schema.title = name;
  const banner =
    `// Generated from schemas/${edition}/report.schema.json by conformance/typescript.js; ` +
    "do not edit.\n";
  return banner + (await compile(schema, name, {
    bannerComment: "",
    format: false,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
  }));
}

function check(root) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "conformance", "manifest.json"), "utf8"));
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "gd-tsc-"));
  for (const edition of EDITIONS) {
    fs.copyFileSync(path.join(root, "schemas", edition, "report.d.ts"), path.join(folder, `report${edition}.d.ts`));
  }
  const files = [];
  manifest.cases.filter(c => c.schema_valid).forEach((c, i) => {
    const text = fs.readFileSync(path.join(root, "conformance", c.file), "utf8");
    const edition = JSON.parse(text).format;
    const source = path.join(folder, `case${i}.ts`);
    // an object literal, so that literal types and excess properties are checked
    fs.writeFileSync(
      source,
      `import type { Report${edition} } from "./report${edition}";\n` +
      `// ${c.file}\nexport const report: Report${edition} = ${text};\n`
    );
    files.push(source);
  });
  const tsc = require.resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "--strict", "--noEmit", "--target", "es2020", ...files], { stdio: "inherit" });
  console.log(JSON.stringify({ checked: files.length }));
}

const [command, arg, root = path.join(__dirname, "..")] = process.argv.slice(2);
if (command === "generate") {
  generate(root, arg).then(text => process.stdout.write(text));
} else if (command === "check") {
  check(arg || root);
} else {
  console.error("usage: typescript.js generate EDITION | check [ROOT]");
  process.exit(2);
}
