// JS baselines for the evaluator benchmark (bench/eval_bench.cc,
// BM_WardenBooleanFlag): the same "new-checkout" flag -- 1,000 blocked
// tenants, three attribute rules, a 25% rollout -- evaluated in-process by
// @openfeature/flagd-core and by the LaunchDarkly Node server SDK fed by
// its TestData source (no network). Packages come from tests/e2e (npm ci
// there first).
//
// Usage: node bench/js/eval_baseline.mjs [ITERATIONS=200000]
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../tests/e2e/package.json', import.meta.url));
const { FlagdCore } = require('@openfeature/flagd-core');
const ld = require('@launchdarkly/node-server-sdk');
const { TestData } = require('@launchdarkly/node-server-sdk/integrations');

const iterations = Number(process.argv[2] ?? 200000);
const kBlocked = 1000;
const kContexts = 1024;
const blocked = Array.from({ length: kBlocked }, (_, i) => `tenant-${i * 7}`);
const plans = ['free', 'pro', 'enterprise', 'team'];
const regions = ['eu', 'us', 'apac', 'latam', 'eu'];
const contexts = Array.from({ length: kContexts }, (_, i) => ({
  targetingKey: `tenant-${i * 3}`,
  plan: plans[i % 4],
  region: regions[i % 5],
  email: `user${i}${i % 9 === 0 ? '@corp.example' : '@mail.example'}`,
}));

function report(name, started, count) {
  const ns = Number(process.hrtime.bigint() - started) / count;
  console.log(`${name.padEnd(40)} ${ns.toFixed(0).padStart(8)} ns/evaluation`);
}

function flagdCore() {
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const core = new FlagdCore(undefined, quiet);
  core.setConfigurations(JSON.stringify({
    flags: {
      'new-checkout': {
        state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off',
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
  let on = 0;
  for (let i = 0; i < 10000; ++i) core.resolveBooleanEvaluation('new-checkout', false, contexts[i % kContexts], quiet);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; ++i) {
    if (core.resolveBooleanEvaluation('new-checkout', false, contexts[i % kContexts], quiet).value) ++on;
  }
  report('@openfeature/flagd-core 4.0.1', started, iterations);
  return on;
}

async function launchDarkly() {
  const td = new TestData();
  const clause = (attribute, op, values) => ({ attribute, op, values, contextKind: 'user', negate: false });
  td.usePreconfiguredFlag({
    key: 'new-checkout', version: 1, on: true, variations: [true, false], offVariation: 1,
    targets: [{ variation: 1, values: blocked }],
    rules: [
      { id: 'enterprise', clauses: [clause('plan', 'in', ['enterprise'])], variation: 0 },
      { id: 'region', clauses: [clause('region', 'in', ['apac', 'latam'])], variation: 1 },
      { id: 'corp', clauses: [clause('email', 'endsWith', ['@corp.example'])], variation: 0 },
    ],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 25000 }, { variation: 1, weight: 75000 }] } },
    salt: 'new-checkout',
  });
  const client = ld.init('sdk-offline-bench', {
    updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true,
    logger: ld.basicLogger({ level: 'none' }),
  });
  await client.waitForInitialization({ timeout: 10 });
  const ldContexts = contexts.map((c) => ({
    kind: 'user', key: c.targetingKey, plan: c.plan, region: c.region, email: c.email,
  }));
  for (let i = 0; i < 10000; ++i) await client.variation('new-checkout', ldContexts[i % kContexts], false);
  let on = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; ++i) {
    if (await client.variation('new-checkout', ldContexts[i % kContexts], false)) ++on;
  }
  report('@launchdarkly/node-server-sdk 9.13.7', started, iterations);
  client.close();
  return on;
}

const a = flagdCore();
const b = await launchDarkly();
console.log(`share on: flagd-core ${(a / iterations).toFixed(3)}, launchdarkly ${(b / iterations).toFixed(3)}`);
