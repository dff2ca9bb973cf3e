#!/bin/sh
# SPDX-License-Identifier: MIT
# Differential test of `homeward logic` against json-logic-js, the reference:
# 60,000 random rules and records over three seeds must get the same answers.
# Usage: tests/logic-diff/run.sh HOMEWARD
set -eu
hw=$1
case $hw in /*) ;; *) hw=$(pwd)/$hw ;; esac
cd "$(dirname "$0")"
# The locked json-logic-js, from the npm registry, once.
if [ ! -f node_modules/json-logic-js/package.json ]; then
    npm ci --no-audit --no-fund --silent >/dev/null
fi
for seed in 1 2 3; do
    node diff.mjs "$hw" 20000 "$seed"
done
