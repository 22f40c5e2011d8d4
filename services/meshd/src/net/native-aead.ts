import { dlopen, FFIType } from "bun:ffi";
import { pureJsCrypto } from "@chainsafe/libp2p-noise";

/**
 * ChaCha20-Poly1305 (RFC 8439) for Noise's transport frames from the system's OpenSSL
 * (libcrypto 3, EVP API) through bun:ffi. Bun's node:crypto has no chacha20-poly1305, so Noise
 * ran it in JavaScript (noble), which was the largest single cost of a busy mesh connection
 * besides the socket itself. Same cipher, same bytes on the wire: peers cannot tell. Used only
 * when libcrypto loads and agrees with noble on a self-test; otherwise undefined (noble stays).
 */
export interface Aead {
  encrypt(plaintext: Uint8Array, nonce: Uint8Array, ad: Uint8Array, key: Uint8Array): Uint8Array;
  /** Throws when the tag does not verify (as noble does). */
  decrypt(ciphertext: Uint8Array, nonce: Uint8Array, ad: Uint8Array, key: Uint8Array): Uint8Array;
}

const TAG = 16;
/** EVP_CTRL_AEAD_GET_TAG / EVP_CTRL_AEAD_SET_TAG (openssl/evp.h). */
const GET_TAG = 0x10;
const SET_TAG = 0x11;

function load(): Aead | undefined {
  let lib;
  for (const name of ["libcrypto.so.3", "libcrypto.so"]) {
    try {
      lib = dlopen(name, {
        EVP_CIPHER_CTX_new: { args: [], returns: FFIType.ptr },
        EVP_chacha20_poly1305: { args: [], returns: FFIType.ptr },
        EVP_CipherInit_ex: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
        EVP_CipherUpdate: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
        EVP_CipherFinal_ex: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
        EVP_CIPHER_CTX_ctrl: { args: [FFIType.ptr, FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
      });
      break;
    } catch {
      lib = undefined;
    }
  }
  if (!lib) return undefined;
  const f = lib.symbols;
  const ctx = f.EVP_CIPHER_CTX_new();
  const cipher = f.EVP_chacha20_poly1305();
  if (!ctx || !cipher) return undefined;
  // One context for the process: JavaScript runs one call at a time, each call starts afresh.
  const outl = new Int32Array(1);
  const scratch = new Uint8Array(TAG);
  const run = (enc: 0 | 1, input: Uint8Array, nonce: Uint8Array, ad: Uint8Array, key: Uint8Array, out: Uint8Array, tag: Uint8Array): boolean => {
    if (key.length !== 32 || nonce.length !== 12) throw new Error("chacha20-poly1305: bad key or nonce length");
    if (f.EVP_CipherInit_ex(ctx, cipher, null, key, nonce, enc) !== 1) throw new Error("chacha20-poly1305: init failed");
    if (ad.length > 0 && f.EVP_CipherUpdate(ctx, null, outl, ad, ad.length) !== 1) throw new Error("chacha20-poly1305: aad failed");
    if (input.length > 0 && f.EVP_CipherUpdate(ctx, out, outl, input, input.length) !== 1) throw new Error("chacha20-poly1305: update failed");
    if (enc === 0 && f.EVP_CIPHER_CTX_ctrl(ctx, SET_TAG, TAG, tag) !== 1) throw new Error("chacha20-poly1305: tag failed");
    // Final writes nothing for a stream cipher; on decryption it is where the tag is checked.
    const ok = f.EVP_CipherFinal_ex(ctx, scratch, outl) === 1;
    if (enc === 1 && f.EVP_CIPHER_CTX_ctrl(ctx, GET_TAG, TAG, tag) !== 1) throw new Error("chacha20-poly1305: tag failed");
    return ok;
  };
  const aead: Aead = {
    encrypt(plaintext, nonce, ad, key) {
      const out = new Uint8Array(plaintext.length + TAG);
      run(1, plaintext, nonce, ad, key, out, out.subarray(plaintext.length));
      return out;
    },
    decrypt(ciphertext, nonce, ad, key) {
      if (ciphertext.length < TAG) throw new Error("invalid tag");
      const n = ciphertext.length - TAG;
      const out = new Uint8Array(n);
      // The tag is copied: OpenSSL must not read it from memory the output could alias.
      if (!run(0, ciphertext.subarray(0, n), nonce, ad, key, out, ciphertext.slice(n))) throw new Error("invalid tag");
      return out;
    },
  };
  return selfTest(aead) ? aead : undefined;
}

/** Native and noble (Noise's pure-JS crypto) must agree both ways, and a flipped bit must fail, or native is not used. */
function selfTest(a: Aead): boolean {
  try {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const ad = crypto.getRandomValues(new Uint8Array(32));
    for (const size of [0, 1, 64, 1500, 65_519]) {
      const msg = crypto.getRandomValues(new Uint8Array(size));
      const ours = a.encrypt(msg, nonce, ad, key);
      const theirs = pureJsCrypto.chaCha20Poly1305Encrypt(msg, nonce, ad, key).subarray();
      if (Buffer.compare(ours, theirs) !== 0) return false;
      if (Buffer.compare(a.decrypt(theirs, nonce, ad, key), msg) !== 0) return false;
      const bad = theirs.slice();
      bad[bad.length - 1]! ^= 1;
      try {
        a.decrypt(bad, nonce, ad, key);
        return false;
      } catch {
        // expected: forged tag
      }
    }
    return true;
  } catch {
    return false;
  }
}

let cached: Aead | undefined | null = null;

/** The native AEAD, or undefined when libcrypto 3 is not there or fails its self-test. */
export function nativeAead(): Aead | undefined {
  if (cached === null) cached = load();
  return cached;
}
