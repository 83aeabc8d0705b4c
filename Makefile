# Materia build. `make` builds the library and the tool; `make test` is the README test command.
# Layout: lib/<module>/*.c -> build/libmateria.a, src/cli + src/server -> build/materia,
# t/**.c -> build/t/unit (one runner, tests self-register).

CC       ?= gcc
PKGS     := jansson libxml-2.0 libxxhash zlib libmicrohttpd sqlite3 libsodium libpq libzip
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -lpthread

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-align -Wwrite-strings -Wformat=2 -Wundef \
            -Wvla -Wnull-dereference -Wimplicit-fallthrough -Wno-unused-parameter
BASEFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -Ilib -Isrc -It $(PKG_CFLAGS) $(WARN)
OPT      ?= -O2 -g
SAN      ?=
BUILD    ?= build

CFLAGS_ALL := $(BASEFLAGS) $(OPT) $(SAN) $(EXTRA_CFLAGS)
LDFLAGS_ALL := $(SAN) $(EXTRA_LDFLAGS)

LIB_SRCS  := $(sort $(wildcard lib/*/*.c))
CLI_SRCS  := $(sort $(wildcard src/cli/*.c) $(wildcard src/server/*.c))
TEST_SRCS := $(sort $(wildcard t/*.c) $(wildcard t/*/*.c) $(wildcard t/*/*/*.c))

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
DEPS      := $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(TEST_OBJS:.o=.d)

KB        ?= $(BUILD)/materia.kb
SOURCES   ?= data/sources

.PHONY: all clean kb run test check unit cli-test fuzz-short fuzz browser-test bench records-test bench-records valgrind

all: $(BUILD)/materia

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/libmateria.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/materia: $(CLI_OBJS) $(BUILD)/libmateria.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJS) $(BUILD)/libmateria.a $(PKG_LIBS)

$(BUILD)/t/unit: $(TEST_OBJS) $(BUILD)/libmateria.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(TEST_OBJS) $(BUILD)/libmateria.a $(PKG_LIBS)

# The knowledge base compiled from the bundled sources.
$(KB): $(BUILD)/materia $(shell find $(SOURCES) -type f 2>/dev/null)
	$(BUILD)/materia build --sources $(SOURCES) --out $@

kb: $(KB)

run: $(KB)
	$(BUILD)/materia serve --kb $(KB) --port 8080

# --- tests -----------------------------------------------------------------
# `make check`: unit and CLI tests, everything under ASan/UBSan in build/san.
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

NPROC   := $(shell nproc 2>/dev/null || echo 2)
SANMAKE = $(MAKE) -j$(NPROC) BUILD=build/san SAN="$(SANFLAGS)" OPT="-O2 -g" KB=build/san/materia.kb

check:
	$(SANMAKE) build/san/materia build/san/t/unit
	$(SANMAKE) build/san/materia.kb
	MATERIA_TEST_KB=build/san/materia.kb MATERIA_SOURCES=$(SOURCES) build/san/t/unit
	MATERIA_BIN=build/san/materia MATERIA_TEST_KB=build/san/materia.kb sh t/cli/run.sh

unit: $(BUILD)/t/unit
	MATERIA_SOURCES=$(SOURCES) MATERIA_TEST_KB=$(KB) $(BUILD)/t/unit

