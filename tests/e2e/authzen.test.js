// Warden as an OpenID AuthZEN Authorization API 1.0 policy decision point,
// end to end: a real `warden serve`, the interop Todo policy proposed to
// production by one security user and approved by another (four eyes), an
// sdk token of production as the enforcement point, and
//   - the published interop decision cases (tests/e2e/authzen/
//     todo-decisions.json) compared the way openid/authzen's interop runner
//     (interop/authzen-todo-backend/test/runner.ts) compares them:
//     data.decision for /evaluation, JSON.stringify(data.evaluations) for
//     /evaluations;
//   - every answer validated with Ajv (draft 2020-12) against JSON Schemas
//     written from the specification (tests/e2e/authzen/schemas/);
//   - the metadata document, the three searches (expected results worked
//     out from the policy and cross-checked against /evaluation), the
//     evaluations semantics, X-Request-ID, and the refusals (401, 403, 400
//     problem+json).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { WardenServer } from './warden_server.js';

const here = new URL('.', import.meta.url).pathname;
const schemaDir = join(here, 'authzen', 'schemas');
const schemaBase = 'https://warden.local/schemas/authzen/';
const policyPath = join(here, '..', '..', 'examples', 'policies', 'todo.policy.json');
const cases = JSON.parse(await readFile(join(here, 'authzen', 'todo-decisions.json'), 'utf8'));
const policy = JSON.parse(await readFile(policyPath, 'utf8'));

// The policy's users, by first name (Rick, Morty, Summer, Beth, Jerry).
const users = Object.fromEntries(policy.entities
  .filter((e) => e.type === 'user')
  .map((e) => [e.attributes.name.split(' ')[0].toLowerCase(), e]));
const nameOf = Object.fromEntries(Object.entries(users).map(([name, e]) => [e.id, name]));
const todoId = '7240d0db-8ff0-41ec-98b2-34a096273b9f';
const todoOwnedBy = (who) => ({
  type: 'todo', id: todoId, properties: { ownerID: users[who].attributes.email },
});
const asUser = (who) => ({ type: 'user', id: users[who].id });

let server;
let sdkToken;       // the enforcement point: an sdk token of production
let paula;          // security user who proposes
let quinn;          // security user who approves
let metadata;       // GET /.well-known/authzen-configuration
const validators = {};

async function loadSchemas() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  for (const file of (await readdir(schemaDir)).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(await readFile(join(schemaDir, file), 'utf8')));
  }
  for (const name of ['access-evaluation-response', 'access-evaluations-response',
    'search-subject-response', 'search-resource-response', 'search-action-response',
    'pdp-metadata']) {
    validators[name] = ajv.getSchema(`${schemaBase}${name}.json`);
    assert.ok(validators[name], `schema ${name} did not compile`);
  }
}

function assertSchema(name, data) {
  const validate = validators[name];
  assert.ok(validate(data),
    `${name}: ${JSON.stringify(validate.errors, null, 2)}\nanswer: ${JSON.stringify(data)}`);
}

// POSTs to an AuthZEN endpoint as the enforcement point would. Returns
// {status, headers, data, text, requestId}; asserts the X-Request-ID came
// back unless `requestId` is false.
async function pdp(path, body, { token = sdkToken, requestId = randomUUID(), raw } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (requestId) headers['x-request-id'] = requestId;
  const url = path.startsWith('http') ? path : server.url + path;
  const response = await fetch(url, {
    method: 'POST', headers, body: raw !== undefined ? raw : JSON.stringify(body),
  });
  const text = await response.text();
  let data;
  try { data = JSON.parse(text); } catch { data = undefined; }
  if (requestId) {
    assert.equal(response.headers.get('x-request-id'), requestId,
      `${path} (${response.status}) did not echo X-Request-ID`);
  }
  return { status: response.status, headers: response.headers, data, text, requestId };
}

async function evaluate(request) {
  const answer = await pdp(metadata.access_evaluation_endpoint, request);
  assert.equal(answer.status, 200, answer.text);
  assertSchema('access-evaluation-response', answer.data);
  return answer.data;
}

async function evaluations(request) {
  const answer = await pdp(metadata.access_evaluations_endpoint, request);
  assert.equal(answer.status, 200, answer.text);
  assertSchema('access-evaluations-response', answer.data);
  return answer.data.evaluations;
}

