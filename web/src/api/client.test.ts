import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jwt, loadedConfig } from '../test/fakes';
import type { Tokens } from '../auth/cognito';

const cognito = vi.hoisted(() => ({ refresh: vi.fn(), revoke: vi.fn() }));
vi.mock('../auth/cognito', () => cognito);

const tokens = (n: number, minutesLeft = 60): Tokens => ({
  idToken: jwt({ n, exp: Math.floor(Date.now() / 1000 + minutesLeft * 60) }), accessToken: 'a', refreshToken: 'refresh-1', expiresAt: Date.now() + minutesLeft * 60_000,
});
const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Problem', status, code, detail, ...extra }), { status, headers: { 'Content-Type': 'application/problem+json' } });

let api: typeof import('./client');
let session: typeof import('../auth/session');
/** What the fake API received: method, URL, headers, body. */
let requests: { method: string; url: string; headers: Headers; body: string }[];
function answer(...responses: (Response | Error)[]) {
  vi.stubGlobal('fetch', vi.fn(async (request: Request) => {
    requests.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
    const next = responses.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }));
}

beforeEach(async () => {
  await loadedConfig();
  api = await import('./client');
  session = await import('../auth/session');
  cognito.refresh.mockReset();
  requests = [];
});

describe('API client', () => {
  it('sends the ID token as Bearer to the configured API and returns the body', async () => {
    const t = tokens(1);
    session.saveTokens(t);
    answer(Response.json({ userId: 'u1', email: 'ada@example.com', memberships: [], invitations: [] }));
    const me = await api.call(api.client().GET('/v1/me'));
    expect(me.email).toBe('ada@example.com');
    expect(requests[0].url).toBe('https://api.example.test/v1/me');
    expect(requests[0].headers.get('Authorization')).toBe(`Bearer ${t.idToken}`);
  });

  it('a problem+json error is an ApiError with the problem\'s detail as message, its code and field', async () => {
    session.saveTokens(tokens(1));
    answer(problem(400, 'invalid-field', 'name must be 1 to 100 characters', { field: 'name' }));
    const error = await api.call(api.client().POST('/v1/organizations', { body: { name: '' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(api.ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid-field', field: 'name', message: 'name must be 1 to 100 characters' });
  });

  it('an error without a problem body still says what happened; no answer at all is a network error', async () => {
    session.saveTokens(tokens(1));
    answer(new Response('gateway timeout', { status: 504 }), new TypeError('Failed to fetch'));
    await expect(api.call(api.client().GET('/v1/me'))).rejects.toMatchObject({ status: 504, message: 'The server answered 504.' });
    await expect(api.call(api.client().GET('/v1/me'))).rejects.toMatchObject({ status: 0, network: true, message: 'The server cannot be reached.' });
  });

  it('If-Match carries the version as an ETag; a stale one comes back as version-mismatch', async () => {
    session.saveTokens(tokens(1));
    answer(problem(412, 'version-mismatch', 'The team changed: it is at version 4, not 3.', { currentVersion: 4 }));
    const call = api.call(api.client().PUT('/v1/organizations/{orgId}/teams/{teamId}/budget', {
      params: { path: { orgId: 'o1', teamId: 't1' }, header: { 'If-Match': api.etag(3) } }, body: { mode: 'SHARED_POOL' },
    }));
    await expect(call).rejects.toMatchObject({ status: 412, code: 'version-mismatch' });
    expect(requests[0].headers.get('If-Match')).toBe('"3"');
    expect(requests[0].method).toBe('PUT');
    expect(JSON.parse(requests[0].body)).toEqual({ mode: 'SHARED_POOL' });
  });

  it('a 401 refreshes the tokens once and sends the same request again (headers and body kept)', async () => {
    session.saveTokens(tokens(1));
    const fresh = tokens(2);
    cognito.refresh.mockResolvedValue(fresh);
    answer(problem(401, 'unauthorized', 'The token has expired.'), Response.json({ orgId: 'o1', name: 'Acme' }, { status: 201 }));
    await api.call(api.client().POST('/v1/organizations', { body: { name: 'Acme' } }));
    expect(requests).toHaveLength(2);
    expect(requests[1].headers.get('Authorization')).toBe(`Bearer ${fresh.idToken}`);
    expect(requests[1].body).toBe(JSON.stringify({ name: 'Acme' }));
    expect(session.currentTokens()).toEqual(fresh);
  });

  it('a 401 that a refresh cannot fix: the session is cleared and the app is sent to sign-in', async () => {
    session.saveTokens(tokens(1));
    cognito.refresh.mockRejectedValue(Object.assign(new Error('Refresh Token has been revoked'), { name: 'NotAuthorizedException' }));
    const toSignIn = vi.fn();
    api.onSignInRequired(toSignIn);
    answer(problem(401, 'unauthorized', 'The token has expired.'));
    await expect(api.call(api.client().GET('/v1/me'))).rejects.toBeInstanceOf(api.SignInRequired);
    expect(toSignIn).toHaveBeenCalledTimes(1);
    expect(session.currentTokens()).toBeUndefined();
  });

  it('a 401 again after a successful refresh also ends at sign-in (no loop)', async () => {
    session.saveTokens(tokens(1));
    cognito.refresh.mockResolvedValue(tokens(2));
    answer(problem(401, 'unauthorized', 'x'), problem(401, 'unauthorized', 'x'));
    await expect(api.call(api.client().GET('/v1/me'))).rejects.toBeInstanceOf(api.SignInRequired);
    expect(requests).toHaveLength(2);
  });

  it('signed out: no request is sent, sign-in is asked for', async () => {
    answer();
    await expect(api.call(api.client().GET('/v1/me'))).rejects.toBeInstanceOf(api.SignInRequired);
    expect(requests).toHaveLength(0);
  });

  it('allPages follows nextCursor to the end', async () => {
    const pages: Record<string, { items: number[]; nextCursor?: string }> = { start: { items: [1, 2], nextCursor: 'c2' }, c2: { items: [3], nextCursor: 'c3' }, c3: { items: [4] } };
    const seen: (string | undefined)[] = [];
    const all = await api.allPages(async (cursor) => {
      seen.push(cursor);
      return pages[cursor ?? 'start'];
    });
    expect(all).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([undefined, 'c2', 'c3']);
  });
});
