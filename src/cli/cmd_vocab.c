/* SPDX-License-Identifier: MIT */
/* `homeward vocab`: the data vocabulary as Markdown (docs/vocabulary.md is its output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/vocab.h"

int cmd_vocab(int argc, char **argv)
{
    char *md;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: homeward vocab\n\nPrint every record kind and field, with types, allowed "
               "values and meanings, as Markdown.\n");
        return EXIT_OK;
    }
    if (argc > 1)
        return cli_usage_error("vocab", "homeward vocab", "unexpected argument '%s'", argv[1]);
    md = hw_vocab_markdown();
    if (!md) {
        fprintf(stderr, "homeward vocab: out of memory\n");
        return EXIT_FAIL;
    }
    fputs(md, stdout);
    free(md);
    return EXIT_OK;
}
