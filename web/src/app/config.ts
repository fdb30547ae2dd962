/** The runtime configuration: `/config.json` on the console's origin (written by the local stack or the deploy script). */
export interface ConsoleConfig {
  /** Base of the HTTP API; empty = the console's own origin (the API is served under /v1 there). */
  apiBaseUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Only set against an emulator (cognito-local); AWS uses the regional endpoint. */
  cognitoEndpoint?: string;
  /**
   * How the password is proven: USER_SRP_AUTH (the deployed app client allows only SRP and refresh;
   * the password never leaves the browser) or USER_PASSWORD_AUTH (the local stack: all cognito-local
   * implements). Missing means USER_SRP_AUTH.
   */
  authFlow: AuthFlow;
}

export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
const AUTH_FLOWS: readonly AuthFlow[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'];

let loaded: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (loaded) return loaded;
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const json = (await response.json()) as Partial<ConsoleConfig>;
  for (const key of ['region', 'userPoolId', 'userPoolClientId'] as const) {
    if (!json[key]) throw new Error(`/config.json has no ${key}`);
  }
  const authFlow = json.authFlow ?? 'USER_SRP_AUTH';
  if (!AUTH_FLOWS.includes(authFlow)) throw new Error(`/config.json has an unknown authFlow ${authFlow}: use ${AUTH_FLOWS.join(' or ')}`);
  loaded = { ...json, apiBaseUrl: json.apiBaseUrl ?? '', authFlow } as ConsoleConfig;
  return loaded;
}

export function config(): ConsoleConfig {
  if (!loaded) throw new Error('configuration not loaded');
  return loaded;
}
