import type { Tokens } from './cognito';
import { claimsOf } from './jwt';

/**
 * The signed-in session: tokens in sessionStorage (this tab only, gone with it; never localStorage),
 * refreshed with the refresh token shortly before the ID token expires; sign-out revokes the
 * refresh token at Cognito and clears the console's sessionStorage.
 */
const PREFIX = 'enterprise-admin.';
const KEY = `${PREFIX}session`;
const REFRESH_MARGIN_MS = 60_000;

type Listener = () => void;
const listeners = new Set<Listener>();
let refreshing: Promise<Tokens> | undefined;

export function currentTokens(): Tokens | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Tokens;
  } catch {
    return undefined;
  }
}

export function saveTokens(tokens: Tokens): void {
  sessionStorage.setItem(KEY, JSON.stringify(tokens));
  listeners.forEach((l) => l());
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

/**
 * Sign-out: the console's sessionStorage (tokens, chosen organization) is cleared at once, then the
 * refresh token is revoked at Cognito (RevokeToken), so that a copy of it cannot mint new tokens.
 * Resolves to whether Cognito confirmed the revocation (signed out locally either way).
 */
export async function signOut(): Promise<boolean> {
  const t = currentTokens();
  const keys = Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i) ?? '');
  keys.filter((key) => key.startsWith(PREFIX)).forEach((key) => sessionStorage.removeItem(key));
  listeners.forEach((l) => l());
  if (!t?.refreshToken) return false;
  try {
    await (await import('./cognito')).revoke(t.refreshToken);
    return true;
  } catch {
    return false;
  }
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function signedInEmail(): string | undefined {
  const t = currentTokens();
  return t ? (claimsOf(t.idToken).email as string | undefined) : undefined;
}

/** An ID token valid for at least a minute, refreshing if needed; undefined when signed out or refresh failed. */
export async function idToken(forceRefresh = false): Promise<string | undefined> {
  const t = currentTokens();
  if (!t) return undefined;
  if (!forceRefresh && t.expiresAt - Date.now() > REFRESH_MARGIN_MS) return t.idToken;
  if (!t.refreshToken) return undefined;
  // The Cognito client loads on demand: a signed-in first screen does not need it.
  refreshing ??= import('./cognito').then(({ refresh }) => refresh(t.refreshToken)).finally(() => { refreshing = undefined; });
  try {
    const fresh = await refreshing;
    saveTokens(fresh);
    return fresh.idToken;
  } catch {
    return undefined;
  }
}
