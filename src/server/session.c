/* SPDX-License-Identifier: MIT */
/*
 * Sessions, CSRF tokens and sign-in throttling, in memory: a restart signs
 * everyone out, which is the safe direction.  Nothing here is a secret in
 * the clear: a session is found by a hash of its cookie value, so neither a
 * memory dump nor a log line of a key gives a usable cookie.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"
#include "core/banned.h"

enum {
    NBUCKETS = 4096,
    IDLE_S = 30 * 60,          /* a session unused this long ends */
    ABSOLUTE_S = 12 * 60 * 60, /* and every session ends after this */
    MAX_SESSIONS = 100000,
    THROTTLE_FAILS = 5,          /* failures allowed an account in a window */
    THROTTLE_ADDRESS_FAILS = 20, /* and an address, which several staff may share */
    THROTTLE_WINDOW_S = 15 * 60,
    MAX_THROTTLE = 100000,
};

typedef struct node {
    struct node *next;
    unsigned char key[32];
    int64_t created, seen;
    /* a session */
    hw_user user;
    char csrf[44];
    /* a throttle entry: failures since `created`; a TOTP entry: the last step in `seen` */
    int failures;
} node;

typedef struct table {
    node *b[NBUCKETS];
    size_t n;
} table;

struct hw_sessions {
    pthread_mutex_t lock;
    table sessions, throttle, totp;
    unsigned char
        salt[crypto_generichash_KEYBYTES]; /* keys the hashes: no one can aim at a bucket */
};

hw_sessions *hw__sessions_new(void)
{
    hw_sessions *ss = calloc(1, sizeof(*ss));

    if (!ss)
        return NULL;
    pthread_mutex_init(&ss->lock, NULL);
    randombytes_buf(ss->salt, sizeof(ss->salt));
    return ss;
}

static void table_clear(table *t)
{
    for (size_t i = 0; i < NBUCKETS; i++) {
        while (t->b[i]) {
            node *n = t->b[i];

            t->b[i] = n->next;
            sodium_memzero(n, sizeof(*n));
            free(n);
        }
    }
    t->n = 0;
}

void hw__sessions_free(hw_sessions *ss)
{
    if (!ss)
        return;
    table_clear(&ss->sessions);
    table_clear(&ss->throttle);
    table_clear(&ss->totp);
    pthread_mutex_destroy(&ss->lock);
    free(ss);
}

static void key_of(const hw_sessions *ss, char tag, const char *text, unsigned char key[32])
{
    crypto_generichash_state st;

    crypto_generichash_init(&st, ss->salt, sizeof(ss->salt), 32);
    crypto_generichash_update(&st, (const unsigned char *)&tag, 1);
    crypto_generichash_update(&st, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&st, key, 32);
}

static node **find(table *t, const unsigned char key[32])
{
    size_t h;
    node **p;

    memcpy(&h, key, sizeof(h));
    for (p = &t->b[h % NBUCKETS]; *p; p = &(*p)->next)
        if (!sodium_memcmp((*p)->key, key, 32))
            return p;
    return p;
}

static void unlink_node(table *t, node **p)
{
    node *n = *p;

    *p = n->next;
    sodium_memzero(n, sizeof(*n));
    free(n);
    t->n--;
}

/* Drop every node `dead` says is over; called when a table is full. */
static void sweep(table *t, bool (*dead)(const node *n, int64_t now), int64_t now)
{
    for (size_t i = 0; i < NBUCKETS; i++)
        for (node **p = &t->b[i]; *p;)
            if (dead(*p, now))
                unlink_node(t, p);
            else
                p = &(*p)->next;
}

static bool session_dead(const node *n, int64_t now)
{
    return now - n->seen > IDLE_S || now - n->created > ABSOLUTE_S;
}

static bool throttle_dead(const node *n, int64_t now)
{
    return now - n->created > THROTTLE_WINDOW_S;
}

static node *insert(table *t, const unsigned char key[32], size_t max,
                    bool (*dead)(const node *n, int64_t now), int64_t now)
{
    node **p, *n;

    if (t->n >= max)
        sweep(t, dead, now);
    if (t->n >= max || !(n = calloc(1, sizeof(*n))))
        return NULL;
    p = find(t, key);
    memcpy(n->key, key, 32);
    n->next = NULL;
    *p = n;
    t->n++;
    return n;
}

/* 32 random bytes as 43 characters of unpadded base64url. */
static void random_token(char out[44])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, 44, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

bool hw__session_create(hw_sessions *ss, const hw_user *u, int64_t now, char token[44],
                        char csrf[44])
{
    unsigned char key[32];
    node *n;

    random_token(token);
    random_token(csrf);
    key_of(ss, 's', token, key);
    pthread_mutex_lock(&ss->lock);
    n = insert(&ss->sessions, key, MAX_SESSIONS, session_dead, now);
    if (n) {
        n->user = *u;
        memcpy(n->csrf, csrf, 44);
        n->created = n->seen = now;
    }
    pthread_mutex_unlock(&ss->lock);
    return n != NULL;
}

