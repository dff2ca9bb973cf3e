/* SPDX-License-Identifier: MIT */
/*
 * Keys: one 32-byte master key per database, kept outside it in a key file,
 * and subkeys derived from it for each purpose (libsodium's crypto_kdf), so
 * that no key both encrypts and hashes.  Whoever copies the database without
 * the key file can neither read the encrypted identifiers nor mend the audit
 * chain after editing it.  Rotation is not supported yet (docs/audit.md).
 *
 * Keys are immutable once loaded: threads may share them.
 */
#ifndef HOMEWARD_KEYS_H
#define HOMEWARD_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "homeward/buf.h"
#include "homeward/error.h"

enum {
    HW_KEY_BYTES = 32,         /* the master key, and each subkey */
    HW_KEY_CHECK_HEX = 64,     /* hw_keys_check_text(), without its NUL */
    HW_BLIND_INDEX_BYTES = 16, /* hw_ident_blind_index() */
};

typedef enum hw_key_purpose {
    HW_KEY_IDENTIFIERS, /* encrypts identifiers at rest (XChaCha20-Poly1305) */
    HW_KEY_BLIND_INDEX, /* keyed BLAKE2b of an identifier, to find it without decrypting */
    HW_KEY_AUDIT,       /* keys the audit log's hash chain */
    HW_KEY_CHECK,       /* tells the database's own key file from another */
    HW_KEY_PURPOSES
} hw_key_purpose;

typedef struct hw_keys hw_keys;

/*
 * The key file of the database at db_path, into out[size]: the environment
 * variable HOMEWARD_KEY_FILE when set, else db_path + ".key".  A database
 * built under the name X.partial and then renamed to X (homeward demo) takes
 * X's key file.  HW_ELIMIT when it does not fit.
 */
hw_code hw_key_path(const char *db_path, char *out, size_t size, hw_err *e);

/*
 * Load the key file at `path`.  HW_ENOTFOUND when there is none; HW_EINVAL,
 * naming the file, when group or others may read or write it, or when it is
 * not exactly HW_KEY_BYTES bytes.  Returns new keys in *out; free with
 * hw_keys_free().
 */
hw_code hw_keys_load(const char *path, hw_keys **out, hw_err *e);

/*
 * Create a key file at `path` holding a new random key, mode 0600, written
 * under a temporary name and linked into place, so it is whole or absent.
 * HW_ECONFLICT when a file is there already (it is never overwritten).
 * Returns new keys in *out; free with hw_keys_free().
 */
hw_code hw_keys_create(const char *path, hw_keys **out, hw_err *e);

/* New random keys that live only in memory (for a database in ":memory:"). */
hw_code hw_keys_ephemeral(hw_keys **out, hw_err *e);

/* Wipe and free.  Accepts NULL. */
void hw_keys_free(hw_keys *k);

/* The HW_KEY_BYTES subkey for purpose p; lives as long as k. */
const unsigned char *hw_keys_subkey(const hw_keys *k, hw_key_purpose p);

/* The file the keys came from; "" for ephemeral keys. */
const char *hw_keys_path(const hw_keys *k);

/*
 * A fingerprint of the key as HW_KEY_CHECK_HEX hex digits and a NUL: a keyed
 * hash of a constant, which tells nothing of the key.  The database keeps it
 * to recognise its own key file.
 */
void hw_keys_check_text(const hw_keys *k, char out[HW_KEY_CHECK_HEX + 1]);

/*
 * Encrypt identifier text[0..n), the value of `column` ("people.external_id")
 * in row `row_id`, into `out` (emptied first) as "enc1:" and the base64 of
 * nonce, ciphertext and tag: XChaCha20-Poly1305 with a random nonce, the
 * plaintext padded to a multiple of 16 bytes so its length shows less, and
 * the column and row as associated data, so that a value copied to another
 * row or column does not decrypt.
 */
hw_code hw_ident_encrypt(const hw_keys *k, const char *column, int64_t row_id, const char *text,
                         size_t n, hw_buf *out, hw_err *e);

/*
 * Decrypt what hw_ident_encrypt() made for the same column and row into
 * `out` (emptied first; NUL-terminated).  HW_EINVAL when it is not such a
 * value, was made for another row or key, or was altered.
 */
hw_code hw_ident_decrypt(const hw_keys *k, const char *column, int64_t row_id, const char *enc,
                         size_t n, hw_buf *out, hw_err *e);

/* Does s[0..n) look like hw_ident_encrypt()'s output? */
bool hw_ident_is_encrypted(const char *s, size_t n);

/*
 * The blind index of identifier text[0..n): keyed BLAKE2b of its normal form
 * (surrounding spaces dropped, ASCII letters in upper case), so that equal
 * identifiers have equal indexes, while without the key the index tells
 * nothing, not even a guess confirmed.
 */
void hw_ident_blind_index(const hw_keys *k, const char *text, size_t n,
                          unsigned char out[HW_BLIND_INDEX_BYTES]);

/* Are identifiers a[0..an) and b[0..bn) the same once normalised as for the blind index? */
bool hw_ident_same(const char *a, size_t an, const char *b, size_t bn);

#endif
