#!/bin/sh
# valgrind-materia.sh — the materia binary under valgrind memcheck, for
# `make valgrind` (t/cli/run.sh runs it as MATERIA_BIN). Any memory error or
# definite leak turns the exit status into 99, which fails the CLI test.
# MATERIA_VALGRIND_BIN names the binary (default build/materia).
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "${MATERIA_VALGRIND_BIN:-build/materia}" "$@"
