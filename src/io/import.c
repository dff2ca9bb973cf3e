/* SPDX-License-Identifier: MIT */
/*
 * The importer: rows from CSV or JSON Lines, validated against the
 * vocabulary, checked for references, inserted in one transaction.  See
 * import.h for the contract.
 */
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "homeward/arena.h"
#include "homeward/audit.h"
#include "homeward/buf.h"
#include "homeward/csv.h"
#include "homeward/import.h"
#include "homeward/record.h"

#define DEFAULT_MAX_ERRORS 20
#define MAX_LINE HW_CSV_MAX_RECORD

int hw_format_by_name(const char *name)
{
    if (!strcmp(name, "csv"))
        return HW_FORMAT_CSV;
    if (!strcmp(name, "jsonl"))
        return HW_FORMAT_JSONL;
    return -1;
}

/* The state of one import. */
typedef struct imp {
    hw_store *s;
    const hw_import_opts *o;
    hw_import_report *rep;
    hw_kind k;
    const hw_kind_desc *d;
    int person_field; /* index of person_id in a row, or -1 */
    size_t max_errors;
    hw_value *row; /* one value per field */
    hw_str *raw;   /* the row's text per field, for the rejects file */
    struct {
        int64_t id, owner; /* the last reference looked up in this column (ids are >= 1) */
    } * ref_cache;
    hw_arena a;           /* per-row scratch */
    const char *file;     /* the file being read */
    FILE *rejects;        /* the rejects file, written to a temporary name */
    hw_buf out;           /* one rejects line */
    uint64_t done_before; /* bytes of earlier files */
    uint64_t total;       /* bytes of all files, 0 when unknown */
    bool stop;            /* strict mode hit max_errors */
} imp;

static hw_code note(imp *im, uint64_t line, const hw_err *err)
{
    hw_import_report *rep = im->rep;

    if (rep->nerrors < im->max_errors) {
        hw_import_error *x = &rep->errors[rep->nerrors++];

        x->file = im->file;
        x->line = line;
        x->err = *err;
    } else {
        rep->truncated = true;
        if (!(im->o->flags & HW_IMPORT_KEEP_GOING))
            im->stop = true;
    }
    return HW_OK;
}

/* Write a bad row, with why, to the rejects file. */
static hw_code reject(imp *im, uint64_t line, const char *why, hw_err *e)
{
    char num[24];
    hw_code rc;

    if (!im->rejects)
        return HW_OK;
    hw_buf_clear(&im->out);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)line);
    rc = hw_csv_put(&im->out, im->file, strlen(im->file), true, e);
    if (!rc)
        rc = hw_csv_put(&im->out, num, strlen(num), false, e);
    if (!rc)
        rc = hw_csv_put(&im->out, why, strlen(why), false, e);
    for (size_t i = 0; i < im->d->nfields && !rc; i++)
        rc = hw_csv_put(&im->out, im->raw[i].p, im->raw[i].n, false, e);
    if (!rc)
        rc = hw_buf_putc(&im->out, '\n', e);
    if (!rc && fwrite(im->out.p, 1, im->out.n, im->rejects) != im->out.n)
        rc = hw_fail_errno(e, HW_EIO, "writing the rejects file");
    return rc;
}

/* Forget the current row's text: a malformed record has no fields to write back. */
static void clear_raw(imp *im)
{
    for (size_t i = 0; i < im->d->nfields; i++)
        im->raw[i] = (hw_str){"", 0};
}

/* A record that never became a row (malformed, the wrong width, not JSON): count, note, set aside.
 */
static hw_code bad_record(imp *im, uint64_t line, const hw_err *err, hw_err *e)
{
    im->rep->rows++;
    im->rep->rejected++;
    note(im, line, err);
    return reject(im, line, err->msg, e);
}

/*
 * Check every reference: the record exists, and where the field says so it
 * belongs to the row's own person.  Extracts come sorted by person, so one
 * remembered lookup per column saves most of them.  Because every reference
 * is checked here, the store is told to skip its own foreign-key check.
 */
