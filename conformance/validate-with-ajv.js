// Validate the conformance suite with Ajv (JSON Schema 2020-12, strict mode): the schema files
// as a non-Python consumer uses them. Prints one JSON line per case: {file, valid, expected}.
//
//   npm install ajv@8 ajv-formats@3
//   node conformance/validate-with-ajv.js [REPO_ROOT]
//
// Exit status 0 when every verdict matches manifest.json, 1 otherwise.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats");

const root = process.argv[2] || path.join(__dirname, "..");
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
ajv.addKeyword("x-caption"); // our one annotation keyword (a table-2 row's caption)
const validators = {};
for (const edition of ["2021", "2019"]) {
  const file = path.join(root, "schemas", edition, "report.schema.json");
  validators[edition] = ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")));
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, "conformance", "manifest.json"), "utf8"));
let mismatches = 0;
for (const c of manifest.cases) {
  const document = JSON.parse(fs.readFileSync(path.join(root, "conformance", c.file), "utf8"));
  const validate = validators[document.format] || validators[c.file.split("/")[0]];
  const valid = validate(document);
  if (valid !== c.schema_valid) mismatches += 1;
  console.log(JSON.stringify({ file: c.file, valid, expected: c.schema_valid, errors: valid ? [] : validate.errors.slice(0, 3) }));
}
process.exit(mismatches ? 1 : 0);