bool hw__session_get(hw_sessions *ss, const char *token, int64_t now, hw_user *u, char csrf[44])
{
    unsigned char key[32];
    node **p;
    bool ok = false;

    if (strlen(token) != 43)
        return false;
    key_of(ss, 's', token, key);
    pthread_mutex_lock(&ss->lock);
    p = find(&ss->sessions, key);
    if (*p && session_dead(*p, now)) {
        unlink_node(&ss->sessions, p);
    } else if (*p) {
        (*p)->seen = now;
        *u = (*p)->user;
        memcpy(csrf, (*p)->csrf, 44);
        ok = true;
    }
    pthread_mutex_unlock(&ss->lock);
    return ok;
}

void hw__session_end(hw_sessions *ss, const char *token)
{
    unsigned char key[32];
    node **p;

    key_of(ss, 's', token, key);
    pthread_mutex_lock(&ss->lock);
    p = find(&ss->sessions, key);
    if (*p)
        unlink_node(&ss->sessions, p);
    pthread_mutex_unlock(&ss->lock);
}

void hw__session_end_user(hw_sessions *ss, int64_t user_id)
{
    pthread_mutex_lock(&ss->lock);
    for (size_t i = 0; i < NBUCKETS; i++)
        for (node **p = &ss->sessions.b[i]; *p;)
            if ((*p)->user.id == user_id)
                unlink_node(&ss->sessions, p);
            else
                p = &(*p)->next;
    pthread_mutex_unlock(&ss->lock);
}

/* The throttle keys of an account (its address in lower case) and of a client address. */
static void throttle_keys(const hw_sessions *ss, const char *email, const char *address,
                          unsigned char acct[32], unsigned char addr[32])
{
    char lower[256];
    size_t i;

    for (i = 0; email[i] && i < sizeof(lower) - 1; i++)
        lower[i] = (email[i] >= 'A' && email[i] <= 'Z') ? (char)(email[i] + 32) : email[i];
    lower[i] = '\0';
    key_of(ss, 'e', lower, acct);
    key_of(ss, 'a', address, addr);
}

static int wait_of(table *t, const unsigned char key[32], int limit, int64_t now)
{
    node **p = find(t, key);

    if (!*p)
        return 0;
    if (throttle_dead(*p, now)) {
        unlink_node(t, p);
        return 0;
    }
    return (*p)->failures >= limit ? (int)((*p)->created + THROTTLE_WINDOW_S - now) + 1 : 0;
}

int hw__throttle_wait(hw_sessions *ss, const char *email, const char *address, int64_t now)
{
    unsigned char acct[32], addr[32];
    int a, b;

    throttle_keys(ss, email, address, acct, addr);
    pthread_mutex_lock(&ss->lock);
    a = wait_of(&ss->throttle, acct, THROTTLE_FAILS, now);
    b = wait_of(&ss->throttle, addr, THROTTLE_ADDRESS_FAILS, now);
    pthread_mutex_unlock(&ss->lock);
    return a > b ? a : b;
}

static void fail_one(table *t, const unsigned char key[32], int64_t now)
{
    node **p = find(t, key);
    node *n = *p;

    if (n && throttle_dead(n, now)) {
        unlink_node(t, p);
        n = NULL;
    }
    if (!n && (n = insert(t, key, MAX_THROTTLE, throttle_dead, now)))
        n->created = now;
    if (n)
        n->failures++;
}

void hw__throttle_fail(hw_sessions *ss, const char *email, const char *address, int64_t now)
{
    unsigned char acct[32], addr[32];

    throttle_keys(ss, email, address, acct, addr);
    pthread_mutex_lock(&ss->lock);
    fail_one(&ss->throttle, acct, now);
    fail_one(&ss->throttle, addr, now);
    pthread_mutex_unlock(&ss->lock);
}

void hw__throttle_clear(hw_sessions *ss, const char *email)
{
    unsigned char acct[32], addr[32];
    node **p;

    throttle_keys(ss, email, "", acct, addr);
    pthread_mutex_lock(&ss->lock);
    p = find(&ss->throttle, acct);
    if (*p)
        unlink_node(&ss->throttle, p);
    pthread_mutex_unlock(&ss->lock);
}

/* A TOTP entry matters only while its step could still be accepted. */
static bool totp_dead(const node *n, int64_t now)
{
    return now - n->seen > 3600;
}

bool hw__totp_step_fresh(hw_sessions *ss, int64_t user_id, int64_t step)
{
    unsigned char key[32];
    char id[24];
    node **p, *n;
    bool fresh;

    snprintf(id, sizeof(id), "%lld", (long long)user_id);
    key_of(ss, 't', id, key);
    pthread_mutex_lock(&ss->lock);
    p = find(&ss->totp, key);
    n = *p ? *p : insert(&ss->totp, key, MAX_SESSIONS, totp_dead, step * 30);
    fresh = n && (n->failures == 0 || step > n->created);
    if (fresh) {
        n->failures = 1;
        n->created = step;
        n->seen = step * 30;
    }
    pthread_mutex_unlock(&ss->lock);
    return fresh;
}
