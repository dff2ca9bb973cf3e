/* SPDX-License-Identifier: MIT */
/* Organisations and users: roles, and passwords kept only as Argon2id hashes. */
#include <sqlite3.h>
#include <string.h>

#include "homeward/users.h"
#include "unit.h"

TEST(users_passwords_are_hashed_and_checked)
{
    static const char pw[] = "correct horse battery staple";
    hw_store *s = NULL;
    int64_t org = 0, id = 0, who = 0;
    int ok = -1;
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path("u.db"), HW_STORE_CREATE, &s, &e), HW_OK);
    EXPECT_CODE(hw_org_add(s, "Org", "PA", &org, &e), HW_OK);
    EXPECT_CODE(hw_org_add(s, "", NULL, &id, &e), HW_EINVAL);
    EXPECT(hw_role_valid("funder") && !hw_role_valid("root") && !hw_role_valid(NULL));
    EXPECT_CODE_E(hw_user_add(s, "a@example.org", "finance", org, pw, strlen(pw), &id, &e), HW_OK,
                  &e);
    EXPECT_CODE(hw_user_add(s, "A@EXAMPLE.ORG", "legal", org, pw, strlen(pw), &id, &e),
                HW_ECONFLICT);
    EXPECT_CODE(hw_user_add(s, "b@example.org", "legal", org, pw, 11, &id, &e), HW_EINVAL);
    EXPECT_STR(e.field, "password");
    EXPECT_CODE(hw_user_check_password(s, "a@example.org", pw, strlen(pw), &ok, &who, &e), HW_OK);
    EXPECT_INT(ok, 1);
    EXPECT_CODE(hw_user_check_password(s, "A@Example.org", "correct horse battery stapler", 29, &ok,
                                       &who, &e),
                HW_OK);
    EXPECT_INT(ok, 0);
    EXPECT_CODE(hw_user_check_password(s, "nobody@example.org", pw, strlen(pw), &ok, &who, &e),
                HW_ENOTFOUND);
    hw_store_close(s);

    /* Nothing of the password is stored, and the file refuses a hash that is not Argon2id. */
    sqlite3 *db;
    sqlite3_stmt *st;
    sqlite3_open(unit_path("u.db"), &db);
    sqlite3_prepare_v2(db, "SELECT password_hash FROM users", -1, &st, NULL);
    EXPECT(sqlite3_step(st) == SQLITE_ROW);
    EXPECT(strstr((const char *)sqlite3_column_text(st, 0), "$argon2id$") != NULL);
    EXPECT(strstr((const char *)sqlite3_column_text(st, 0), "horse") == NULL);
    sqlite3_finalize(st);
    EXPECT(sqlite3_exec(db,
                        "INSERT INTO users(organisation_id, email, role, password_hash, "
                        "created_at) VALUES (1, 'c@example.org', 'admin', 'plain', 'now')",
                        NULL, NULL, NULL) != SQLITE_OK);
    sqlite3_close(db);
}
