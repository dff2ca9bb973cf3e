/* SPDX-License-Identifier: MIT */
/* Every unit test, one line each, grouped by module (libuv's test-list.h). */
#define UNIT_TESTS(X)                                                                              \
    X(arena_alloc_aligned)                                                                         \
    X(arena_limit)                                                                                 \
    X(buf_cap)                                                                                     \
    X(csv_rfc4180)                                                                                 \
    X(csv_errors_skip_the_record)                                                                  \
    X(csv_record_limit)                                                                            \
    X(csv_empty_input)                                                                             \
    X(csv_put_quotes)                                                                              \
    X(date_parse_and_format)                                                                       \
    X(demo_counts_plausible)                                                                       \
    X(demo_rows_valid)                                                                             \
    X(demo_deterministic)                                                                          \
    X(demo_rule_cases_present)                                                                     \
    X(demo_refuses_and_cancels)                                                                    \
    X(date_months)                                                                                 \
    X(date_time_parse)                                                                             \
    X(import_fixtures_round_trip)                                                                  \
    X(import_strict_changes_nothing)                                                               \
    X(import_keep_going_and_reimport_rejects)                                                      \
    X(import_same_person)                                                                          \
    X(import_file_problems)                                                                        \
    X(import_jsonl_problems)                                                                       \
    X(logic_conformance_suite)                                                                     \
    X(logic_bad_rules_are_errors)                                                                  \
    X(logic_coercions)                                                                             \
    X(logic_civil_dates)                                                                           \
    X(stats_fixtures)                                                                              \
    X(store_open_and_migrate)                                                                      \
    X(store_schema_matches_vocabulary)                                                             \
    X(store_insert_and_references)                                                                 \
    X(store_rollback_leaves_nothing)                                                               \
    X(store_bulk_load_rebuilds_indexes)                                                            \
    X(store_refs_checked_is_one_transaction_only)                                                  \
    X(text_utf8)                                                                                   \
    X(text_numbers)                                                                                \
    X(text_statute_normalize)                                                                      \
    X(text_contact)                                                                                \
    X(text_money_format)                                                                           \
    X(vocab_kinds)                                                                                 \
    X(vocab_check_positions)                                                                       \
    X(vocab_parse_types)                                                                           \
    X(vocab_text_limit)                                                                            \
    X(vocab_row_checks)                                                                            \
    X(vocab_markdown)                                                                              \
    X(vocab_text_is_what_import_reads)