# Fuzz targets (clang-14 libFuzzer). The library is compiled once with coverage
# instrumentation (fuzzer-no-link) into build/fuzz/libmateria.a; each target links it.
# fuzz-short runs each target for a bounded time.
FUZZ_CC     := clang-14
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -Ilib $(PKG_CFLAGS) -g -O1 $(FUZZ_SAN) -DMATERIA_FUZZING
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 20
FUZZ_OBJS   := $(LIB_SRCS:%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

build/fuzz/libmateria.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

build/fuzz/%: fuzz/%.c build/fuzz/libmateria.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libmateria.a $(PKG_LIBS)

-include $(FUZZ_OBJS:.o=.d)

fuzz-short:
	$(MAKE) -j$(NPROC) $(addprefix build/fuzz/,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  if ! build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=0 \
	    build/fuzz/corpus-$$t fuzz/corpus/$$t >build/fuzz/$$t.log 2>&1; then \
	    tail -n 60 build/fuzz/$$t.log; echo "fuzz: $$t FAILED (log: build/fuzz/$$t.log)"; exit 1; fi; \
	  grep -E '^Done [0-9]+ runs' build/fuzz/$$t.log | sed "s/^/fuzz: $$t: /"; \
	done

fuzz:
	$(MAKE) fuzz-short FUZZ_SECONDS=600

# Unit and CLI tests under valgrind memcheck, on the plain -O2 build (no
# sanitizers: valgrind sees what ASan's instrumentation hides, e.g. reads of
# uninitialised memory). Slow (about 15 minutes here): not part of make test.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
valgrind: $(BUILD)/materia $(BUILD)/t/unit $(KB)
	MATERIA_SOURCES=$(SOURCES) MATERIA_TEST_KB=$(KB) $(VALGRIND) $(BUILD)/t/unit
	MATERIA_VALGRIND_BIN=$(abspath $(BUILD)/materia) MATERIA_BIN=$(abspath scripts/valgrind-materia.sh) \
	  MATERIA_TEST_KB=$(KB) sh t/cli/run.sh

test: check fuzz-short records-test
	@echo "make test: all suites passed"

clean:
	rm -rf build

-include $(DEPS)

# The web UI is embedded into the server with .incbin: rebuild when it changes.
$(BUILD)/src/server/assets.o: $(wildcard web/*)

# API and browser tests against the sanitized server binary and its KB (make check builds both).
browser-test:
	cd tests/browser && MATERIA_BIN=$(abspath build/san/materia) MATERIA_TEST_KB=$(abspath build/san/materia.kb) \
	  ASAN_OPTIONS=detect_leaks=0 node --test --test-concurrency=1 ./

bench-http: $(KB)
	bench/http/run.sh

# Interaction checker vs a plain SQLite baseline, same facts (bench/README.md, "interactions").
$(BUILD)/bench/interact: bench/interact/bench_interact.c $(BUILD)/libmateria.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libmateria.a $(PKG_LIBS)

bench-interact: $(BUILD)/bench/interact $(KB)
	$(BUILD)/bench/interact --kb $(KB)

# Search against SQLite FTS5, minisearch, flexsearch and fuse.js (bench/README.md, "search").
$(BUILD)/bench/bench_search: bench/search/bench_search.c $(BUILD)/libmateria.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libmateria.a $(PKG_LIBS)

bench-search: $(BUILD)/bench/bench_search $(KB)
	bench/search/run.sh $(KB) $(BUILD)/bench/bench_search

# Records on both backends: a throwaway PostgreSQL cluster (scripts/pg-test-server.sh), the records
# unit tests with MATERIA_TEST_PG, and the records API, durability and two-server tests against both
# SQLite and PostgreSQL, with the sanitized server of `make check`. PostgreSQL is stopped even on failure.
# Records unit tests on PostgreSQL, then every node suite (API, web UI in chromium, records
# API and durability on SQLite and PostgreSQL) against the sanitized server.
records-test: check
	@set -e; export PG_TEST_STATE=$(abspath build/pg-test.dir); \
	trap '$(abspath scripts/pg-test-server.sh) stop' EXIT; \
	url="$$(scripts/pg-test-server.sh start)"; \
	MATERIA_TEST_PG="$$url" MATERIA_TEST_KB=build/san/materia.kb MATERIA_SOURCES=$(SOURCES) build/san/t/unit records; \
	(cd tests/browser && MATERIA_TEST_PG="$$url" MATERIA_BIN=$(abspath build/san/materia) \
	  MATERIA_TEST_KB=$(abspath build/san/materia.kb) ASAN_OPTIONS=detect_leaks=0 \
	  node --test --test-concurrency=1 ./)

# Records store: durable writes/s and read latency, SQLite and PostgreSQL in one run (bench/README.md, "records").
$(BUILD)/bench/records: bench/records/bench_records.c $(BUILD)/libmateria.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libmateria.a $(PKG_LIBS)

bench-records: $(BUILD)/bench/records
	bench/records/run.sh $(BUILD)/bench/records

# Pill identifier vs a SQLite baseline with the same pills (bench/README.md, "pills").
$(BUILD)/bench/pill: bench/pill/bench_pill.c $(BUILD)/libmateria.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libmateria.a $(PKG_LIBS)

bench-pill: $(BUILD)/bench/pill $(KB)
	$(BUILD)/bench/pill --kb $(KB)
