import { expect, test } from "bun:test";
import { pureJsCrypto } from "@chainsafe/libp2p-noise";
import { nativeAead } from "./native-aead.ts";
import { meshCrypto } from "./noise-crypto.ts";

// RFC 8439 §2.8.2: the AEAD test vector.
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
const key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
const nonce = hex("070000004041424344454647");
const ad = hex("50515253c0c1c2c3c4c5c6c7");
const text = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
const tag = "1ae10b594f09e26a7e902ecbd0600691";

// Without libcrypto 3 Noise keeps its pure-JS cipher; the test then shows as skipped, not passed.
test.skipIf(!nativeAead())("the native cipher gives RFC 8439's ciphertext and tag and refuses a forged tag", () => {
  const a = nativeAead()!;
  const sealed = a.encrypt(text, nonce, ad, key);
  expect(Buffer.from(sealed.subarray(0, 16)).toString("hex")).toBe("d31a8d34648e60db7b86afbc53ef7ec2");
  expect(Buffer.from(sealed.subarray(-16)).toString("hex")).toBe(tag);
  expect(Buffer.from(a.decrypt(sealed, nonce, ad, key)).toString()).toBe(Buffer.from(text).toString());
  const forged = sealed.slice();
  forged[3]! ^= 0x80;
  expect(() => a.decrypt(forged, nonce, ad, key)).toThrow();
  expect(() => a.decrypt(sealed, nonce, hex("50515253c0c1c2c3c4c5c6c8"), key)).toThrow();
});

test("Noise's crypto as meshd configures it interoperates with the pure-JS one both ways", () => {
  const c = meshCrypto();
  for (const size of [0, 5, 1199, 1200, 16_000]) {
    const msg = crypto.getRandomValues(new Uint8Array(size));
    const a = c.chaCha20Poly1305Encrypt(msg, nonce, ad, key).subarray();
    const b = pureJsCrypto.chaCha20Poly1305Encrypt(msg, nonce, ad, key).subarray();
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(c.chaCha20Poly1305Decrypt(b, nonce, ad, key).subarray(), msg)).toBe(0);
  }
});
