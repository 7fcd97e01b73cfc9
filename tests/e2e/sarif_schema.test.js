// The SARIF log of a secret scan against the official SARIF 2.1.0 JSON
// schema (the copy bundled by @microsoft/jest-sarif, pinned by
// package-lock.json), validated with Ajv. warden_sarif_sample writes a tree
// with one generated fake secret per rule, scans it and prints the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const schemaPath = join(
  require.resolve('@microsoft/jest-sarif/package.json'), '..',
  'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

async function sampleLog() {
  const binary = process.env.WARDEN_SARIF_SAMPLE;
  if (!binary) throw new Error('WARDEN_SARIF_SAMPLE is not set');
  const dir = await mkdtemp(join(tmpdir(), 'warden-sarif-'));
  try {
    const { stdout } = await run(binary, [dir], { maxBuffer: 64 << 20 });
    const source = await readFile(join(dir, 'src', 'settings.py'), 'utf8');
    return { text: stdout, log: JSON.parse(stdout), source };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function validator() {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
  // The schema's language-tag pattern is not valid under the 'u' flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

test('the secret scan SARIF log validates against the SARIF 2.1.0 schema', async () => {
  const [{ log }, validate] = await Promise.all([sampleLog(), validator()]);
  const valid = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  assert.equal(log.version, '2.1.0');
  const run0 = log.runs[0];
  assert.ok(run0.results.length >= run0.tool.driver.rules.length - 5);
  for (const result of run0.results) {
    assert.equal(run0.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.match(result.partialFingerprints.primaryLocationLineHash, /^[0-9a-f]+:\d+$/);
    const location = result.locations[0].physicalLocation;
    assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(location.artifactLocation.uri, 'src/settings.py');
  }
  for (const rule of run0.tool.driver.rules) {
    assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
  }
});

test('a log that breaks the schema is rejected', async () => {
  const [{ log }, validate] = await Promise.all([sampleLog(), validator()]);
  const broken = structuredClone(log);
  broken.runs[0].results[0].level = 'fatal';
  assert.equal(validate(broken), false);
  const noDriver = structuredClone(log);
  delete noDriver.runs[0].tool.driver;
  assert.equal(validate(noDriver), false);
});

test('no generated secret appears in the log', async () => {
  const { text, source } = await sampleLog();
  const secrets = [...source.matchAll(/"([^"]{12,})"/g)].map((m) => m[1]);
  assert.ok(secrets.length > 100);
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `a secret leaked into the log`);
  }
});
