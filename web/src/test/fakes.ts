// Helpers of the console's unit tests: a JWT with given claims, and /config.json as fetch returns it.
import { vi } from 'vitest';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT with these claims (the console reads claims; the API verifies signatures). */
export function jwt(claims: Record<string, unknown>): string {
  return `${base64url({ alg: 'RS256', kid: 'test' })}.${base64url(claims)}.c2ln`;
}

export const CONFIG = { apiBaseUrl: 'https://api.example.test', region: 'eu-west-1', userPoolId: 'eu-west-1_Ab3dEfGhI', userPoolClientId: 'client-1' };

/** Fresh modules with /config.json answering `config` loaded (the console loads it once at start). */
export async function loadedConfig(config: Record<string, unknown> = CONFIG) {
  vi.resetModules();
  vi.stubGlobal('fetch', vi.fn(async () => Response.json(config)));
  const module = await import('../app/config');
  await module.loadConfig();
  vi.unstubAllGlobals();
  return module;
}