static hw_code check_refs(imp *im, hw_err *err)
{
    int pf = im->person_field;
    hw_code rc;

    for (size_t i = 0; i < im->d->nfields; i++) {
        const hw_field *f = &im->d->fields[i];
        int64_t owner = 0;

        if (f->type != HW_T_REF || im->row[i].null)
            continue;
        if (im->ref_cache[i].id == im->row[i].i) {
            owner = im->ref_cache[i].owner;
        } else {
            rc = hw_store_owner(im->s, f->ref, im->row[i].i, &owner, err);
            if (rc == HW_ENOTFOUND)
                return hw_fail(err, rc, f->name, "no %s with id %lld",
                               hw_vocab_kind(f->ref)->singular, (long long)im->row[i].i);
            if (rc)
                return rc;
            im->ref_cache[i].id = im->row[i].i;
            im->ref_cache[i].owner = owner;
        }
        if ((f->flags & HW_F_SAME_PERSON) && pf >= 0 && owner != im->row[pf].i)
            return hw_fail(err, HW_EINVAL, f->name, "%s %lld belongs to person %lld, not %lld",
                           hw_vocab_kind(f->ref)->singular, (long long)im->row[i].i,
                           (long long)owner, (long long)im->row[pf].i);
    }
    return HW_OK;
}

/*
 * Validate and insert the row whose text is in im->raw.  Problems with the
 * row are noted and return HW_OK; only a failure of the store itself stops
 * the import.
 */
static hw_code import_row(imp *im, uint64_t line, hw_err *e)
{
    hw_err err;
    hw_code rc;
    bool bad = false;
    char why[600];
    size_t wn = 0;

    im->rep->rows++;
    hw_arena_reset(&im->a);
    why[0] = '\0';
    for (size_t i = 0; i < im->d->nfields; i++) {
        hw_err_clear(&err);
        if (hw_vocab_parse(&im->d->fields[i], im->raw[i].p, im->raw[i].n, &im->a, &im->row[i],
                           &err)) {
            if (err.code != HW_EINVAL)
                return hw_fail(e, err.code, err.field, "%s", err.msg);
            note(im, line, &err);
            if (wn < sizeof(why))
                wn += (size_t)snprintf(why + wn, sizeof(why) - wn, "%scolumn %s: %s",
                                       bad ? "; " : "", err.field, err.msg);
            bad = true;
        }
    }
    if (!bad) {
        hw_err_clear(&err);
        rc = hw_vocab_check_row(im->k, im->row, &err);
        if (!rc)
            rc = check_refs(im, &err);
        if (!rc)
            rc = hw_store_insert(im->s, im->k, im->row, &err);
        if (rc == HW_EINVAL || rc == HW_ENOTFOUND || rc == HW_ECONFLICT) {
            note(im, line, &err);
            snprintf(why, sizeof(why), "column %s: %s", err.field, err.msg);
            bad = true;
        } else if (rc) {
            return hw_fail(e, rc, err.field, "%s", err.msg);
        }
    }
    if (!bad)
        return HW_OK;
    im->rep->rejected++;
    return reject(im, line, why, e);
}

static int progress(imp *im, uint64_t bytes_in_file)
{
    if (!im->o->progress)
        return 0;
    return im->o->progress(im->o->progress_ud, im->done_before + bytes_in_file, im->total);
}

/* A problem with a whole file, already described in e: note it and fail. */
static hw_code file_problem(imp *im, uint64_t line, hw_err *e)
{
    note(im, line, e);
    return e->code;
}

