/* SPDX-License-Identifier: MIT */
/*
 * The key file and the subkeys derived from it.  The file holds the 32 raw
 * bytes of the master key and nothing else; it must be private to its owner,
 * because whoever reads it can read every encrypted identifier.
 */
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "homeward/keys.h"
#include "core/banned.h"

/* crypto_kdf's context: exactly crypto_kdf_CONTEXTBYTES (8) characters. */
static const char kdf_context[] = "homeward";

struct hw_keys {
    unsigned char sub[HW_KEY_PURPOSES][HW_KEY_BYTES];
    char path[];
};

static hw_code start(hw_err *e)
{
    if (sodium_init() < 0)
        return hw_fail(e, HW_EBUG, NULL, "libsodium could not start");
    return HW_OK;
}

hw_code hw_key_path(const char *db_path, char *out, size_t size, hw_err *e)
{
    static const char partial[] = ".partial";
    const char *env = getenv("HOMEWARD_KEY_FILE");
    size_t n = strlen(db_path), p = sizeof(partial) - 1;
    int w;

    if (env && *env)
        w = snprintf(out, size, "%s", env);
    else if (n > p && !strcmp(db_path + n - p, partial))
        w = snprintf(out, size, "%.*s.key", (int)(n - p), db_path);
    else
        w = snprintf(out, size, "%s.key", db_path);
    if (w < 0 || (size_t)w >= size)
        return hw_fail(e, HW_ELIMIT, NULL, "the key file's path is longer than %zu bytes", size);
    return HW_OK;
}

/* Subkeys from the master key, which is then forgotten. */
static hw_code derive(const char *path, const unsigned char master[HW_KEY_BYTES], hw_keys **out,
                      hw_err *e)
{
    size_t n = strlen(path);
    hw_keys *k = malloc(sizeof(*k) + n + 1);

    if (!k)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    for (int p = 0; p < HW_KEY_PURPOSES; p++)
        crypto_kdf_derive_from_key(k->sub[p], HW_KEY_BYTES, (uint64_t)p + 1, kdf_context, master);
    memcpy(k->path, path, n + 1);
    *out = k;
    return HW_OK;
}

hw_code hw_keys_load(const char *path, hw_keys **out, hw_err *e)
{
    unsigned char master[HW_KEY_BYTES];
    struct stat st;
    ssize_t got = 0, r;
    hw_code rc;
    int fd;

    *out = NULL;
    if ((rc = start(e)))
        return rc;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        if (errno == ENOENT)
            return hw_fail(e, HW_ENOTFOUND, NULL, "no key file '%s'", path);
        return hw_fail_errno(e, HW_EIO, "cannot open the key file '%s'", path);
    }
    /* The opened file is checked, not the path: it cannot be swapped in between. */
    if (fstat(fd, &st) != 0) {
        rc = hw_fail_errno(e, HW_EIO, "cannot read the key file '%s'", path);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = hw_fail(e, HW_EINVAL, NULL, "the key file '%s' is not a regular file", path);
        goto out;
    }
    if (st.st_mode & 077) {
        rc = hw_fail(e, HW_EINVAL, NULL,
                     "the key file '%s' may be read or written by others (mode %04o): "
                     "make it private with 'chmod 600 %s'",
                     path, (unsigned)(st.st_mode & 07777), path);
        goto out;
    }
    if (st.st_size != HW_KEY_BYTES) {
        rc = hw_fail(e, HW_EINVAL, NULL, "the key file '%s' holds %lld bytes, not a %d-byte key",
                     path, (long long)st.st_size, HW_KEY_BYTES);
        goto out;
    }
    while (got < HW_KEY_BYTES && (r = read(fd, master + got, HW_KEY_BYTES - (size_t)got)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = hw_fail_errno(e, HW_EIO, "cannot read the key file '%s'", path);
            goto out;
        }
        got += r;
    }
    if (got != HW_KEY_BYTES) {
        rc = hw_fail(e, HW_EIO, NULL, "the key file '%s' ended early", path);
        goto out;
    }
    rc = derive(path, master, out, e);
out:
    sodium_memzero(master, sizeof(master));
    close(fd);
    return rc;
}

/* Make a rename or link in `path`'s directory durable. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    int fd;

    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if ((size_t)(slash - path) < sizeof(dir))
        snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
    else
        return;
    if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
}

hw_code hw_keys_create(const char *path, hw_keys **out, hw_err *e)
{
    unsigned char master[HW_KEY_BYTES];
    char tmp[4096];
    hw_code rc;
    int fd, w;

    *out = NULL;
    if ((rc = start(e)))
        return rc;
    w = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
    if (w < 0 || (size_t)w >= sizeof(tmp))
        return hw_fail(e, HW_ELIMIT, NULL, "the key file's path is too long: '%s'", path);
    /* mkstemp creates the file with mode 0600, whatever the umask. */
    if ((fd = mkstemp(tmp)) < 0)
        return hw_fail_errno(e, HW_EIO, "cannot create the key file '%s'", path);
    randombytes_buf(master, sizeof(master));
    if (write(fd, master, sizeof(master)) != (ssize_t)sizeof(master) || fsync(fd) != 0) {
        rc = hw_fail_errno(e, HW_EIO, "cannot write the key file '%s'", tmp);
        close(fd);
        goto out;
    }
    if (close(fd) != 0) {
        rc = hw_fail_errno(e, HW_EIO, "cannot write the key file '%s'", tmp);
        goto out;
    }
    /*
     * link, unlike rename, never replaces a file: a key already there may be
     * the only one that opens some database.  A file system without hard
     * links falls back to rename after a check.
     */
    if (link(tmp, path) != 0) {
        if (errno == EEXIST) {
            rc = hw_fail(e, HW_ECONFLICT, NULL, "the key file '%s' exists already", path);
            goto out;
        }
        if (access(path, F_OK) == 0) {
            rc = hw_fail(e, HW_ECONFLICT, NULL, "the key file '%s' exists already", path);
            goto out;
        }
        if (rename(tmp, path) != 0) {
            rc = hw_fail_errno(e, HW_EIO, "cannot create the key file '%s'", path);
            goto out;
        }
    }
    sync_dir(path);
    rc = derive(path, master, out, e);
out:
    unlink(tmp);
    sodium_memzero(master, sizeof(master));
    return rc;
}

hw_code hw_keys_ephemeral(hw_keys **out, hw_err *e)
{
    unsigned char master[HW_KEY_BYTES];
    hw_code rc;

    *out = NULL;
    if ((rc = start(e)))
        return rc;
    randombytes_buf(master, sizeof(master));
    rc = derive("", master, out, e);
    sodium_memzero(master, sizeof(master));
    return rc;
}

void hw_keys_free(hw_keys *k)
{
    if (k) {
        sodium_memzero(k->sub, sizeof(k->sub));
        free(k);
    }
}

const unsigned char *hw_keys_subkey(const hw_keys *k, hw_key_purpose p)
{
    assert((unsigned)p < HW_KEY_PURPOSES);
    return k->sub[p];
}

const char *hw_keys_path(const hw_keys *k)
{
    return k->path;
}

void hw_keys_check_text(const hw_keys *k, char out[HW_KEY_CHECK_HEX + 1])
{
    static const char what[] = "homeward key check";
    unsigned char h[HW_KEY_CHECK_HEX / 2];

    crypto_generichash(h, sizeof(h), (const unsigned char *)what, sizeof(what) - 1,
                       k->sub[HW_KEY_CHECK], HW_KEY_BYTES);
    sodium_bin2hex(out, HW_KEY_CHECK_HEX + 1, h, sizeof(h));
}
