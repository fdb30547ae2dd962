import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../app/config';
import { expiryOf } from './jwt';

/**
 * Cognito's public (unsigned) operations through the AWS SDK v3: sign-up, confirmation code,
 * sign-in (USER_SRP_AUTH or USER_PASSWORD_AUTH, as config.json says, with the challenges that may
 * follow), REFRESH_TOKEN_AUTH refresh and RevokeToken. No AWS credentials are involved.
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

/** Where a sign-in stands: signed in, or a challenge to answer (each answer is one more step). */
export type SignInStep =
  | { kind: 'done'; tokens: Tokens }
  /** The account has TOTP MFA: the 6-digit code of the authenticator app. */
  | { kind: 'totp'; answer(code: string): Promise<SignInStep> }
  /** An account an administrator created with a temporary password: choose a new one. */
  | { kind: 'newPassword'; answer(password: string): Promise<SignInStep> };

export async function signIn(email: string, password: string): Promise<SignInStep> {
  const ClientId = config().userPoolClientId;
  if (config().authFlow === 'USER_PASSWORD_AUTH') {
    const out = await idp().send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }));
    return nextStep(out, email);
  }
  // SRP: the math is a chunk of its own, loaded only on this path.
  const srp = await (await import('./srp')).startSrp(config().userPoolId);
  const started = await idp().send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srp.srpA } }));
  if (started.ChallengeName !== 'PASSWORD_VERIFIER') return nextStep(started, email);
  const responses = await srp.passwordVerifier(started.ChallengeParameters ?? {}, password);
  return respond('PASSWORD_VERIFIER', responses, started.Session, responses.USERNAME);
}

async function respond(name: ChallengeNameType, responses: Record<string, string>, session: string | undefined, username: string): Promise<SignInStep> {
  const out = await idp().send(new RespondToAuthChallengeCommand({
    ClientId: config().userPoolClientId, ChallengeName: name, ChallengeResponses: responses, Session: session,
  }));
  return nextStep(out, username);
}

function nextStep(out: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session'>, username: string): SignInStep {
  if (out.AuthenticationResult) return { kind: 'done', tokens: tokens(out.AuthenticationResult) };
  // Challenges name the user by Cognito's username (USER_ID_FOR_SRP), which may differ from the e-mail typed.
  const user = out.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
  switch (out.ChallengeName) {
    case 'SOFTWARE_TOKEN_MFA':
      return { kind: 'totp', answer: (code) => respond('SOFTWARE_TOKEN_MFA', { USERNAME: user, SOFTWARE_TOKEN_MFA_CODE: code.trim() }, out.Session, user) };
    case 'NEW_PASSWORD_REQUIRED':
      return { kind: 'newPassword', answer: (password) => respond('NEW_PASSWORD_REQUIRED', { USERNAME: user, NEW_PASSWORD: password }, out.Session, user) };
    default:
      throw new Error(`Sign-in needs ${out.ChallengeName ?? 'a step Cognito did not name'}, which this console does not support`);
  }
}

export async function refresh(refreshToken: string): Promise<Tokens> {
  const out = await idp().send(new InitiateAuthCommand({
    ClientId: config().userPoolClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken },
  }));
  return tokens(out.AuthenticationResult, refreshToken);
}

/** Revokes a refresh token (and the access tokens issued with it): sign-out. */
export async function revoke(refreshToken: string): Promise<void> {
  await idp().send(new RevokeTokenCommand({ ClientId: config().userPoolClientId, Token: refreshToken }));
}

/** A readable message for a Cognito error (the SDK's `name` is the Cognito exception type). */
export function cognitoMessage(e: unknown): string {
  const err = e as { name?: string; message?: string };
  switch (err?.name) {
    case 'NotAuthorizedException':
      return /session/i.test(err.message ?? '') ? 'The sign-in took too long: start again.' : 'Incorrect e-mail or password.';
    case 'UserNotConfirmedException': return 'This account is not confirmed yet: enter the code we sent you.';
    case 'UsernameExistsException': return 'An account with this e-mail already exists: sign in instead.';
    case 'CodeMismatchException': return 'That code is not right: check it and try again.';
    case 'ExpiredCodeException': return 'That code has expired: ask for a new one.';
    case 'InvalidPasswordException': return err.message || 'The password does not meet the policy.';
    case 'UserLambdaValidationException': return (err.message || '').replace(/^PreSignUp failed with error /, '') || 'Sign-up was refused.';
    case 'TypeError': return 'The sign-in service cannot be reached: check your connection and try again.';
    default: return err?.message || 'Something went wrong.';
  }
}
