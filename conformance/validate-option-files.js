// Validate option files (scoring packs, hierarchies, baselines) with Ajv (JSON Schema 2020-12,
// strict mode): the schemas in schemas/*.schema.json as a non-Python consumer uses them.
//
//   npm install ajv@8 ajv-formats@3
//   node conformance/validate-option-files.js REPO_ROOT SCHEMA_NAME FILE...
//
// Prints one JSON line per file: {file, valid, errors}. Exit status 0 when every file could
// be read and the schema compiled in strict mode (whatever the verdicts), 2 otherwise.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats");

const [root, schemaName, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
let validate;
try {
  const file = path.join(root, "schemas", schemaName);
  validate = ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")));
} catch (error) {
  console.error(`${schemaName}: ${error.message}`);
  process.exit(2);
}
for (const file of files) {
  const document = JSON.parse(fs.readFileSync(file, "utf8"));
  const valid = validate(document);
  console.log(JSON.stringify({ file, valid, errors: valid ? [] : validate.errors.slice(0, 3) }));
}
