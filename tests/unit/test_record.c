/* SPDX-License-Identifier: MIT */
/* Records as JSON: the text writer and the tree agree on every record of a demo database. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/demo.h"
#include "homeward/record.h"
#include "unit.h"

typedef struct same {
    hw_kind k;
    size_t rows, differ;
} same;

static int compare(void *ud, const hw_value *row)
{
    same *x = ud;
    hw_buf b = HW_BUF_INIT(0);
    json_t *tree = hw_record_to_json(x->k, row), *text;

    EXPECT_CODE(hw_record_write_json(&b, x->k, row, NULL), HW_OK);
    text = json_loadb(b.p, b.n, JSON_REJECT_DUPLICATES, NULL);
    if (!text || !json_equal(text, tree))
        x->differ++;
    x->rows++;
    json_decref(tree);
    json_decref(text);
    hw_buf_release(&b);
    return 0;
}

TEST(record_json_text_matches_the_tree)
{
    hw_demo_opts o = {.people = 200, .seed = 9, .as_of = 20415};
    hw_demo_result res;
    hw_store *s = NULL;
    hw_err e;

    remove(unit_path("record.db"));
    EXPECT_CODE_E(hw_store_open(unit_path("record.db"), HW_STORE_CREATE, &s, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_demo_generate(s, &o, &res, &e), HW_OK, &e);
    for (int k = HW_K_ORGANISATIONS; k < HW_K_COUNT; k++) {
        same x = {.k = (hw_kind)k};

        EXPECT_CODE_E(hw_store_scan(s, (hw_kind)k, compare, &x, &e), HW_OK, &e);
        EXPECT_INT(x.differ, 0);
        EXPECT(x.rows > 0);
    }
    hw_store_close(s);
}

TEST(record_json_text_escapes)
{
    /* Quotes, backslashes, line breaks and other controls, and UTF-8 kept as it is. */
    static const char memo[] = "line \"one\"\\\nline\ttwo\r\x01\b\f\x1f caf\xc3\xa9";
    const hw_kind_desc *d = hw_vocab_kind(HW_K_LEDGER);
    hw_value *row = calloc(d->nfields, sizeof(*row));
    hw_buf b = HW_BUF_INIT(0);
    json_t *j;
    int m = hw_vocab_field_index(HW_K_LEDGER, "memo", 4);

    for (size_t i = 0; i < d->nfields; i++)
        row[i].null = true;
    row[0] = (hw_value){.i = 7};
    row[m] = (hw_value){.s = memo, .n = sizeof(memo) - 1};
    EXPECT_CODE(hw_record_write_json(&b, HW_K_LEDGER, row, NULL), HW_OK);
    j = json_loadb(b.p, b.n, 0, NULL);
    EXPECT(j != NULL);
    EXPECT_STR(json_string_value(json_object_get(j, "memo")), memo);
    EXPECT_INT(json_integer_value(json_object_get(j, "id")), 7);
    EXPECT(json_is_null(json_object_get(j, "reference")));
    {
        /* Escaped byte for byte as jansson escapes it. */
        char *want = json_dumps(json_object_get(j, "memo"), JSON_ENCODE_ANY);

        hw_buf_clear(&b);
        EXPECT_CODE(hw_buf_put_json_string(&b, memo, sizeof(memo) - 1, NULL), HW_OK);
        EXPECT_STR(b.p, want);
        free(want);
    }
    json_decref(j);
    hw_buf_release(&b);
    free(row);
}
