// The evaluator benchmark flag of bench/eval_bench.cc in two JavaScript
// engines, offline, same machine, same contexts:
//   new-checkout: tenants in a 1,000-key block list off; plan enterprise on;
//   region apac/latam off; email on @corp.example on; else 25% rollout.
// - @openfeature/flagd-core: the flag as flagd JSON (JsonLogic + fractional);
// - @launchdarkly/node-server-sdk: the flag and segment as LaunchDarkly flag
//   data through TestData (no network).
// Prints microseconds per evaluation. Run: node bench/node/eval_compare.mjs
// (from the repository root; packages from tests/e2e/node_modules).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../../tests/e2e/package.json', import.meta.url));
const { FlagdCore } = require('@openfeature/flagd-core');
const ld = require('@launchdarkly/node-server-sdk');

const kContexts = 1024;
const blocked = Array.from({ length: 1000 }, (_, i) => `tenant-${i * 7}`);
const plans = ['free', 'pro', 'enterprise', 'team'];
const regions = ['eu', 'us', 'apac', 'latam', 'eu'];
const contexts = Array.from({ length: kContexts }, (_, i) => ({
  targetingKey: `tenant-${i * 3}`,
  plan: plans[i % 4],
  region: regions[i % 5],
  email: `user${i}` + (i % 9 === 0 ? '@corp.example' : '@mail.example'),
}));

function measure(name, evaluate, iterations) {
  for (let i = 0; i < 20000; i++) evaluate(contexts[i % kContexts]);  // warm up
  const start = performance.now();
  let on = 0;
  for (let i = 0; i < iterations; i++) if (evaluate(contexts[i % kContexts])) on++;
  const us = ((performance.now() - start) * 1000) / iterations;
  console.log(`${name}: ${us.toFixed(3)} us/eval (${on} on of ${iterations})`);
  return us;
}

function flagdCore() {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify({
    flags: {
      'new-checkout': {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: {
          if: [
            { in: [{ var: 'targetingKey' }, blocked] }, 'off',
            { '==': [{ var: 'plan' }, 'enterprise'] }, 'on',
            { in: [{ var: 'region' }, ['apac', 'latam']] }, 'off',
            { ends_with: [{ var: 'email' }, '@corp.example'] }, 'on',
            { fractional: [['on', 25], ['off', 75]] },
          ],
        },
      },
    },
  }));
  return (ctx) => core.resolveBooleanEvaluation('new-checkout', false, ctx, console).value;
}

async function launchDarkly() {
  const td = new ld.integrations.TestData();
  await td.usePreconfiguredSegment({ key: 'blocked', version: 1, included: blocked, rules: [] });
  const clause = (attribute, op, values) => ({ attribute, op, values, negate: false });
  await td.usePreconfiguredFlag({
    key: 'new-checkout', version: 1, on: true, offVariation: 1, salt: 'new-checkout',
    variations: [true, false],
    rules: [
      { id: 'blocked', variation: 1, clauses: [clause('', 'segmentMatch', ['blocked'])] },
      { id: 'enterprise', variation: 0, clauses: [clause('plan', 'in', ['enterprise'])] },
      { id: 'region', variation: 1, clauses: [clause('region', 'in', ['apac', 'latam'])] },
      { id: 'corp', variation: 0, clauses: [clause('email', 'endsWith', ['@corp.example'])] },
    ],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 25000 }, { variation: 1, weight: 75000 }] } },
    targets: [], prerequisites: [],
  });
  const client = ld.init('sdk-offline', {
    updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true,
    logger: ld.basicLogger({ level: 'none' }),
  });
  await client.waitForInitialization({ timeout: 5 });
  const ldContexts = new Map(contexts.map((c) => [c, {
    kind: 'user', key: c.targetingKey, plan: c.plan, region: c.region, email: c.email,
  }]));
  // variationDetail is async in the Node SDK; time the awaited calls.
  return { client, ldContexts };
}

async function measureAsync(name, client, ldContexts, iterations) {
  for (let i = 0; i < 20000; i++) await client.variation('new-checkout', ldContexts.get(contexts[i % kContexts]), false);
  const start = performance.now();
  let on = 0;
  for (let i = 0; i < iterations; i++) {
    if (await client.variation('new-checkout', ldContexts.get(contexts[i % kContexts]), false)) on++;
  }
  const us = ((performance.now() - start) * 1000) / iterations;
  console.log(`${name}: ${us.toFixed(3)} us/eval (${on} on of ${iterations})`);
  return us;
}

const iterations = Number(process.env.ITERATIONS || 200000);
measure('@openfeature/flagd-core 4.0.1', flagdCore(), iterations);
const { client, ldContexts } = await launchDarkly();
await measureAsync('@launchdarkly/node-server-sdk 9.13.7 (offline, TestData)', client, ldContexts, iterations);
client.close();
