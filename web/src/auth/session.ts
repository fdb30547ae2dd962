import type { Tokens } from './cognito';
import { claimsOf } from './jwt';

/**
 * The signed-in session: tokens in sessionStorage (this tab only, gone with it; never localStorage),
 * refreshed with the refresh token shortly before the ID token expires.
 */
const KEY = 'enterprise-admin.session';
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