// Every page of a search, each validated; returns the results in order.
async function searchAll(kind, request, limit) {
  const results = [];
  let token = '';
  for (let pages = 0; pages < 20; pages++) {
    const page = {};
    if (limit) page.limit = limit;
    if (token) page.token = token;
    const body = Object.keys(page).length ? { ...request, page } : request;
    const answer = await pdp(metadata[`search_${kind}_endpoint`], body);
    assert.equal(answer.status, 200, answer.text);
    assertSchema(`search-${kind}-response`, answer.data);
    const { results: got, page: { next_token: next, count } } = answer.data;
    assert.equal(count, got.length, 'page.count counts the results of the page');
    if (limit) assert.ok(got.length <= limit, `${got.length} results over limit ${limit}`);
    results.push(...got);
    if (next === '') return results;
    token = next;
  }
  assert.fail('a search that never ends');
}

function describeCase(request) {
  const who = nameOf[request.subject?.id] ?? request.subject?.id;
  const what = request.resource?.properties?.ownerID
    ? `${request.resource.type} of ${request.resource.properties.ownerID}`
    : `${request.resource?.type} ${request.resource?.id}`;
  return `${who} ${request.action?.name} ${what}`;
}

before(async () => {
  await loadSchemas();
  server = await WardenServer.start();
  for (const name of ['paula', 'quinn']) {
    await server.api('POST', '/v1/users', { name, role: 'security' });
  }
  paula = (await server.api('POST', '/v1/tokens', { user: 'paula' })).token;
  quinn = (await server.api('POST', '/v1/tokens', { user: 'quinn' })).token;
  sdkToken = (await server.api('POST', '/v1/tokens',
    { role: 'sdk', environment: 'production', description: 'todo PEP' })).token;
});

after(async () => {
  await server?.stop();
});

test('the PDP metadata names every endpoint under the server URL', async () => {
  const response = await fetch(`${server.url}/.well-known/authzen-configuration`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  metadata = await response.json();
  assertSchema('pdp-metadata', metadata);
  // "policy_decision_point" must be the identifier the document was fetched
  // under (section "Policy Decision Point Metadata Validation").
  assert.equal(metadata.policy_decision_point, server.url);
  assert.deepEqual(metadata, {
    policy_decision_point: server.url,
    access_evaluation_endpoint: `${server.url}/access/v1/evaluation`,
    access_evaluations_endpoint: `${server.url}/access/v1/evaluations`,
    search_subject_endpoint: `${server.url}/access/v1/search/subject`,
    search_resource_endpoint: `${server.url}/access/v1/search/resource`,
    search_action_endpoint: `${server.url}/access/v1/search/action`,
  });
});

test('the Todo policy reaches production through a second security user', async () => {
  // No policy yet: production denies everything.
  const none = await evaluate({
    subject: asUser('rick'), action: { name: 'can_read_todos' }, resource: todoOwnedBy('rick'),
  });
  assert.equal(none.decision, false);
  assert.equal(none.context?.id, 'no-policy');

  const proposed = await fetch(`${server.url}/v1/access/policies/production/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${paula}`, 'content-type': 'application/json' },
    body: JSON.stringify({ policy, reason: 'CHG-7 the interop Todo policy' }),
  });
  const pending = await proposed.json();
  assert.equal(proposed.status, 202, JSON.stringify(pending));
  assert.equal(pending.state, 'pending');
  assert.ok(pending.approval_id, 'a production proposal waits for an approval');

  // The proposer's own human may not approve it.
  const self = await fetch(`${server.url}/v1/approvals/${pending.approval_id}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${paula}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'mine' }),
  });
  assert.equal(self.status, 403, await self.text());
  // Still pending: still no policy.
  assert.equal((await evaluate({
    subject: asUser('rick'), action: { name: 'can_read_todos' }, resource: todoOwnedBy('rick'),
  })).decision, false);

  await server.api('POST', `/v1/approvals/${pending.approval_id}/approve`,
    { reason: 'reviewed the role table' }, quinn);
  const active = await server.api('GET', '/v1/access/policies/production', undefined, quinn);
  assert.equal(active.version, 1);
  assert.equal(active.state, 'active');
  assert.equal(active.decided_by, 'quinn');
  assert.deepEqual(active.document, policy);
});

test('the interop evaluation cases (POST /access/v1/evaluation)', async (t) => {
  assert.equal(cases.evaluation.length, 40);
  for (const [i, { request, expected }] of cases.evaluation.entries()) {
    await t.test(`#${i + 1} ${describeCase(request)} -> ${expected}`, async () => {
      const answer = await pdp(metadata.access_evaluation_endpoint, request);
      assert.equal(answer.status, 200, answer.text);
      assertSchema('access-evaluation-response', answer.data);
      // The runner's comparison: data.decision || false.
      assert.equal(answer.data.decision || false, expected,
        `reasons: ${JSON.stringify(answer.data.context)}`);
      assert.equal(answer.data.context?.policy?.environment, 'production');
      assert.equal(answer.data.context?.policy?.version, 1);
    });
  }
});

