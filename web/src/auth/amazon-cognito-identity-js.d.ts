// Types of the three modules of amazon-cognito-identity-js that auth/srp.ts imports (the package
// types only its index, whose other modules the console does not load).
declare module 'amazon-cognito-identity-js/es/BigInteger.js' {
  export default class BigInteger {
    constructor(value: string, radix: number);
    toString(radix: number): string;
  }
}
declare module 'amazon-cognito-identity-js/es/AuthenticationHelper.js' {
  import type BigInteger from 'amazon-cognito-identity-js/es/BigInteger.js';
  export default class AuthenticationHelper {
    constructor(poolName: string);
    getLargeAValue(callback: (err: Error | null, largeA?: BigInteger) => void): void;
    getPasswordAuthenticationKey(username: string, password: string, serverB: BigInteger, salt: BigInteger,
      callback: (err: Error | null, hkdf?: Uint8Array) => void): void;
  }
}
declare module 'amazon-cognito-identity-js/es/DateHelper.js' {
  export default class DateHelper {
    /** `ddd MMM D HH:mm:ss UTC YYYY`, as Cognito expects TIMESTAMP. */
    getNowString(): string;
  }
}
