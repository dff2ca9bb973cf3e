/* SPDX-License-Identifier: MIT */
/*
 * Import records of one kind from CSV or JSON Lines files.  Every field is
 * validated against the vocabulary, every reference is checked, and the
 * files go in as one transaction:
 *
 * - by default one bad row fails the whole import: every problem (up to
 *   max_errors) is reported with its file and line, and the database is
 *   exactly as it was;
 * - with HW_IMPORT_KEEP_GOING the good rows go in and the bad ones are
 *   written, with their error, to a rejects file.
 *
 * Memory stays flat however large the files: rows are streamed, and each
 * row's scratch memory is reused for the next.
 */
#ifndef HOMEWARD_IMPORT_H
#define HOMEWARD_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "homeward/error.h"
#include "homeward/store.h"
#include "homeward/vocab.h"

typedef enum hw_format {
    HW_FORMAT_CSV,
    HW_FORMAT_JSONL,
} hw_format;

/* "csv" or "jsonl" to a format; -1 when neither. */
int hw_format_by_name(const char *name);

enum hw_import_flags {
    HW_IMPORT_KEEP_GOING = 1 << 0, /* import the good rows; bad rows to rejects_path */
    HW_IMPORT_DRY_RUN = 1 << 1,    /* check everything as for real, then write nothing */
};

typedef struct hw_import_opts {
    hw_kind kind;
    hw_format format;
    unsigned flags;           /* enum hw_import_flags */
    const char *rejects_path; /* with KEEP_GOING: a CSV of the bad rows, or NULL */
    size_t max_errors;        /* problems kept for the report (0: 20); strict mode stops there */
    /* Called as bytes are read; return non-zero to cancel (HW_ECANCELED).  May be NULL. */
    int (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
} hw_import_opts;

/* One problem: where, and what.  err.field names the column, if any. */
typedef struct hw_import_error {
    const char *file; /* borrowed from the paths passed in */
    uint64_t line;    /* 1-based; 0 for the file as a whole */
    hw_err err;
} hw_import_error;

typedef struct hw_import_report {
    uint64_t rows;           /* data rows read */
    uint64_t imported;       /* rows now in the database (0 when rolled back); with
                                HW_IMPORT_DRY_RUN, the rows that would have gone in */
    uint64_t rejected;       /* rows with a problem */
    hw_import_error *errors; /* the first problems, owned; free with hw_import_report_release() */
    size_t nerrors;
    bool truncated; /* there were more problems than were kept */
} hw_import_report;

/*
 * Import `paths` ("-" is standard input) into store `s`.  HW_OK: committed.
 * HW_EINVAL: bad input, nothing written (the report lists the problems; with
 * KEEP_GOING only a problem with a whole file does this).  Any other code is
 * a failure described in `e`, and nothing was written either.
 */
hw_code hw_import(hw_store *s, const hw_import_opts *o, const char *const *paths, size_t npaths,
                  hw_import_report *rep, hw_err *e);

/* Free the report's memory.  Accepts a zeroed report. */
void hw_import_report_release(hw_import_report *rep);

#endif
