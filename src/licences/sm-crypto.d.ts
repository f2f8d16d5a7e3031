// Types of the parts of `sm-crypto` (an independent SM2 implementation, a devDependency) that the
// tests use to check our signatures.
declare module 'sm-crypto' {
  const smCrypto: {
    sm2: {
      doVerifySignature(
        msg: string,
        signHex: string,
        publicKey: string,
        options?: { hash?: boolean; der?: boolean; userId?: string },
      ): boolean;
      doSignature(
        msg: string,
        privateKey: string,
        options?: { hash?: boolean; der?: boolean; publicKey?: string; userId?: string },
      ): string;
    };
    sm3(msg: string): string;
  };
  export default smCrypto;
}
