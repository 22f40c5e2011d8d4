import { pureJsCrypto } from "@chainsafe/libp2p-noise";
import { nativeAead } from "./native-aead.ts";

type NoiseCrypto = typeof pureJsCrypto;

/**
 * Noise's crypto for meshd: the pure-JS one (Noise's default hands frames of 1200 bytes and more
 * to node:crypto's chacha20-poly1305, which Bun does not implement: "Unknown cipher"), with the
 * transport cipher from libcrypto when it is there (native-aead.ts). Handshake math (X25519,
 * HKDF, SHA-256) stays as it was: it runs once per connection.
 */
export function meshCrypto(): NoiseCrypto {
  const a = nativeAead();
  if (!a) return pureJsCrypto;
  return {
    ...pureJsCrypto,
    chaCha20Poly1305Encrypt: (plaintext, nonce, ad, k) => a.encrypt(plaintext.subarray(), nonce, ad, k),
    chaCha20Poly1305Decrypt: (ciphertext, nonce, ad, k) => a.decrypt(ciphertext.subarray(), nonce, ad, k),
  };
}
