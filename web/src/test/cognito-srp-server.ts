// The server half of Cognito's SRP (USER_SRP_AUTH → PASSWORD_VERIFIER), written for the tests
// from the documented algorithm with Node's BigInt and node:crypto, independently of the console's
// SRP library: SRP-6a over RFC 5054's 3072-bit group (g = 2), SHA-256, k = H(N ‖ g),
// x = H(salt ‖ H(poolName ‖ userId ‖ ":" ‖ password)), u = H(A ‖ B), the key HKDF-SHA256(S, salt u,
// info "Caldera Derived Key", 16 bytes), and PASSWORD_CLAIM_SIGNATURE =
// base64(HMAC-SHA256(key, poolName ‖ userId ‖ SECRET_BLOCK ‖ TIMESTAMP)). Numbers are hashed as
// big-endian bytes of their two's-complement form (a leading 00 when the top bit is set).
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// RFC 5054, Appendix A, the 3072-bit group.
export const N = BigInt('0x' + [
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74',
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437',
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED',
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05',
  '98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB',
  '9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B',
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718',
  '3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33',
  'A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7',
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864',
  'D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2',
  '08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
].join(''));
export const g = 2n;

/** The bytes a number is hashed as: big-endian, even length, 00 first when the top bit is set. */
export function bytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (/^[89a-f]/i.test(hex)) hex = '00' + hex;
  return Buffer.from(hex, 'hex');
}

const sha256 = (...parts: (Buffer | string)[]) => createHash('sha256').update(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)))).digest();
const int = (b: Buffer) => BigInt('0x' + b.toString('hex'));

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** A user pool that knows one user's verifier (as Cognito stores it at sign-up) and answers SRP. */
export function srpServer(poolName: string, userId: string, password: string) {
  const salt = int(randomBytes(16));
  const x = int(sha256(bytes(salt), sha256(poolName, userId, ':', password)));
  const v = modPow(g, x, N);
  const k = int(sha256(bytes(N), bytes(g)));
  return {
    /** InitiateAuth(USER_SRP_AUTH, SRP_A): the PASSWORD_VERIFIER challenge, and how to check its answer. */
    challenge(srpA: string) {
      const A = BigInt('0x' + srpA);
      if (A % N === 0n) throw new Error('A mod N = 0');
      const b = int(randomBytes(32));
      const B = (k * v + modPow(g, b, N)) % N;
      const u = int(sha256(bytes(A), bytes(B)));
      const S = modPow(A * modPow(v, u, N), b, N);
      const key = Buffer.from(hkdfSync('sha256', bytes(S), bytes(u), 'Caldera Derived Key', 16));
      const secretBlock = randomBytes(64).toString('base64');
      return {
        parameters: { USER_ID_FOR_SRP: userId, SRP_B: B.toString(16), SALT: salt.toString(16), SECRET_BLOCK: secretBlock, USERNAME: userId },
        key,
        /** The signature Cognito expects for this TIMESTAMP. */
        expectedSignature(timestamp: string): string {
          return createHmac('sha256', key).update(Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)])).digest('base64');
        },
      };
    },
  };
}