test('the interop evaluations cases (POST /access/v1/evaluations)', async (t) => {
  assert.equal(cases.evaluations.length, 3);
  for (const [i, { request, expected }] of cases.evaluations.entries()) {
    await t.test(`#${i + 1} ${nameOf[request.subject.id]} ${request.action.name} x${request.evaluations.length}`,
      async () => {
        const answer = await pdp(metadata.access_evaluations_endpoint, request);
        assert.equal(answer.status, 200, answer.text);
        assertSchema('access-evaluations-response', answer.data);
        // The runner's comparison, byte for byte: no extra members.
        assert.equal(JSON.stringify(answer.data.evaluations || []), JSON.stringify(expected));
      });
  }
});

test('subject search: who may update a todo', async () => {
  // can_update_todo: evil_genius grants it (Rick); editors-change-own-todos
  // permits an editor (Morty, Summer; Rick inherits editor) whose email is
  // the todo's ownerID. Policy order.
  const search = (owner) => ({
    subject: { type: 'user' }, action: { name: 'can_update_todo' }, resource: todoOwnedBy(owner),
  });
  const expected = {
    morty: ['rick', 'morty'],
    summer: ['rick', 'summer'],
    jerry: ['rick'],   // a viewer owns it: only the evil genius
    rick: ['rick'],
  };
  for (const [owner, who] of Object.entries(expected)) {
    const results = await searchAll('subject', search(owner));
    assert.deepEqual(results, who.map((w) => asUser(w)), `todo of ${owner}`);
    // Cross-check: exactly the users an evaluation permits.
    for (const [name, entity] of Object.entries(users)) {
      const { decision } = await evaluate({ ...search(owner), subject: { type: 'user', id: entity.id } });
      assert.equal(decision, who.includes(name), `${name} on the todo of ${owner}`);
    }
  }
  // Paged one at a time, the same two.
  assert.deepEqual(await searchAll('subject', search('morty'), 1), [asUser('rick'), asUser('morty')]);
});

test('resource search over users, paged', async () => {
  // anyone-reads: every user may can_read_user; the five users in policy order.
  const allUsers = policy.entities.filter((e) => e.type === 'user').map((e) => ({ type: 'user', id: e.id }));
  assert.equal(allUsers.length, 5);
  const request = { subject: asUser('beth'), action: { name: 'can_read_user' }, resource: { type: 'user' } };
  assert.deepEqual(await searchAll('resource', request), allUsers);
  assert.deepEqual(await searchAll('resource', request, 2), allUsers);

  // The pages themselves: 2, 2, 1, the last with an empty next_token.
  const first = await pdp(metadata.search_resource_endpoint, { ...request, page: { limit: 2 } });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.data.results.length, 2);
  assert.notEqual(first.data.page.next_token, '');
  const second = await pdp(metadata.search_resource_endpoint,
    { ...request, page: { limit: 2, token: first.data.page.next_token } });
  assert.deepEqual(second.data.results, allUsers.slice(2, 4));
  const third = await pdp(metadata.search_resource_endpoint,
    { ...request, page: { limit: 2, token: second.data.page.next_token } });
  assert.deepEqual(third.data.results, allUsers.slice(4));
  assert.equal(third.data.page.next_token, '');
  for (const page of [first, second, third]) assertSchema('search-resource-response', page.data);

  // Nobody may delete a user; there are no todo entities to enumerate.
  assert.deepEqual(await searchAll('resource',
    { ...request, action: { name: 'can_delete_todo' } }), []);
  assert.deepEqual(await searchAll('resource',
    { subject: asUser('rick'), action: { name: 'can_read_todos' }, resource: { type: 'todo' } }), []);
});

