/** The claims of a JWT (not verified here: the API does that). */
export function claimsOf(jwt: string): Record<string, unknown> {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The `exp` claim of a JWT, in epoch milliseconds. */
export function expiryOf(jwt: string): number | undefined {
  const claims = claimsOf(jwt);
  return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
}
