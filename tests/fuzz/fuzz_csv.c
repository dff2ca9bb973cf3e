/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes through the CSV reader and every
 * field's validation.  Bad input must give errors, never a crash, a hang or
 * unbounded memory.  Built and run by `make fuzz` (part of `make test`).
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "homeward/arena.h"
#include "homeward/csv.h"
#include "homeward/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz", 0);
    hw_csv_reader r;
    hw_arena a;
    uint64_t line;
    hw_err e;
    hw_kind k = size ? (hw_kind)(data[0] % HW_K_COUNT) : HW_K_PEOPLE;
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_value *row = calloc(d->nfields, sizeof(*row));

    if (fd < 0 || !row || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
        abort();
    hw_arena_init(&a, 4096, 1 << 20);
    if (hw_csv_init_fd(&r, fd, 4096, &e) == HW_OK) {
        for (int records = 0; records < 10000; records++) {
            hw_code rc = hw_csv_next(&r, &line, &e);

            if (rc != HW_OK && rc != HW_EINVAL)
                break;
            if (rc == HW_OK && r.nfields == 0)
                break;
            if (rc)
                continue;
            hw_arena_reset(&a);
            for (size_t i = 0; i < r.nfields && i < d->nfields; i++)
                hw_vocab_parse(&d->fields[i], r.fields[i].p, r.fields[i].n, &a, &row[i], &e);
            if (r.nfields >= d->nfields) {
                bool ok = true;

                for (size_t i = 0; i < d->nfields && ok; i++)
                    ok = hw_vocab_parse(&d->fields[i], r.fields[i].p, r.fields[i].n, &a, &row[i],
                                        &e) == HW_OK;
                if (ok)
                    hw_vocab_check_row(k, row, &e);
            }
        }
        hw_csv_release(&r);
    }
    hw_arena_release(&a);
    free(row);
    close(fd);
    return 0;
}