/* Read the header row: which vocabulary field each column holds (-1: a note column). */
static hw_code read_header(imp *im, hw_csv_reader *r, int *col, hw_err *e)
{
    bool have[128] = {false};
    uint64_t line;
    hw_code rc = hw_csv_next(r, &line, e);

    if (rc == HW_EINVAL) {
        char why[sizeof(e->msg)];

        snprintf(why, sizeof(why), "%s", e->msg);
        hw_fail(e, HW_EINVAL, NULL, "bad header row: %s", why);
        return file_problem(im, line, e);
    }
    if (rc)
        return rc;
    if (r->nfields == 0) {
        hw_fail(e, HW_EINVAL, NULL, "empty file: want a header row naming the columns");
        return file_problem(im, 0, e);
    }
    for (size_t c = 0; c < r->nfields; c++) {
        hw_str h = r->fields[c];
        int f;

        while (h.n && (h.p[h.n - 1] == ' ' || h.p[h.n - 1] == '\t'))
            h.n--;
        while (h.n && (h.p[0] == ' ' || h.p[0] == '\t')) {
            h.p++;
            h.n--;
        }
        if (h.n && h.p[0] == '_') { /* _file, _line, _error: notes, as in a rejects file */
            col[c] = -1;
            continue;
        }
        f = hw_vocab_field_index(im->k, h.p, h.n);
        if (f < 0) {
            char name[80];

            snprintf(name, sizeof(name), "%.*s", (int)(h.n > 60 ? 60 : h.n), h.p);
            hw_fail(e, HW_EINVAL, NULL,
                    "unknown column '%s' (the fields of %s are in docs/vocabulary.md)", name,
                    im->d->name);
            return file_problem(im, line, e);
        }
        if (have[f]) {
            hw_fail(e, HW_EINVAL, im->d->fields[f].name, "column '%s' appears twice",
                    im->d->fields[f].name);
            return file_problem(im, line, e);
        }
        have[f] = true;
        col[c] = f;
    }
    for (size_t f = 0; f < im->d->nfields; f++)
        if ((im->d->fields[f].flags & HW_F_REQUIRED) && !have[f]) {
            hw_fail(e, HW_EINVAL, im->d->fields[f].name, "missing column '%s', which %s require",
                    im->d->fields[f].name, im->d->name);
            return file_problem(im, line, e);
        }
    return HW_OK;
}

static hw_code import_csv(imp *im, const char *path, hw_err *e)
{
    hw_csv_reader r;
    int col[HW_CSV_MAX_FIELDS];
    size_t ncols;
    uint64_t line = 0, rows = 0;
    hw_code rc;

    rc = hw_csv_open(&r, path, 0, e);
    if (rc) {
        hw_err err = *e;

        note(im, 0, &err);
        return rc == HW_EIO ? HW_EINVAL : rc;
    }
    rc = read_header(im, &r, col, e);
    if (rc)
        goto out;
    ncols = r.nfields;
    while (!im->stop) {
        hw_err err;

        hw_err_clear(&err);
        rc = hw_csv_next(&r, &line, &err);
        if (rc == HW_EINVAL) {
            /* A malformed record: report it, skip it, go on. */
            clear_raw(im);
            if ((rc = bad_record(im, line, &err, e)))
                goto out;
            continue;
        }
        if (rc) {
            hw_fail(e, rc, NULL, "%s", err.msg);
            goto out;
        }
        if (r.nfields == 0)
            break;
        clear_raw(im);
        for (size_t c = 0; c < r.nfields && c < ncols; c++)
            if (col[c] >= 0)
                im->raw[col[c]] = r.fields[c];
        if (r.nfields != ncols) {
            hw_fail(&err, HW_EINVAL, NULL, "%zu fields, but the header has %zu", r.nfields, ncols);
            rc = bad_record(im, line, &err, e);
        } else {
            rc = import_row(im, line, e);
        }
        if (rc)
            goto out;
        if ((++rows & 4095) == 0 && progress(im, r.bytes)) {
            rc = hw_fail(e, HW_ECANCELED, NULL, "interrupted");
            goto out;
        }
    }
    progress(im, r.bytes);
    im->done_before += r.bytes;
out:
    hw_csv_release(&r);
    return rc;
}

/* One JSON Lines record into im->raw; problems go to err. */
static hw_code json_row(imp *im, const char *p, size_t n, hw_buf *text, size_t *offs, hw_err *err)
{
    json_error_t jerr;
    json_t *obj = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
    const char *key;
    json_t *v;
    hw_code rc = HW_OK;

    if (!obj)
        return hw_fail(err, HW_EINVAL, NULL, "not JSON: %s (column %d)", jerr.text, jerr.column);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return hw_fail(err, HW_EINVAL, NULL, "not a JSON object");
    }
    hw_buf_clear(text);
    for (size_t i = 0; i < im->d->nfields; i++)
        offs[i] = SIZE_MAX;
    json_object_foreach(obj, key, v)
    {
        int f;

        if (key[0] == '_')
            continue;
        f = hw_vocab_field_index(im->k, key, strlen(key));
        if (f < 0) {
            rc = hw_fail(err, HW_EINVAL, NULL, "unknown field '%.60s'", key);
            break;
        }
        offs[f] = text->n;
        if ((rc = hw_record_json_text(v, key, text, err)) || (rc = hw_buf_putc(text, '\0', err)))
            break;
    }
    json_decref(obj);
    if (rc)
        return rc;
    for (size_t i = 0; i < im->d->nfields; i++)
        im->raw[i] = offs[i] == SIZE_MAX ? (hw_str){"", 0}
                                         : (hw_str){text->p + offs[i], strlen(text->p + offs[i])};
    return HW_OK;
}

