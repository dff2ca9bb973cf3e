# SPDX-License-Identifier: MIT
# Shared by the benchmark scripts (sourced, with $out set): GNU time records
# a command's elapsed seconds and peak resident memory under a label.
timed() { label=$1; shift; /usr/bin/time -f "%e %M" -o "$out/$label.time" "$@"; }
secs() { cut -d' ' -f1 "$out/$1.time"; }
kib() { cut -d' ' -f2 "$out/$1.time"; }
mib() { echo $(( $(kib "$1") / 1024 )); }
