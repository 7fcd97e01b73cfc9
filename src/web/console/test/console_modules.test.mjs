// Unit tests of the console's pure modules (node --test): hash routes,
// query strings, problem parsing, the role mirror and the SSE splitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { href, parseHash } from '../src/router.js';
import { ApiError, queryString } from '../src/api.js';
import { can } from '../src/roles.js';
import { takeEvents } from '../src/live.js';

test('parseHash splits path segments and parameters', () => {
  assert.deepEqual(parseHash('#/identities/a%2Fb?status=active&q=pay'), {
    path: '/identities/a%2Fb', segments: ['identities', 'a/b'], params: { status: 'active', q: 'pay' },
  });
  assert.deepEqual(parseHash(''), { path: '/', segments: [], params: {} });
});

test('href and queryString leave out empty members', () => {
  assert.equal(href('/inventory', { q: 'a b', owner: '', kind: null }), '#/inventory?q=a+b');
  assert.equal(href('/inventory'), '#/inventory');
  assert.equal(queryString({ environment: 'production', cursor: '', limit: 50 }), '?environment=production&limit=50');
  assert.equal(queryString({}), '');
});

test('ApiError reads the problem slug', () => {
  const error = new ApiError(403, { type: 'urn:warden:problem:csrf-token-invalid', detail: 'missing token' });
  assert.equal(error.slug, 'csrf-token-invalid');
  assert.equal(error.message, 'missing token');
  assert.equal(new ApiError(500, {}).message, 'HTTP 500');
});

test('the role mirror offers actions only to roles the API allows', () => {
  assert.equal(can({ role: 'auditor' }, 'identity.lifecycle'), false);
  assert.equal(can({ role: 'auditor' }, 'limit.set'), false);
  assert.equal(can({ role: 'auditor' }, 'approval.decide'), false);
  assert.equal(can({ role: 'auditor' }, 'audit.read'), true);
  assert.equal(can({ role: 'account_manager' }, 'approval.decide'), true);
  assert.equal(can({ role: 'account_manager' }, 'audit.read'), false);
  assert.equal(can({ role: 'security' }, 'limit.set'), true);
  assert.equal(can(null, 'flag.read'), false);
});

test('takeEvents splits complete events and keeps the rest', () => {
  const { events, rest } = takeEvents(
    'id: r-1\nevent: config\ndata: {}\n\n: heartbeat\n\nid: r-2\nevent: change\ndata: {"patch":{}}\n\nid: r-3\nevent: cha');
  assert.deepEqual(events, ['config', 'change']);
  assert.equal(rest, 'id: r-3\nevent: cha');
  assert.deepEqual(takeEvents(`${rest}nge\ndata: {}\n\n`).events, ['change']);
  assert.deepEqual(takeEvents('data: x\r\n\r\n').events, ['message']);
  assert.deepEqual(takeEvents('event: change\r').events, []);
});
