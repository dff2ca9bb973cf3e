/* SPDX-License-Identifier: MIT */
/* The progress bar: on a terminal only, redrawn at most ten times a second. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/banned.h"

double cli_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, const char *label, bool bytes)
{
    p->label = label;
    p->tty = isatty(STDERR_FILENO);
    p->bytes = bytes;
    p->start = cli_now();
    p->last_draw = 0;
}

static void human(char *out, size_t size, uint64_t v, bool bytes)
{
    if (bytes && v >= (1u << 30))
        snprintf(out, size, "%.1f GiB", (double)v / (1u << 30));
    else if (bytes && v >= (1u << 20))
        snprintf(out, size, "%.1f MiB", (double)v / (1u << 20));
    else if (bytes)
        snprintf(out, size, "%.0f KiB", (double)v / 1024);
    else
        snprintf(out, size, "%llu", (unsigned long long)v);
}

int cli_progress_update(void *ud, uint64_t done, uint64_t total)
{
    cli_progress *p = ud;
    double now;
    char a[32], b[32];
    int width = 30, fill;

    if (cli_interrupted)
        return 1;
    if (!p || !p->tty)
        return 0;
    now = cli_now();
    if (now - p->last_draw < 0.1 && done < total)
        return 0;
    p->last_draw = now;
    human(a, sizeof(a), done, p->bytes);
    if (total) {
        human(b, sizeof(b), total, p->bytes);
        fill = (int)((double)width * (double)(done > total ? total : done) / (double)total);
        fprintf(stderr, "\r%s [%.*s%*s] %3.0f%% %s / %s  %.0fs ", p->label, fill,
                "##############################", width - fill, "",
                100.0 * (double)done / (double)total, a, b, now - p->start);
    } else {
        fprintf(stderr, "\r%s %s  %.0fs ", p->label, a, now - p->start);
    }
    fflush(stderr);
    return 0;
}

void cli_progress_end(cli_progress *p)
{
    if (p->tty && p->last_draw > 0)
        fprintf(stderr, "\r\033[K");
}