static hw_code import_jsonl(imp *im, const char *path, hw_err *e)
{
    int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    hw_buf line = HW_BUF_INIT(MAX_LINE), text = HW_BUF_INIT(0);
    size_t *offs = calloc(im->d->nfields, sizeof(*offs));
    char *buf = malloc(1 << 16);
    uint64_t lineno = 0, bytes = 0;
    bool too_long = false;
    hw_code rc = HW_OK;
    ssize_t n;

    if (fd < 0) {
        hw_err err;

        hw_fail_errno(&err, HW_EIO, "cannot open '%s'", path);
        note(im, 0, &err);
        *e = err;
        rc = HW_EINVAL;
        goto out;
    }
    if (!offs || !buf) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    for (;;) {
        do
            n = read(fd, buf, 1 << 16);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            rc = hw_fail_errno(e, HW_EIO, "reading '%s'", path);
            goto out;
        }
        for (ssize_t i = 0; i <= n && !im->stop; i++) {
            bool end = i == n ? n == 0 : buf[i] == '\n';
            hw_err err;

            if (i == n && n > 0)
                break;
            if (!end) {
                if (!too_long && hw_buf_putc(&line, buf[i], NULL))
                    too_long = true;
                continue;
            }
            if (n == 0 && line.n == 0 && !too_long)
                break;
            lineno++;
            if (line.n && line.p[line.n - 1] == '\r')
                line.p[--line.n] = '\0';
            hw_err_clear(&err);
            if (too_long) {
                hw_fail(&err, HW_EINVAL, NULL, "line longer than %u bytes", MAX_LINE);
            } else if (line.n == 0) {
                continue; /* a blank line */
            } else if (!json_row(im, line.p, line.n, &text, offs, &err)) {
                rc = import_row(im, lineno, e);
                if (rc)
                    goto out;
            }
            if (err.code) {
                clear_raw(im);
                if ((rc = bad_record(im, lineno, &err, e)))
                    goto out;
            }
            hw_buf_clear(&line);
            too_long = false;
        }
        bytes += (uint64_t)n;
        if (n == 0 || im->stop)
            break;
        if (progress(im, bytes)) {
            rc = hw_fail(e, HW_ECANCELED, NULL, "interrupted");
            goto out;
        }
    }
    im->done_before += bytes;
out:
    if (fd > STDIN_FILENO)
        close(fd);
    hw_buf_release(&line);
    hw_buf_release(&text);
    free(offs);
    free(buf);
    return rc;
}

static hw_code open_rejects(imp *im, char *tmp, size_t size, hw_err *e)
{
    hw_code rc = HW_OK;

    snprintf(tmp, size, "%s.tmp", im->o->rejects_path);
    im->rejects = fopen(tmp, "w");
    if (!im->rejects)
        return hw_fail_errno(e, HW_EIO, "cannot write '%s'", tmp);
    rc = hw_buf_append(&im->out, "_file,_line,_error", 18, e);
    for (size_t i = 0; i < im->d->nfields && !rc; i++)
        rc = hw_csv_put(&im->out, im->d->fields[i].name, strlen(im->d->fields[i].name), false, e);
    if (!rc)
        rc = hw_buf_putc(&im->out, '\n', e);
    if (!rc && fwrite(im->out.p, 1, im->out.n, im->rejects) != im->out.n)
        rc = hw_fail_errno(e, HW_EIO, "writing '%s'", tmp);
    return rc;
}

