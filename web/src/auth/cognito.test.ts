import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONFIG, jwt, loadedConfig } from '../test/fakes';
import { srpServer } from '../test/cognito-srp-server';

// The AWS SDK's client is replaced by a fake Cognito (`cognito.answer`); the SDK's commands are real.
const cognito = vi.hoisted(() => ({
  sent: [] as { op: string; input: Record<string, any> }[],
  answer: (() => { throw new Error('no answer set'); }) as (op: string, input: Record<string, any>) => unknown,
}));
vi.mock('@aws-sdk/client-cognito-identity-provider', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@aws-sdk/client-cognito-identity-provider')>();
  class CognitoIdentityProviderClient {
    async send(command: { constructor: { name: string }; input: Record<string, any> }) {
      const op = command.constructor.name.replace(/Command$/, '');
      cognito.sent.push({ op, input: command.input });
      return cognito.answer(op, command.input);
    }
  }
  return { ...actual, CognitoIdentityProviderClient };
});

const EMAIL = 'ada@example.com';
const USER_ID = '3f1c2b7e-9d1a-4c5e-8f00-7a6b5c4d3e2f';
const PASSWORD = 'Correct-Horse-42';
const exp = Math.floor(Date.now() / 1000) + 3600;
const result = { IdToken: jwt({ sub: USER_ID, email: EMAIL, exp, token_use: 'id' }), AccessToken: jwt({ exp }), RefreshToken: 'refresh-1', ExpiresIn: 3600 };
const notAuthorized = (message = 'Incorrect username or password.') => Object.assign(new Error(message), { name: 'NotAuthorizedException' });

async function signInWith(config: Record<string, unknown>) {
  await loadedConfig(config);
  return import('./cognito');
}

beforeEach(() => {
  cognito.sent.length = 0;
});

describe('sign-in: the flow config.json names', () => {
  it('USER_PASSWORD_AUTH (the local stack): the password goes to Cognito, tokens come back', async () => {
    cognito.answer = () => ({ AuthenticationResult: result });
    const { signIn } = await signInWith({ ...CONFIG, authFlow: 'USER_PASSWORD_AUTH', cognitoEndpoint: 'http://127.0.0.1:9229' });
    const step = await signIn(EMAIL, PASSWORD);
    expect(cognito.sent).toEqual([{ op: 'InitiateAuth', input: { ClientId: 'client-1', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: EMAIL, PASSWORD } } }]);
    expect(step).toEqual({ kind: 'done', tokens: { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: 'refresh-1', expiresAt: exp * 1000 } });
  });

  it('USER_SRP_AUTH (deployed): only SRP_A is sent, the PASSWORD_VERIFIER answer is what Cognito checks, then tokens', async () => {
    const server = srpServer('Ab3dEfGhI', USER_ID, PASSWORD);
    let challenge: ReturnType<typeof server.challenge> | undefined;
    cognito.answer = (op, input) => {
      if (op === 'InitiateAuth') {
        challenge = server.challenge(input.AuthParameters.SRP_A);
        return { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: challenge.parameters, Session: 'session-1' };
      }
      const r = input.ChallengeResponses;
      if (r.PASSWORD_CLAIM_SIGNATURE !== challenge!.expectedSignature(r.TIMESTAMP)) throw notAuthorized();
      return { AuthenticationResult: result };
    };
    const { signIn } = await signInWith({ ...CONFIG, authFlow: 'USER_SRP_AUTH' });
    const step = await signIn(EMAIL, PASSWORD);
    expect(step.kind).toBe('done');
    const [initiate, respond] = cognito.sent;
    expect(initiate.input.AuthFlow).toBe('USER_SRP_AUTH');
    expect(Object.keys(initiate.input.AuthParameters).sort()).toEqual(['SRP_A', 'USERNAME']);
    expect(JSON.stringify(cognito.sent)).not.toContain(PASSWORD);
    expect(respond).toMatchObject({ op: 'RespondToAuthChallenge', input: { ClientId: 'client-1', ChallengeName: 'PASSWORD_VERIFIER', Session: 'session-1', ChallengeResponses: { USERNAME: USER_ID } } });
  });

  it('USER_SRP_AUTH with a wrong password: Cognito refuses the signature, the message says so', async () => {
    const server = srpServer('Ab3dEfGhI', USER_ID, PASSWORD);
    let challenge: ReturnType<typeof server.challenge> | undefined;
    cognito.answer = (op, input) => {
      if (op === 'InitiateAuth') return { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: (challenge = server.challenge(input.AuthParameters.SRP_A)).parameters, Session: 's' };
      if (input.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE !== challenge!.expectedSignature(input.ChallengeResponses.TIMESTAMP)) throw notAuthorized();
      return { AuthenticationResult: result };
    };
    const { signIn, cognitoMessage } = await signInWith(CONFIG);
    const error = await signIn(EMAIL, 'Wrong-Horse-42').catch((e: unknown) => e);
    expect(cognitoMessage(error)).toBe('Incorrect e-mail or password.');
  });

  it('a config.json without authFlow means SRP (what the deployed client allows)', async () => {
    const { config } = await loadedConfig(CONFIG);
    expect(config().authFlow).toBe('USER_SRP_AUTH');
  });

  it('an unknown authFlow stops the console with a message naming it', async () => {
    await expect(loadedConfig({ ...CONFIG, authFlow: 'CUSTOM_AUTH' })).rejects.toThrow('/config.json has an unknown authFlow CUSTOM_AUTH: use USER_SRP_AUTH or USER_PASSWORD_AUTH');
  });
});

