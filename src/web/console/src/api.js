// The console's one door to the server: same-origin fetches of the public
// /v1 API. Unsafe methods carry the session's CSRF token; a 401 tells the
// listeners (the shell goes back to sign-in). Problems (RFC 9457) become
// ApiError with their slug, status and detail.

const kProblemPrefix = 'urn:warden:problem:';
const kSafeMethods = new Set(['GET', 'HEAD']);

let csrfToken = null;
// Development only: an API token, kept in memory (never in storage), used
// when the server has no console sessions.
let bearerToken = null;
const unauthorizedListeners = new Set();

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.slug = (problem.type || '').startsWith(kProblemPrefix)
      ? problem.type.slice(kProblemPrefix.length) : '';
  }
}

export function setCsrfToken(token) { csrfToken = token || null; }
export function setBearerToken(token) { bearerToken = token || null; }
export function usesBearerToken() { return bearerToken !== null; }
export function authorizationHeaders() {
  return bearerToken ? { authorization: `Bearer ${bearerToken}` } : {};
}

export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

// "?a=1&b=x" from the non-empty members of `params` ("" when none).
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// Resolves to the parsed JSON body (null for 204); rejects with ApiError.
// `expectUnauthorized`: a 401 is the caller's business (sign-in checks).
export async function api(method, path, body, { signal, expectUnauthorized } = {}) {
  const headers = { accept: 'application/json', ...authorizationHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!kSafeMethods.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = { detail: text.slice(0, 200) }; }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json || {});
    if (response.status === 401 && !expectUnauthorized) {
      unauthorizedListeners.forEach((listener) => listener(error));
    }
    throw error;
  }
  return json;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body ?? {}, options);
