import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jwt } from '../test/fakes';
import type { Tokens } from './cognito';

// Cognito itself is faked: refresh and revoke are what session.ts asks of it.
const cognito = vi.hoisted(() => ({ refresh: vi.fn(), revoke: vi.fn() }));
vi.mock('./cognito', () => cognito);

const KEY = 'enterprise-admin.session';
const tokens = (minutesLeft: number, n = 1): Tokens => ({
  idToken: jwt({ email: 'ada@example.com', n, exp: Math.floor(Date.now() / 1000 + minutesLeft * 60) }),
  accessToken: `access-${n}`,
  refreshToken: 'refresh-1',
  expiresAt: Date.now() + minutesLeft * 60_000,
});

let session: typeof import('./session');
beforeEach(async () => {
  vi.resetModules();
  cognito.refresh.mockReset();
  cognito.revoke.mockReset();
  session = await import('./session');
});

describe('tokens live in sessionStorage, never localStorage', () => {
  it('a saved session is read back, names the e-mail, and leaves localStorage empty', () => {
    const t = tokens(60);
    session.saveTokens(t);
    expect(JSON.parse(sessionStorage.getItem(KEY)!)).toEqual(t);
    expect(session.currentTokens()).toEqual(t);
    expect(session.signedInEmail()).toBe('ada@example.com');
    expect(localStorage.length).toBe(0);
  });

  it('a damaged stored session counts as signed out', () => {
    sessionStorage.setItem(KEY, '{not json');
    expect(session.currentTokens()).toBeUndefined();
  });
});

describe('ID token expiry → refresh', () => {
  it('a token valid for more than a minute is used as it is (no call to Cognito)', async () => {
    const t = tokens(30);
    session.saveTokens(t);
    expect(await session.idToken()).toBe(t.idToken);
    expect(cognito.refresh).not.toHaveBeenCalled();
  });

  it('a token expiring within a minute is refreshed first; the new tokens replace the old in sessionStorage', async () => {
    session.saveTokens(tokens(0.5));
    const fresh = tokens(60, 2);
    cognito.refresh.mockResolvedValue(fresh);
    expect(await session.idToken()).toBe(fresh.idToken);
    expect(cognito.refresh).toHaveBeenCalledWith('refresh-1');
    expect(session.currentTokens()).toEqual(fresh);
    expect(localStorage.length).toBe(0);
  });

  it('calls that need a token at the same time share one refresh', async () => {
    session.saveTokens(tokens(-5));
    const fresh = tokens(60, 2);
    cognito.refresh.mockImplementation(() => new Promise((resolve) => setTimeout(() => resolve(fresh), 10)));
    const got = await Promise.all([session.idToken(), session.idToken(), session.idToken()]);
    expect(got).toEqual([fresh.idToken, fresh.idToken, fresh.idToken]);
    expect(cognito.refresh).toHaveBeenCalledTimes(1);
  });

  it('forceRefresh (after a 401) refreshes even a token that has not expired', async () => {
    session.saveTokens(tokens(30));
    cognito.refresh.mockResolvedValue(tokens(60, 2));
    await session.idToken(true);
    expect(cognito.refresh).toHaveBeenCalledTimes(1);
  });

  it('a refused refresh (revoked or expired refresh token) gives no token', async () => {
    session.saveTokens(tokens(-5));
    cognito.refresh.mockRejectedValue(Object.assign(new Error('Refresh Token has been revoked'), { name: 'NotAuthorizedException' }));
    expect(await session.idToken()).toBeUndefined();
  });

  it('signed out: no token and no call to Cognito', async () => {
    expect(await session.idToken()).toBeUndefined();
    expect(cognito.refresh).not.toHaveBeenCalled();
  });
});

describe('sign-out', () => {
  it('clears the console\'s sessionStorage (tokens, chosen organization), tells listeners, and revokes the refresh token', async () => {
    session.saveTokens(tokens(60));
    sessionStorage.setItem('enterprise-admin.org', 'org-1');
    sessionStorage.setItem('another-app', 'kept');
    const listener = vi.fn();
    session.onSessionChange(listener);
    cognito.revoke.mockResolvedValue(undefined);
    expect(await session.signOut()).toBe(true);
    expect(cognito.revoke).toHaveBeenCalledWith('refresh-1');
    expect(sessionStorage.getItem(KEY)).toBeNull();
    expect(sessionStorage.getItem('enterprise-admin.org')).toBeNull();
    expect(sessionStorage.getItem('another-app')).toBe('kept');
    expect(listener).toHaveBeenCalled();
    expect(session.currentTokens()).toBeUndefined();
  });

  it('is signed out locally even when Cognito cannot be reached to revoke', async () => {
    session.saveTokens(tokens(60));
    cognito.revoke.mockRejectedValue(new TypeError('Failed to fetch'));
    expect(await session.signOut()).toBe(false);
    expect(session.currentTokens()).toBeUndefined();
  });

  it('the session is cleared before the revocation is sent (nothing can use the tokens meanwhile)', async () => {
    session.saveTokens(tokens(60));
    cognito.revoke.mockImplementation(async () => {
      expect(sessionStorage.getItem(KEY)).toBeNull();
    });
    expect(await session.signOut()).toBe(true);
  });
});
