import { describe, expect, it } from 'vitest';
import { claimSignature, poolName, startSrp } from './srp';
import { N, srpServer } from '../test/cognito-srp-server';

const POOL_ID = 'eu-west-1_Ab3dEfGhI';
const USER_ID = '3f1c2b7e-9d1a-4c5e-8f00-7a6b5c4d3e2f'; // Cognito's username (sub) when the e-mail is the sign-in alias
const PASSWORD = 'Correct-Horse-42';
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d UTC \d{4}$/;

describe('SRP sign-in (USER_SRP_AUTH + PASSWORD_VERIFIER) against an independent Cognito-side verifier', () => {
  it('derives the same key as the server and signs the claim the way Cognito checks it', async () => {
    const server = srpServer(poolName(POOL_ID), USER_ID, PASSWORD);
    const client = await startSrp(POOL_ID);
    const A = BigInt('0x' + client.srpA);
    expect(A > 1n && A < N).toBe(true);
    const challenge = server.challenge(client.srpA);

    const responses = await client.passwordVerifier(challenge.parameters, PASSWORD);

    expect(responses.USERNAME).toBe(USER_ID);
    expect(responses.PASSWORD_CLAIM_SECRET_BLOCK).toBe(challenge.parameters.SECRET_BLOCK);
    expect(responses.TIMESTAMP).toMatch(TIMESTAMP);
    const stamped = Date.parse(responses.TIMESTAMP.replace(/^\w+ (\w+) (\d+) ([\d:]+) UTC (\d+)$/, '$1 $2 $4 $3 UTC'));
    expect(Math.abs(stamped - Date.now())).toBeLessThan(5_000);
    expect(responses.PASSWORD_CLAIM_SIGNATURE).toBe(challenge.expectedSignature(responses.TIMESTAMP));
  });

  it('a wrong password gives a signature the server rejects', async () => {
    const server = srpServer(poolName(POOL_ID), USER_ID, PASSWORD);
    const client = await startSrp(POOL_ID);
    const challenge = server.challenge(client.srpA);
    const responses = await client.passwordVerifier(challenge.parameters, 'Correct-Horse-43');
    expect(responses.PASSWORD_CLAIM_SIGNATURE).not.toBe(challenge.expectedSignature(responses.TIMESTAMP));
  });

  it('each sign-in uses a fresh random a (A differs)', async () => {
    const [one, two] = await Promise.all([startSrp(POOL_ID), startSrp(POOL_ID)]);
    expect(one.srpA).not.toBe(two.srpA);
  });

  it('refuses a server B ≡ 0 (mod N), which would make the key predictable', async () => {
    const client = await startSrp(POOL_ID);
    const params = { USER_ID_FOR_SRP: USER_ID, SRP_B: N.toString(16), SALT: 'ab12', SECRET_BLOCK: 'c2VjcmV0' };
    await expect(client.passwordVerifier(params, PASSWORD)).rejects.toThrow(/B cannot be zero/);
  });

  it('refuses a challenge that lacks a parameter, naming it', async () => {
    const client = await startSrp(POOL_ID);
    await expect(client.passwordVerifier({ USER_ID_FOR_SRP: USER_ID, SRP_B: 'ab', SALT: 'cd' }, PASSWORD)).rejects.toThrow('PASSWORD_VERIFIER without SECRET_BLOCK');
  });

  it('the pool name is the user pool id after the region', () => {
    expect(poolName('us-east-1_AbCdEf123')).toBe('AbCdEf123');
    expect(() => poolName('local')).toThrow('not a user pool id: local');
  });

  it('the claim signature is HMAC-SHA256 over pool name, user id, decoded secret block and timestamp ', async () => {
    const key = new Uint8Array(16).fill(0x0b);
    const signature = await claimSignature(key, 'Pool', 'user', btoa('block'), 'Mon Nov 30 06:05:09 UTC 2026');
    const { createHmac } = await import('node:crypto');
    expect(signature).toBe(createHmac('sha256', Buffer.from(key)).update('Pooluserblock' + 'Mon Nov 30 06:05:09 UTC 2026').digest('base64'));
  });
});
