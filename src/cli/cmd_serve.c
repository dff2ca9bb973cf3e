/* SPDX-License-Identifier: MIT */
/*
 * `homeward serve`: the API and the staff UI over one database, until
 * SIGTERM or SIGINT, which stop it gracefully: no new connections, the
 * requests in progress finish, the database is closed cleanly.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "homeward/server.h"
#include "core/banned.h"

static const char usage[] =
    "homeward serve --db FILE [--listen HOST:PORT] [--rules DIR] [--threads N]\n"
    "               [--access-log FILE|-] [--max-body BYTES] [--time-limit MS]\n"
    "               [--secure-cookies yes|no]";

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"listen", required_argument, NULL, 'l'},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"access-log", required_argument, NULL, 'a'},
                                         {"max-body", required_argument, NULL, 'b'},
                                         {"time-limit", required_argument, NULL, 'm'},
                                         {"secure-cookies", required_argument, NULL, 's'},
                                         {0}};
    hw_server_config cfg = {.listen = "127.0.0.1:8080", .secure_cookies = -1};
    const char *rules = NULL, *log_path = NULL;
    hw_server *srv = NULL;
    sigset_t set;
    uint64_t n;
    hw_err e;
    int c, sig = 0;

    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: %s\n\nServes the JSON API (docs/api.md) and the staff UI until SIGTERM or "
               "SIGINT.\nSign in with a user made by 'homeward user add'.\n",
               usage);
        return EXIT_OK;
    }
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            cfg.db_path = optarg;
            break;
        case 'l':
            cfg.listen = optarg;
            break;
        case 'r':
            rules = optarg;
            break;
        case 'a':
            log_path = optarg;
            break;
        case 't':
            if (!cli_parse_u64("serve", "--threads", optarg, 256, &n))
                return EXIT_USAGE;
            cfg.threads = (unsigned)n;
            break;
        case 'b':
            if (!cli_parse_u64("serve", "--max-body", optarg, (uint64_t)1 << 30, &n))
                return EXIT_USAGE;
            cfg.max_body = (size_t)n;
            break;
        case 'm':
            if (!cli_parse_u64("serve", "--time-limit", optarg, 600000, &n))
                return EXIT_USAGE;
            cfg.time_limit_ms = (unsigned)n;
            break;
        case 's':
            if (strcmp(optarg, "yes") && strcmp(optarg, "no"))
                return cli_usage_error("serve", usage, "--secure-cookies is yes or no");
            cfg.secure_cookies = !strcmp(optarg, "yes");
            break;
        default:
            return cli_usage_error("serve", usage, "unknown option");
        }
    }
    if (!cfg.db_path)
        return cli_usage_error("serve", usage, "--db is required");
    if (optind < argc)
        return cli_usage_error("serve", usage, "unexpected argument '%s'", argv[optind]);
    cfg.rules_dir = cli_rules_dir(rules);
    if (log_path && !strcmp(log_path, "-")) {
        cfg.access_log = stdout;
    } else if (log_path && !(cfg.access_log = fopen(log_path, "a"))) {
        fprintf(stderr, "homeward serve: cannot open '%s': %s\n", log_path, strerror(errno));
        return EXIT_FAIL;
    }
    /* Blocked here, so every worker thread inherits the mask and this thread alone waits. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (hw_server_start(&cfg, &srv, &e)) {
        if (cfg.access_log && cfg.access_log != stdout)
            fclose(cfg.access_log);
        return cli_fail("serve", &e);
    }
    fprintf(stderr, "homeward serve: listening on http://%.*s:%u/ (stop with Ctrl-C or SIGTERM)\n",
            (int)(strrchr(cfg.listen, ':') - cfg.listen), cfg.listen, hw_server_port(srv));
    sigwait(&set, &sig);
    fprintf(stderr, "homeward serve: %s: finishing the requests in progress\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    hw_server_stop(srv);
    if (cfg.access_log && cfg.access_log != stdout)
        fclose(cfg.access_log);
    fprintf(stderr, "homeward serve: stopped\n");
    return EXIT_OK;
}