test('action search: what Rick and Morty may do on a todo', async () => {
  // The policy's actions, sorted; Rick (admin, evil_genius) holds them all.
  const all = ['can_create_todo', 'can_delete_todo', 'can_read_todos', 'can_read_user', 'can_update_todo'];
  const expected = [
    ['rick', 'morty', all],
    ['morty', 'morty', all],  // an editor on its own todo
    ['morty', 'rick', ['can_create_todo', 'can_read_todos', 'can_read_user']],
    ['jerry', 'morty', ['can_read_todos', 'can_read_user']],
  ];
  for (const [who, owner, actions] of expected) {
    const request = { subject: asUser(who), resource: todoOwnedBy(owner) };
    const results = await searchAll('action', request);
    assert.deepEqual(results, actions.map((name) => ({ name })), `${who} on the todo of ${owner}`);
    for (const name of all) {
      const { decision } = await evaluate({ ...request, action: { name } });
      assert.equal(decision, actions.includes(name), `${who} ${name} on the todo of ${owner}`);
    }
  }
  assert.deepEqual(await searchAll('action', { subject: asUser('rick'), resource: todoOwnedBy('morty') }, 2),
    all.map((name) => ({ name })));
});

test('options.evaluations_semantic stops where it should', async () => {
  // Beth is a viewer: reads, creates nothing.
  const batch = (semantic, actions, extra = {}) => ({
    subject: asUser('beth'),
    resource: todoOwnedBy('beth'),
    evaluations: actions.map((name) => ({ action: { name } })),
    ...(semantic ? { options: { evaluations_semantic: semantic, ...extra } } : {}),
  });
  const permitDenyPermit = ['can_read_todos', 'can_create_todo', 'can_read_user'];
  const decisions = (items) => items.map((item) => item.decision);

  assert.deepEqual(decisions(await evaluations(batch(undefined, permitDenyPermit))), [true, false, true]);
  assert.deepEqual(decisions(await evaluations(batch('execute_all', permitDenyPermit))), [true, false, true]);
  assert.deepEqual(await evaluations(batch('deny_on_first_deny', permitDenyPermit)),
    [{ decision: true }, { decision: false }]);
  assert.deepEqual(await evaluations(batch('permit_on_first_permit', permitDenyPermit)),
    [{ decision: true }]);
  // Nothing to stop at: every item answers.
  assert.deepEqual(decisions(await evaluations(batch('deny_on_first_deny',
    ['can_read_todos', 'can_read_user']))), [true, true]);
  assert.deepEqual(decisions(await evaluations(batch('permit_on_first_permit',
    ['can_create_todo', 'can_delete_todo', 'can_update_todo']))), [false, false, false]);
  assert.deepEqual(decisions(await evaluations(batch('permit_on_first_permit',
    ['can_create_todo', 'can_delete_todo', 'can_read_user', 'can_read_todos']))), [false, false, true]);

  // With reasons, the stopping item says why.
  const reasoned = await evaluations(batch('deny_on_first_deny', permitDenyPermit, { include_reasons: true }));
  assert.equal(reasoned.length, 2);
  assert.equal(reasoned[0].context.id, 'rule:anyone-reads');
  assert.equal(reasoned[1].decision, false);
  assert.equal(reasoned[1].context.id, 'no-permit');

  // An item that cannot be read is a denial with an error, and the batch goes on.
  const withBadItem = await evaluations({
    subject: asUser('beth'), action: { name: 'can_read_todos' },
    evaluations: [{ resource: todoOwnedBy('beth') }, { resource: { type: 'todo' } }, { resource: todoOwnedBy('rick') }],
  });
  assert.equal(withBadItem.length, 3);
  assert.equal(withBadItem[0].decision, true);
  assert.equal(withBadItem[1].decision, false);
  assert.equal(withBadItem[1].context?.error?.status, 400);
  assert.match(withBadItem[1].context.error.message, /resource\.id/);
  assert.equal(withBadItem[2].decision, true);

  // Without items, /evaluations answers as /evaluation.
  const single = await pdp(metadata.access_evaluations_endpoint,
    { subject: asUser('beth'), action: { name: 'can_read_todos' }, resource: todoOwnedBy('beth') });
  assert.equal(single.status, 200, single.text);
  assertSchema('access-evaluation-response', single.data);
  assert.equal(single.data.decision, true);
});

