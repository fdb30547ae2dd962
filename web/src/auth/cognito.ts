import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../app/config';
import { expiryOf } from './jwt';

/**
 * Cognito's public (unsigned) operations through the AWS SDK v3: sign-up, confirmation code,
 * USER_PASSWORD_AUTH sign-in and REFRESH_TOKEN_AUTH refresh. No AWS credentials are involved.
 */
let client: CognitoIdentityProviderClient | undefined;

function idp(): CognitoIdentityProviderClient {
  if (!client) {
    const c = config();
    client = new CognitoIdentityProviderClient({
      region: c.region,
      endpoint: c.cognitoEndpoint || undefined,
      // The operations used here are unauthenticated; the SDK must not look for credentials.
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      maxAttempts: 2,
    });
  }
  return client;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the ID token expires. */
  expiresAt: number;
}

export async function signUp(email: string, password: string, name: string): Promise<{ confirmed: boolean }> {
  const attributes = [{ Name: 'email', Value: email }];
  if (name.trim()) attributes.push({ Name: 'name', Value: name.trim() });
  const out = await idp().send(new SignUpCommand({
    ClientId: config().userPoolClientId, Username: email, Password: password, UserAttributes: attributes,
  }));
  return { confirmed: !!out.UserConfirmed };
}

export async function confirmSignUp(email: string, code: string): Promise<void> {
  await idp().send(new ConfirmSignUpCommand({ ClientId: config().userPoolClientId, Username: email, ConfirmationCode: code.trim() }));
}

export async function resendCode(email: string): Promise<void> {
  await idp().send(new ResendConfirmationCodeCommand({ ClientId: config().userPoolClientId, Username: email }));
}

function tokens(result: AuthenticationResultType | undefined, refreshToken?: string): Tokens {
  if (!result?.IdToken || !result.AccessToken) throw new Error('Cognito returned no tokens');
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken ?? refreshToken ?? '',
    expiresAt: expiryOf(result.IdToken) ?? Date.now() + (result.ExpiresIn ?? 3600) * 1000,
  };
}

export async function signIn(email: string, password: string): Promise<Tokens> {
  const out = await idp().send(new InitiateAuthCommand({
    ClientId: config().userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password },
  }));
  if (out.ChallengeName) throw new Error(`Sign-in needs ${out.ChallengeName}, which this console does not support`);
  return tokens(out.AuthenticationResult);
}

export async function refresh(refreshToken: string): Promise<Tokens> {
  const out = await idp().send(new InitiateAuthCommand({
    ClientId: config().userPoolClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken },
  }));
  return tokens(out.AuthenticationResult, refreshToken);
}

/** A readable message for a Cognito error (the SDK's `name` is the Cognito exception type). */
export function cognitoMessage(e: unknown): string {
  const err = e as { name?: string; message?: string };
  switch (err?.name) {
    case 'NotAuthorizedException': return 'Incorrect e-mail or password.';
    case 'UserNotConfirmedException': return 'This account is not confirmed yet: enter the code we sent you.';
    case 'UsernameExistsException': return 'An account with this e-mail already exists: sign in instead.';
    case 'CodeMismatchException': return 'That code is not right: check the e-mail and try again.';
    case 'ExpiredCodeException': return 'That code has expired: ask for a new one.';
    case 'InvalidPasswordException': return err.message || 'The password does not meet the policy.';
    case 'UserLambdaValidationException': return (err.message || '').replace(/^PreSignUp failed with error /, '') || 'Sign-up was refused.';
    case 'TypeError': return 'The sign-in service cannot be reached: check your connection and try again.';
    default: return err?.message || 'Something went wrong.';
  }
}
