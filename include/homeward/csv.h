/* SPDX-License-Identifier: MIT */
/*
 * Streaming CSV (RFC 4180): quoted fields, doubled quotes, commas and line
 * breaks inside quotes, LF or CRLF line ends, a UTF-8 byte-order mark.
 * Memory is bounded by the largest record allowed, never by the file.
 *
 * A malformed record (a stray quote, a record over the size limit) is an
 * error for that record alone: the reader skips to the next record, so a
 * caller can report every bad line in one pass.
 */
#ifndef HOMEWARD_CSV_H
#define HOMEWARD_CSV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "homeward/buf.h"
#include "homeward/error.h"
#include "homeward/text.h"

#define HW_CSV_MAX_RECORD (1u << 20) /* bytes in one record, by default */
#define HW_CSV_MAX_FIELDS 1024

typedef struct hw_csv_reader {
    int fd; /* borrowed or opened: see own_fd */
    bool own_fd;
    char *buf;       /* read buffer, owned */
    size_t len, pos; /* bytes in buf, next byte to read */
    bool eof;        /* read() returned 0 */
    bool skip_lf;    /* the last record ended in CR: a following LF belongs to it */
    uint64_t line;   /* line number of the next byte */
    uint64_t bytes;  /* bytes consumed so far (for progress) */
    size_t max_record;
    hw_buf rec;     /* the current record's field bytes, each NUL-terminated */
    size_t *off;    /* offset of each field in rec, owned */
    hw_str *fields; /* the current record's fields, owned */
    size_t nfields;
} hw_csv_reader;

/* Read from an open descriptor, which the reader borrows. */
hw_code hw_csv_init_fd(hw_csv_reader *r, int fd, size_t max_record, hw_err *e);

/* Open `path` for reading ("-" is standard input). */
hw_code hw_csv_open(hw_csv_reader *r, const char *path, size_t max_record, hw_err *e);

/*
 * Read the next record.  On HW_OK, r->fields[0..r->nfields) hold it (valid
 * until the next call) and *line is the line it starts on; at the end of
 * the input nfields is 0.  HW_EINVAL is a bad record (the message says
 * why; *line says where) and the reader has moved past it; HW_EIO is final.
 * Blank lines are skipped.
 */
hw_code hw_csv_next(hw_csv_reader *r, uint64_t *line, hw_err *e);

/* Close what the reader opened and free its memory.  Accepts a zeroed reader. */
void hw_csv_release(hw_csv_reader *r);

/* Append one field to `out`, quoted when it needs to be, preceded by ',' unless first. */
hw_code hw_csv_put(hw_buf *out, const char *s, size_t n, bool first, hw_err *e);

#endif