describe('sign-in challenges after the password', () => {
  const local = { ...CONFIG, authFlow: 'USER_PASSWORD_AUTH' };

  it('SOFTWARE_TOKEN_MFA: the code goes back with the session and the username, then tokens', async () => {
    cognito.answer = (op) => (op === 'InitiateAuth'
      ? { ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: { USER_ID_FOR_SRP: USER_ID }, Session: 'mfa-session' }
      : { AuthenticationResult: result });
    const { signIn } = await signInWith(local);
    const step = await signIn(EMAIL, PASSWORD);
    if (step.kind !== 'totp') throw new Error(`expected a TOTP step, got ${step.kind}`);
    const done = await step.answer(' 123456 ');
    expect(done.kind).toBe('done');
    expect(cognito.sent[1]).toEqual({ op: 'RespondToAuthChallenge', input: { ClientId: 'client-1', ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'mfa-session', ChallengeResponses: { USERNAME: USER_ID, SOFTWARE_TOKEN_MFA_CODE: '123456' } } });
  });

  it('a wrong TOTP code is an error the screen can show; the step can be answered again', async () => {
    let tries = 0;
    cognito.answer = (op) => {
      if (op === 'InitiateAuth') return { ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {}, Session: 'mfa' };
      if (tries++ === 0) throw Object.assign(new Error('Invalid code received for user'), { name: 'CodeMismatchException' });
      return { AuthenticationResult: result };
    };
    const { signIn, cognitoMessage } = await signInWith(local);
    const step = await signIn(EMAIL, PASSWORD);
    if (step.kind !== 'totp') throw new Error('expected a TOTP step');
    expect(cognitoMessage(await step.answer('000000').catch((e: unknown) => e))).toBe('That code is not right: check it and try again.');
    expect((await step.answer('123456')).kind).toBe('done');
  });

  it('NEW_PASSWORD_REQUIRED: the new password goes back with the session', async () => {
    cognito.answer = (op) => (op === 'InitiateAuth' ? { ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeParameters: { USER_ID_FOR_SRP: USER_ID }, Session: 'np' } : { AuthenticationResult: result });
    const { signIn } = await signInWith(local);
    const step = await signIn(EMAIL, 'Temporary-Pass-1');
    if (step.kind !== 'newPassword') throw new Error('expected a new-password step');
    expect((await step.answer('Brand-New-Pass-77')).kind).toBe('done');
    expect(cognito.sent[1].input).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'np', ChallengeResponses: { USERNAME: USER_ID, NEW_PASSWORD: 'Brand-New-Pass-77' } });
  });

  it('a challenge the console does not handle is an error naming it', async () => {
    cognito.answer = () => ({ ChallengeName: 'SMS_MFA', ChallengeParameters: {}, Session: 's' });
    const { signIn } = await signInWith(local);
    await expect(signIn(EMAIL, PASSWORD)).rejects.toThrow('Sign-in needs SMS_MFA, which this console does not support');
  });

  it('an expired challenge session is not reported as a wrong password', async () => {
    const { cognitoMessage } = await signInWith(local);
    expect(cognitoMessage(notAuthorized('Invalid session for the user, session is expired.'))).toBe('The sign-in took too long: start again.');
  });
});

describe('refresh and sign-out at Cognito', () => {
  it('REFRESH_TOKEN_AUTH keeps the refresh token Cognito does not send again', async () => {
    cognito.answer = () => ({ AuthenticationResult: { ...result, RefreshToken: undefined } });
    const { refresh } = await signInWith(CONFIG);
    const tokens = await refresh('refresh-1');
    expect(cognito.sent[0].input).toEqual({ ClientId: 'client-1', AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } });
    expect(tokens.refreshToken).toBe('refresh-1');
    expect(tokens.expiresAt).toBe(exp * 1000);
  });

  it('revoke sends RevokeToken for the refresh token with the app client', async () => {
    cognito.answer = () => ({});
    const { revoke } = await signInWith(CONFIG);
    await revoke('refresh-1');
    expect(cognito.sent).toEqual([{ op: 'RevokeToken', input: { ClientId: 'client-1', Token: 'refresh-1' } }]);
  });
});
