/** The runtime configuration: `/config.json` on the console's origin (written by the local stack or the deploy script). */
export interface ConsoleConfig {
  /** Base of the HTTP API; empty = the console's own origin (the API is served under /v1 there). */
  apiBaseUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Only set against an emulator (cognito-local); AWS uses the regional endpoint. */
  cognitoEndpoint?: string;
}

let loaded: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (loaded) return loaded;
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const json = (await response.json()) as Partial<ConsoleConfig>;
  for (const key of ['region', 'userPoolId', 'userPoolClientId'] as const) {
    if (!json[key]) throw new Error(`/config.json has no ${key}`);
  }
  loaded = { apiBaseUrl: json.apiBaseUrl ?? '', ...json } as ConsoleConfig;
  return loaded;
}

export function config(): ConsoleConfig {
  if (!loaded) throw new Error('configuration not loaded');
  return loaded;
}
