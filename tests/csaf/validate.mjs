// Validates CSAF 2.0 documents or provider-metadata files against the official OASIS schemas.
// Usage: node validate.mjs <document|provider> file1.json [file2.json ...]
// Prints one line per error ("file: /instance/path message"); exits 0 when every file is valid,
// 1 when any is not, 2 when the validator itself cannot run.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const schemaIds = {
  document: "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json",
  provider: "https://docs.oasis-open.org/csaf/csaf/v2.0/provider_json_schema.json",
};

const [kind, ...files] = process.argv.slice(2);
if (!(kind in schemaIds) || files.length === 0) {
  console.error("usage: node validate.mjs <document|provider> file1.json [file2.json ...]");
  process.exit(2);
}

// Imported here rather than statically so a missing install reads as one actionable line,
// and exits 2, which callers cannot mistake for "the document is invalid".
let Ajv2020, addFormats, draft07MetaSchema;
try {
  ({ default: Ajv2020 } = await import("ajv/dist/2020.js"));
  ({ default: addFormats } = await import("ajv-formats"));
  draft07MetaSchema = readJson(join(here, "node_modules/ajv/dist/refs/json-schema-draft-07.json"));
} catch (error) {
  console.error(`ajv is not installed (${error.code ?? error.message}); run: npm ci --prefix tests/csaf`);
  process.exit(2);
}

// strict is off because the FIRST CVSS schemas carry non-schema keywords ("license", draft-04 "id").
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addMetaSchema(draft07MetaSchema);

// The CSAF schema refers to the CVSS schemas by URLs without the "?date" their own ids carry,
// so each is registered under the URL CSAF uses; nothing is fetched.
addCvss("cvss-v2.0.json", "https://www.first.org/cvss/cvss-v2.0.json");
addCvss("cvss-v3.0.json", "https://www.first.org/cvss/cvss-v3.0.json");
addCvss("cvss-v3.1.json", "https://www.first.org/cvss/cvss-v3.1.json");
ajv.addSchema(readJson(join(here, "schemas/csaf_json_schema.json")));
ajv.addSchema(readJson(join(here, "schemas/provider_json_schema.json")));
const validate = ajv.getSchema(schemaIds[kind]);

let invalid = false;
for (const file of files) {
  let data;
  try {
    data = readJson(file);
  } catch (error) {
    console.log(`${file}: / cannot be read as JSON: ${error.message}`);
    invalid = true;
    continue;
  }
  if (!validate(data)) {
    invalid = true;
    for (const error of validate.errors) console.log(`${file}: ${error.instancePath || "/"} ${describe(error)}`);
  }
}
process.exit(invalid ? 1 : 0);

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function addCvss(fileName, url) {
  const schema = readJson(join(here, "schemas", fileName));
  if (schema.$schema === "http://json-schema.org/draft-04/schema#") {
    // Ajv 8 has no draft-04 meta-schema. These two use only keywords that mean the same in
    // draft 2020-12 (type, enum, pattern, minimum, maximum, required, properties, definitions,
    // plain $ref), so they are checked and compiled as 2020-12 instead.
    delete schema.$schema;
    delete schema.id;
  }
  ajv.addSchema(schema, url);
}

function describe(error) {
  if (error.keyword === "additionalProperties") return `${error.message}: "${error.params.additionalProperty}"`;
  if (error.keyword === "enum") return `${error.message}: ${error.params.allowedValues.map(v => JSON.stringify(v)).join(", ")}`;
  return error.message;
}