test('X-Request-ID: a well-formed one is adopted, another is replaced', async () => {
  const request = { subject: asUser('rick'), action: { name: 'can_read_user' }, resource: asUser('beth') };
  for (const id of ['a', 'req-1.2:3_x', 'x'.repeat(128)]) {
    await pdp(metadata.access_evaluation_endpoint, request, { requestId: id });
  }
  for (const bad of ['x'.repeat(129), 'has space', 'semi;colon']) {
    const response = await fetch(metadata.access_evaluation_endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${sdkToken}`, 'content-type': 'application/json', 'x-request-id': bad },
      body: JSON.stringify(request),
    });
    assert.equal(response.status, 200, await response.text());
    const made = response.headers.get('x-request-id');
    assert.ok(made && made !== bad, `a malformed X-Request-ID (${bad}) must not be echoed: ${made}`);
  }
});

test('no Authorization: 401 on every decision endpoint; metadata stays public', async () => {
  const body = { subject: asUser('rick'), action: { name: 'can_read_user' }, resource: asUser('beth') };
  for (const endpoint of ['access_evaluation_endpoint', 'access_evaluations_endpoint',
    'search_subject_endpoint', 'search_resource_endpoint', 'search_action_endpoint']) {
    const answer = await pdp(metadata[endpoint], body, { token: null });
    assert.equal(answer.status, 401, `${endpoint}: ${answer.text}`);
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/i, endpoint);
    assert.notEqual(answer.data?.decision, true);
  }
  const wrong = await pdp(metadata.access_evaluation_endpoint, body, { token: 'wdn_not-a-token' });
  assert.equal(wrong.status, 401, wrong.text);
  // A user without access.evaluate (an auditor) is refused.
  await server.api('POST', '/v1/users', { name: 'audrey', role: 'auditor' });
  const auditor = (await server.api('POST', '/v1/tokens', { user: 'audrey' })).token;
  const refused = await pdp(metadata.access_evaluation_endpoint, body, { token: auditor });
  assert.equal(refused.status, 403, refused.text);
});

test('malformed requests: 400 application/problem+json', async () => {
  const endpoints = ['access_evaluation_endpoint', 'access_evaluations_endpoint',
    'search_subject_endpoint', 'search_resource_endpoint', 'search_action_endpoint'];
  for (const endpoint of endpoints) {
    for (const raw of ['{', '{"subject": ', 'not json', '[]', '"subject"', '']) {
      const answer = await pdp(metadata[endpoint], undefined, { raw });
      assert.equal(answer.status, 400, `${endpoint} ${JSON.stringify(raw)}: ${answer.status} ${answer.text}`);
      assert.match(answer.headers.get('content-type'), /^application\/problem\+json/,
        `${endpoint} ${JSON.stringify(raw)}`);
      assert.equal(answer.data?.status, 400, answer.text);
      assert.equal(typeof answer.data?.title, 'string', answer.text);
    }
  }
  // A missing member is named.
  const missing = await pdp(metadata.access_evaluation_endpoint,
    { subject: { type: 'user' }, action: { name: 'can_read_user' }, resource: asUser('beth') });
  assert.equal(missing.status, 400, missing.text);
  assert.match(missing.headers.get('content-type'), /^application\/problem\+json/);
  assert.match(missing.data.detail, /subject\.id is required/);
  for (const [endpoint, body, member] of [
    ['access_evaluation_endpoint', { subject: asUser('rick'), resource: asUser('beth') }, /action/],
    ['access_evaluation_endpoint', { subject: asUser('rick'), action: { name: 'can_read_user' }, resource: { id: 'x' } }, /resource\.type/],
    ['search_subject_endpoint', { action: { name: 'can_read_user' }, resource: asUser('beth') }, /subject/],
    ['search_resource_endpoint', { subject: asUser('rick'), action: { name: 'can_read_user' } }, /resource/],
    ['search_action_endpoint', { resource: asUser('beth') }, /subject/],
    ['search_action_endpoint', { subject: asUser('rick'), resource: asUser('beth'), page: { limit: -1 } }, /page\.limit/],
    ['search_action_endpoint', { subject: asUser('rick'), resource: asUser('beth'), page: { limit: 'ten' } }, /page\.limit/],
  ]) {
    const answer = await pdp(metadata[endpoint], body);
    assert.equal(answer.status, 400, `${endpoint} ${JSON.stringify(body)}: ${answer.text}`);
    assert.match(answer.headers.get('content-type'), /^application\/problem\+json/);
    assert.match(answer.data.detail ?? '', member, answer.text);
  }
});

test('a page token of an older policy version is refused', async () => {
  const request = { subject: asUser('beth'), action: { name: 'can_read_user' }, resource: { type: 'user' }, page: { limit: 2 } };
  const first = await pdp(metadata.search_resource_endpoint, request);
  assert.equal(first.status, 200, first.text);
  const token = first.data.page.next_token;
  assert.notEqual(token, '');

  // Version 2 (same document, another reason), approved by the other human.
  const { approval_id: approval } = await server.api('POST', '/v1/access/policies/production/versions',
    { policy, reason: 'CHG-8 re-approval' }, quinn);
  await server.api('POST', `/v1/approvals/${approval}/approve`, { reason: 'reviewed' }, paula);
  const active = await server.api('GET', '/v1/access/policies/production', undefined, paula);
  assert.equal(active.version, 2);

  const stale = await pdp(metadata.search_resource_endpoint, { ...request, page: { limit: 2, token } });
  assert.equal(stale.status, 400, stale.text);
  assert.match(stale.headers.get('content-type'), /^application\/problem\+json/);
  assert.match(stale.text, /stale-page-token/);
  // Decisions now name version 2.
  const decision = await evaluate({ subject: asUser('rick'), action: { name: 'can_read_user' }, resource: asUser('beth') });
  assert.equal(decision.context.policy.version, 2);
});

test('the schemas refuse answers that break the specification', () => {
  const refused = {
    'access-evaluation-response': [{}, { decision: 'true' }, { decision: 1 }, { decision: true, context: [] },
      { decision: true, allowed: true }],
    'access-evaluations-response': [{}, { evaluations: {} }, { evaluations: [{ decision: null }] },
      { evaluations: [{ decision: false, context: { error: { status: '400', message: 'm' } } }] }],
    'search-subject-response': [{}, { results: [{ type: 'user' }] },
      { results: [], page: {} }, { results: [], page: { next_token: null } },
      { results: [], page: { next_token: '', count: -1 } }],
    'search-resource-response': [{ results: {} }, { results: [{ id: 'x' }] }],
    'search-action-response': [{ results: [{ id: 'x' }] }, { results: [{ name: 3 }] }],
    'pdp-metadata': [{}, { policy_decision_point: 'https://pdp.example.com' },
      { policy_decision_point: 'https://pdp.example.com?x=1', access_evaluation_endpoint: 'https://pdp.example.com/e' },
      { policy_decision_point: 'https://pdp.example.com', access_evaluation_endpoint: 'https://pdp.example.com/e',
        search_subject_endpoint: 7 }],
  };
  for (const [name, answers] of Object.entries(refused)) {
    for (const answer of answers) {
      assert.equal(validators[name](answer), false, `${name} accepted ${JSON.stringify(answer)}`);
    }
  }
  // The specification's own examples pass.
  assertSchema('pdp-metadata', {
    policy_decision_point: 'https://pdp.mycompany.com',
    access_evaluation_endpoint: 'https://pdp.mycompany.com/access/v1/evaluation',
    search_subject_endpoint: 'https://pdp.mycompany.com/access/v1/search/subject',
    search_resource_endpoint: 'https://pdp.mycompany.com/access/v1/search/resource',
  });
  assertSchema('access-evaluations-response', { evaluations: [{ decision: true },
    { decision: false, context: { error: { status: 404, message: 'Resource not found' } } },
    { decision: false, context: { reason: 'Subject is a viewer of the resource' } }] });
});