hw_code hw_import(hw_store *s, const hw_import_opts *o, const char *const *paths, size_t npaths,
                  hw_import_report *rep, hw_err *e)
{
    imp im = {0};
    char tmp[4096];
    bool keep_going = o->flags & HW_IMPORT_KEEP_GOING, began = false;
    hw_code rc = HW_OK;

    memset(rep, 0, sizeof(*rep));
    im.s = s;
    im.o = o;
    im.rep = rep;
    im.k = o->kind;
    im.d = hw_vocab_kind(o->kind);
    im.person_field = hw_vocab_person_field(o->kind);
    im.max_errors = o->max_errors ? o->max_errors : DEFAULT_MAX_ERRORS;
    hw_arena_init(&im.a, 16384, 0);
    hw_buf_init(&im.out, 0);
    im.row = calloc(im.d->nfields, sizeof(*im.row));
    im.raw = calloc(im.d->nfields, sizeof(*im.raw));
    im.ref_cache = calloc(im.d->nfields, sizeof(*im.ref_cache));
    rep->errors = calloc(im.max_errors, sizeof(*rep->errors));
    if (!im.row || !im.raw || !im.ref_cache || !rep->errors) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;

        if (strcmp(paths[i], "-") && stat(paths[i], &st) == 0)
            im.total += (uint64_t)st.st_size;
    }
    if (keep_going && o->rejects_path && (rc = open_rejects(&im, tmp, sizeof(tmp), e)))
        goto out;
    if ((rc = hw_store_begin(s, HW_BEGIN_REFS_CHECKED, e)))
        goto out;
    began = true;
    if ((rc = hw_store_bulk_load(s, o->kind, e)))
        goto out;
    for (size_t i = 0; i < npaths && !im.stop; i++) {
        im.file = paths[i];
        rc = o->format == HW_FORMAT_JSONL ? import_jsonl(&im, paths[i], e)
                                          : import_csv(&im, paths[i], e);
        if (rc)
            goto out;
    }
    if (im.stop) {
        rc = hw_fail(e, HW_EINVAL, NULL,
                     "stopped after %zu problems (--max-errors); nothing was imported",
                     rep->nerrors);
        goto out;
    }
    if (rep->rejected && !keep_going) {
        rc = hw_fail(e, HW_EINVAL, NULL, "%llu of %llu rows are bad; nothing was imported",
                     (unsigned long long)rep->rejected, (unsigned long long)rep->rows);
        goto out;
    }
    if (im.rejects) {
        if (fflush(im.rejects) || fsync(fileno(im.rejects)) || fclose(im.rejects)) {
            im.rejects = NULL;
            rc = hw_fail_errno(e, HW_EIO, "writing '%s'", tmp);
            goto out;
        }
        im.rejects = NULL;
    }
    /* One audit entry for the whole import, committed with its rows; no rows, no write. */
    if (!(o->flags & HW_IMPORT_DRY_RUN) && rep->rows > rep->rejected) {
        char detail[80];

        snprintf(detail, sizeof(detail), "%s %llu", im.d->name,
                 (unsigned long long)(rep->rows - rep->rejected));
        if ((rc = hw_audit_note(s, "import", im.d->name, 0, detail, e)))
            goto out;
    }
    /* A dry run checked and inserted every row as for real; now none of it stays. */
    rc = (o->flags & HW_IMPORT_DRY_RUN) ? hw_store_rollback(s, e) : hw_store_commit(s, e);
    if (rc)
        goto out;
    began = false;
    rep->imported = rep->rows - rep->rejected;
    /* The rejects file appears only once the good rows are in. */
    if (keep_going && o->rejects_path && rename(tmp, o->rejects_path) != 0)
        rc = hw_fail_errno(e, HW_EIO, "imported, but cannot rename '%s' to '%s'", tmp,
                           o->rejects_path);
out:
    if (began)
        hw_store_rollback(s, NULL);
    if (im.rejects) {
        fclose(im.rejects);
        unlink(tmp);
    } else if (rc && keep_going && o->rejects_path && rep->imported == 0) {
        unlink(tmp);
    }
    hw_arena_release(&im.a);
    hw_buf_release(&im.out);
    free(im.row);
    free(im.raw);
    free(im.ref_cache);
    return rc;
}

void hw_import_report_release(hw_import_report *rep)
{
    free(rep->errors);
    rep->errors = NULL;
    rep->nerrors = 0;
}
