// The OpenFeature JS server SDK with its OFREP provider (from the npm
// registry, pinned by package-lock.json) against a running Warden.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { WardenServer } from './warden_server.js';

const flagd = {
  flags: {
    'dark-mode': {
      state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off',
      targeting: { if: [{ '==': [{ var: 'targetingKey' }, 'acme'] }, 'on', null] },
    },
    banner: { state: 'ENABLED', variants: { a: 'hello', b: 'bye' }, defaultVariant: 'a' },
    'max-items': { state: 'ENABLED', variants: { small: 10, big: 100 }, defaultVariant: 'big' },
    theme: {
      state: 'ENABLED', variants: { light: { bg: 'white' }, dark: { bg: 'black' } },
      defaultVariant: 'dark',
    },
    legacy: { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
  },
};

let server;
let client;

before(async () => {
  server = await WardenServer.start();
  const file = join(server.dataDir, 'flags.json');
  await writeFile(file, JSON.stringify(flagd));
  await server.cli('flag', 'import', '--env', 'development', file);
  const sdkToken = await server.cli('token', 'create', '--role', 'sdk', '--env', 'development');
  await OpenFeature.setProviderAndWait(
    new OFREPProvider({ baseUrl: server.url, headers: [['X-API-Key', sdkToken]] }));
  client = OpenFeature.getClient();
});

after(async () => {
  await OpenFeature.close();
  await server.stop();
});

test('boolean flag follows targeting', async () => {
  const acme = await client.getBooleanDetails('dark-mode', false, { targetingKey: 'acme' });
  assert.equal(acme.value, true);
  assert.equal(acme.variant, 'on');
  assert.equal(acme.reason, 'TARGETING_MATCH');
  const other = await client.getBooleanDetails('dark-mode', true, { targetingKey: 'globex' });
  assert.equal(other.value, false);
  assert.equal(other.reason, 'DEFAULT');
});

test('string, number and object flags', async () => {
  assert.equal(await client.getStringValue('banner', 'x', { targetingKey: 't' }), 'hello');
  assert.equal(await client.getNumberValue('max-items', 0, { targetingKey: 't' }), 100);
  assert.deepEqual(await client.getObjectValue('theme', {}, { targetingKey: 't' }), { bg: 'black' });
});

test('unknown flag: caller default with FLAG_NOT_FOUND', async () => {
  const details = await client.getBooleanDetails('nope', true, { targetingKey: 't' });
  assert.equal(details.value, true);
  assert.equal(details.reason, 'ERROR');
  assert.equal(details.errorCode, 'FLAG_NOT_FOUND');
});

test('disabled flag: this provider version falls back to the caller default', async () => {
  // The server answers 200 with reason DISABLED and no value (OFREP 0.3.0);
  // provider 0.1.3 refuses a success body without a value ("does not match
  // the expected format") and returns the caller's default.
  const details = await client.getBooleanDetails('legacy', false, { targetingKey: 't' });
  assert.equal(details.value, false);
  assert.equal(details.reason, 'ERROR');
  assert.equal(details.errorCode, 'GENERAL');
  const other = await client.getBooleanDetails('legacy', true, { targetingKey: 't' });
  assert.equal(other.value, true);
});

test('type mismatch: caller default with TYPE_MISMATCH', async () => {
  const details = await client.getNumberDetails('banner', 7, { targetingKey: 't' });
  assert.equal(details.value, 7);
  assert.equal(details.errorCode, 'TYPE_MISMATCH');
});
