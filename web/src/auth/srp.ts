// The SRP half of a Cognito USER_SRP_AUTH sign-in, with the SRP-6a math of amazon-cognito-identity-js
// (AWS's Cognito client, the same code Amplify's SRP derives from): SRP_A for InitiateAuth, then the
// answer to PASSWORD_VERIFIER. The password never leaves the browser. This module is a chunk of its
// own, loaded only when config.json asks for USER_SRP_AUTH (the deployed app client).
import AuthenticationHelper from 'amazon-cognito-identity-js/es/AuthenticationHelper.js';
import BigInteger from 'amazon-cognito-identity-js/es/BigInteger.js';
import DateHelper from 'amazon-cognito-identity-js/es/DateHelper.js';

export interface SrpSignIn {
  /** SRP_A (hex) for InitiateAuth's AuthParameters. */
  readonly srpA: string;
  /** The ChallengeResponses answering PASSWORD_VERIFIER (USERNAME, PASSWORD_CLAIM_*, TIMESTAMP). */
  passwordVerifier(challenge: Record<string, string>, password: string): Promise<Record<string, string>>;
}

/** The pool name of the SRP formulas: the part of the user pool id after the region (`us-east-1_AbC` → `AbC`). */
export function poolName(userPoolId: string): string {
  const name = userPoolId.split('_')[1];
  if (!name) throw new Error(`not a user pool id: ${userPoolId}`);
  return name;
}

/** Starts an SRP sign-in: a fresh random a, and A = g^a mod N (RFC 5054's 3072-bit group). */
export async function startSrp(userPoolId: string): Promise<SrpSignIn> {
  const pool = poolName(userPoolId);
  const helper = new AuthenticationHelper(pool);
  const largeA = await new Promise<BigInteger>((resolve, reject) => helper.getLargeAValue((err, a) => (err ? reject(err) : resolve(a!))));
  return {
    srpA: largeA.toString(16),
    async passwordVerifier(challenge, password) {
      for (const key of ['USER_ID_FOR_SRP', 'SRP_B', 'SALT', 'SECRET_BLOCK']) {
        if (!challenge[key]) throw new Error(`PASSWORD_VERIFIER without ${key}`);
      }
      // The user's id for SRP is Cognito's username (not the e-mail typed), as in the password verifier.
      const userId = challenge.USER_ID_FOR_SRP;
      const hkdf = await new Promise<Uint8Array>((resolve, reject) => {
        try {
          helper.getPasswordAuthenticationKey(userId, password, new BigInteger(challenge.SRP_B, 16), new BigInteger(challenge.SALT, 16),
            (err, key) => (err ? reject(err) : resolve(key!)));
        } catch (e) {
          reject(e); // B mod N = 0 or u = 0: a broken or hostile server
        }
      });
      const timestamp = new DateHelper().getNowString();
      const signature = await claimSignature(hkdf, pool, userId, challenge.SECRET_BLOCK, timestamp);
      return { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature };
    },
  };
}

/** PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName ‖ userId ‖ secretBlock (decoded) ‖ timestamp)). */
export async function claimSignature(key: Uint8Array, pool: string, userId: string, secretBlock: string, timestamp: string): Promise<string> {
  const text = new TextEncoder();
  const block = Uint8Array.from(atob(secretBlock), (c) => c.charCodeAt(0));
  const message = concat([text.encode(pool), text.encode(userId), block, text.encode(timestamp)]);
  const hmac = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, message));
  return btoa(String.fromCharCode(...signature));
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
