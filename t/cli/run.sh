#!/bin/sh
# run.sh — end-to-end tests of the `materia` command.
#
# Uses $MATERIA_BIN (the binary) and $MATERIA_TEST_KB (a knowledge base built
# from the bundled sources); `make check` sets both. Each test is a small
# function named t_*; add yours anywhere below and it runs (they are found
# by name). Helpers: run CMD... (captures $out, $err, $rc), expect_rc N,
# expect_out TEXT, expect_err TEXT, fail MESSAGE. Scratch files go in $TMP.
# Ends with "cli: N passed, N failed" and a non-zero exit on failure.

set -u
BIN=${MATERIA_BIN:-build/materia}
KB=${MATERIA_TEST_KB:-build/materia.kb}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/materia-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
passed=0
failed=0
current=""
current_failed=0

fail() {
    printf '    %s: %s\n' "$current" "$1" >&2
    current_failed=1
}

# run CMD ARGS...: runs a command, keeping stdout in $out, stderr in $err, status in $rc.
run() {
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
}

expect_rc() {
    [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1 (stderr: $(printf %s "$err" | head -c 300))"
}

expect_out() {
    case $out in *"$1"*) ;; *) fail "stdout lacks \"$1\"" ;; esac
}

expect_err() {
    case $err in *"$1"*) ;; *) fail "stderr lacks \"$1\" (got: $(printf %s "$err" | head -c 300))" ;; esac
}

# A copy of the test KB with byte OFFSET xor-ed (a number of bytes into the file).
corrupt_copy() {
    cp "$KB" "$TMP/bad.kb" || return 1
    byte=$(od -An -tu1 -j "$1" -N1 "$KB" | tr -d ' ')
    printf "$(printf '\\%03o' $(( (byte + 1) % 256 )))" |
        dd of="$TMP/bad.kb" bs=1 seek="$1" count=1 conv=notrunc 2>/dev/null
}

kb_size() {
    wc -c <"$KB" | tr -d ' '
}

# --- usage -----------------------------------------------------------------

t_no_command_is_usage() {
    run "$BIN"
    expect_rc 2
    expect_err "usage: materia COMMAND"
}

t_unknown_command_is_usage() {
    run "$BIN" frobnicate
    expect_rc 2
    expect_err "unknown command \"frobnicate\""
}

t_help_lists_commands() {
    run "$BIN" help
    expect_rc 0
    expect_out "build [--sources DIR] [--out FILE]"
    expect_out "sources [--json] [--kb FILE]"
    run "$BIN" help sources
    expect_rc 0
    expect_out "usage: materia sources"
    run "$BIN" help nosuch
    expect_rc 2
}

# `help meds` gives the options of add and of every subcommand; `help serve` the records database.
t_help_meds_and_serve_options() {
    run "$BIN" help meds
    expect_rc 0
    for o in "--times-per-day N" "--at HH:MM" "--as-needed" "--dose N --unit U" "--strength S" "--stock N" \
        "--refill-at N" "list [--all | --stopped]" "log ID [--skipped]" "reminders [--hours N]" "--format fhir|csv|html|ics"; do
        expect_out "$o"
    done
    run "$BIN" help serve
    expect_rc 0
    expect_out "--db URL"
    run "$BIN" help
    expect_rc 0
    expect_out "--refill-at N"
}

t_version() {
    run "$BIN" version
    expect_rc 0
    expect_out "knowledge-base format"
    run "$BIN" version extra
    expect_rc 2
}

t_bad_options_are_usage() {
    run "$BIN" sources --frobnicate
    expect_rc 2
    expect_err "usage: materia sources"
    run "$BIN" sources --kb
    expect_rc 2
    run "$BIN" build --out
    expect_rc 2
    expect_err "usage: materia build"
}

# --- sources ---------------------------------------------------------------

t_sources_lists_every_source() {
    run "$BIN" sources --kb "$KB"
    expect_rc 0
    expect_out "rxnorm  "
    expect_out "licence:"
    expect_out "attribution:"
    expect_out "materia-vocabulary"
    expect_out "tripsit"
}

t_sources_uses_env_kb() {
    MATERIA_KB=$KB run "$BIN" sources
    expect_rc 0
    expect_out "rxnorm"
}

t_sources_json_is_valid() {
    run "$BIN" sources --json --kb "$KB"
    expect_rc 0
    expect_out '"id": "rxnorm"'
    expect_out '"facts":'
    if command -v python3 >/dev/null 2>&1; then
        printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["sources"]) >= 24' \
            || fail "sources --json is not the expected JSON"
    fi
}

# meta_value FILE KEY: the value of "KEY: value" in a SOURCE.meta.
meta_value() {
    sed -n "s/^$2: *//p" "$1" | head -n 1
}

# Principle: the product itself shows the attribution of every bundled source.
# Every folder of data/sources is listed by `materia sources` (text and JSON)
# with its own licence and attribution, carries its PROVENANCE and licence
# text, and has its entry in NOTICE.
t_sources_attribute_every_bundled_source() {
    run "$BIN" sources --kb "$KB"
    expect_rc 0
    text=$out
    run "$BIN" sources --json --kb "$KB"
    expect_rc 0
    json=$out
    n=0
    for meta in data/sources/*/SOURCE.meta; do
        dir=$(dirname "$meta")
        id=$(meta_value "$meta" id)
        lic=$(meta_value "$meta" licence)
        attr=$(meta_value "$meta" attribution)
        n=$((n + 1))
        [ -n "$id" ] && [ -n "$lic" ] && [ -n "$attr" ] || { fail "$meta lacks id, licence or attribution"; continue; }
        [ -s "$dir/PROVENANCE.txt" ] || fail "$dir has no PROVENANCE.txt"
        [ -s "$dir/LICENSE.txt" ] || fail "$dir has no LICENSE.txt"
        case $text in *"$id  "*) ;; *) fail "materia sources does not list $id" ;; esac
        case $text in *"licence:     $lic"*) ;; *) fail "materia sources lacks the licence of $id" ;; esac
        case $text in *"attribution: $attr"*) ;; *) fail "materia sources lacks the attribution of $id" ;; esac
        case $json in *"\"id\": \"$id\""*) ;; *) fail "sources --json does not list $id" ;; esac
        grep -qF "[$id]" NOTICE || fail "NOTICE has no entry for $id"
        grep -qF "Attribution: $attr" NOTICE || fail "NOTICE lacks the attribution of $id"
    done
    [ "$n" -ge 23 ] || fail "only $n bundled sources found under data/sources"
    # and the built-in vocabulary: every source of the KB has a licence, an attribution and counts
    out=$json
    i=0
    while [ "$i" -le "$n" ]; do
        show_json sources.$i.id sources.$i.licence sources.$i.attribution sources.$i.edition \
            sources.$i.records.rows sources.$i.records.matched sources.$i.records.unmatched \
            sources.$i.records.created sources.$i.records.facts
        i=$((i + 1))
    done
    printf '%s' "$json" | "$TMP/jsoncheck" sources.$((n + 1)) 2>/dev/null && fail "sources --json lists an unexpected source"
}

# README's commands work as written: every `build/materia ...` line of it
# (but build and serve, tested elsewhere) exits 0 on the test KB; its test
# command is the one .ci/run calls.
t_readme_commands_work() {
    grep -qxF '    ./scripts/setup.sh && make test' README.md || fail "README lacks the test command"
    grep -qxF '    ./scripts/setup.sh && make run' README.md || fail "README lacks the run command"
    grep -qF './scripts/setup.sh && make test' .ci/run || fail ".ci/run does not call the README test command"
    grep -q '^run:' Makefile && grep -q 'serve --kb $(KB) --port 8080' Makefile || fail "make run does not serve on 8080"
    k=0
    grep '^    build/materia ' README.md | sed 's/  *#.*$//' >"$TMP/readme-cmds"
    while IFS= read -r line; do
        args=${line#    build/materia }
        case $args in build*|serve*) continue ;; esac
        k=$((k + 1))
        eval "set -- $args"
        MATERIA_KB=$KB MATERIA_MEDS_DB="$TMP/readme.db" run "$BIN" "$@"
        [ "$rc" -eq 0 ] || fail "README: \"build/materia $args\" exits $rc: $(printf %s "$err" | head -c 200)"
        [ -n "$out" ] || fail "README: \"build/materia $args\" printed nothing"
    done <"$TMP/readme-cmds"
    [ "$k" -ge 6 ] || fail "only $k commands found in README"
}

# --- a damaged knowledge base is refused with a clear message ----------------

t_missing_kb() {
    run "$BIN" sources --kb "$TMP/none.kb"
    expect_rc 1
    expect_err "$TMP/none.kb: cannot open the knowledge base"
}

t_not_a_kb() {
    printf 'SQLite format 3\000 and more bytes here' >"$TMP/other.kb"
    run "$BIN" sources --kb "$TMP/other.kb"
    expect_rc 1
    expect_err "not a Materia knowledge-base file"
}

t_flipped_byte_in_header() {
    corrupt_copy 60 || { fail "cannot copy the KB"; return; }
    run "$BIN" sources --kb "$TMP/bad.kb"
    expect_rc 1
    expect_err "materia: $TMP/bad.kb: knowledge-base checksum mismatch (file is corrupt)"
}

t_flipped_byte_in_magic() {
    corrupt_copy 0 || { fail "cannot copy the KB"; return; }
    run "$BIN" sources --kb "$TMP/bad.kb"
    expect_rc 1
    expect_err "bad magic"
}

t_flipped_byte_in_version() {
    corrupt_copy 12 || { fail "cannot copy the KB"; return; }
    run "$BIN" sources --kb "$TMP/bad.kb"
    expect_rc 1
    expect_err "unsupported knowledge-base format version"
}

t_flipped_byte_in_section_table() {
    corrupt_copy 300 || { fail "cannot copy the KB"; return; }
    run "$BIN" sources --kb "$TMP/bad.kb"
    expect_rc 1
    expect_err "checksum mismatch"
}

t_flipped_bytes_in_data() {
    size=$(kb_size)
    for at in $((size / 2)) $((size / 3)) $((size - 1)) $((size * 9 / 10)); do
        corrupt_copy "$at" || { fail "cannot copy the KB"; return; }
        run "$BIN" sources --kb "$TMP/bad.kb"
        expect_rc 1
        expect_err "$TMP/bad.kb: "
    done
}

t_truncated_kb() {
    size=$(kb_size)
    for len in 0 5 100 256 1000 $((size / 2)) $((size - 1)); do
        head -c "$len" "$KB" >"$TMP/short.kb"
        run "$BIN" sources --kb "$TMP/short.kb"
        expect_rc 1
        expect_err "knowledge-base file is truncated"
    done
}

t_kb_is_a_directory() {
    run "$BIN" sources --kb "$TMP"
    expect_rc 1
    expect_err "cannot open the knowledge base"
}

# --- build -------------------------------------------------------------------

t_build_failure_keeps_old_kb() {
    cp "$KB" "$TMP/keep.kb"
    mkdir -p "$TMP/sources/one"
    printf 'id: rxnorm\nname: RxNorm\n' >"$TMP/sources/one/SOURCE.meta"
    run "$BIN" build --sources "$TMP/sources" --out "$TMP/keep.kb"
    expect_rc 1
    expect_err "rxterms-ingredients"
    expect_err "was not changed"
    cmp -s "$KB" "$TMP/keep.kb" || fail "the old knowledge base was changed"
    ls "$TMP"/keep.kb.tmp-* >/dev/null 2>&1 && fail "a temporary file was left behind"
}

t_build_bad_metadata_names_file() {
    mkdir -p "$TMP/badsrc/x"
    printf 'name: no id\n' >"$TMP/badsrc/x/SOURCE.meta"
    run "$BIN" build --sources "$TMP/badsrc" --out "$TMP/never.kb"
    expect_rc 1
    expect_err "$TMP/badsrc/x/SOURCE.meta"
    [ -e "$TMP/never.kb" ] && fail "a knowledge base was written"
}

t_build_missing_sources_dir() {
    run "$BIN" build --sources "$TMP/nothing" --out "$TMP/never.kb"
    expect_rc 1
    expect_err "$TMP/nothing: cannot open the sources folder"
}

# --- build --source KIND=PATH (official releases, lib/import/official.c) --------

# A sources folder made of the bundled sources' test fixtures (t/fixtures), in
# the pipeline's importer order, for builds of a second or less.
fixture_sources() {
    [ -d "$TMP/fx" ] && return 0
    for pair in rxnorm:rxnorm-ingredients-2025-10 rxterms:rxterms-ingredients \
        drugbank:drugbank-open-vocabulary drugcentral:drugcentral-2016 openfda:fda-openfda-files \
        pharmacotherapydb:pharmacotherapydb labeledin:labeledin dea-derived:dea-schedules-derived \
        acb:anticholinergic-burden spl-codes:spl-pill-codes spl-xml:spl-xml-2014 c3pi:c3pi-pill-imprints \
        pill-challenge:nlm-pill-challenge-reference pillbox-2014:pillbox-2014-indexes \
        pillbox-2010:pillbox-api-2010-fixtures ema-epi:ema-epi-leaflets ansm:ansm-thesaurus-fr \
        worldvista:ansm-thesaurus-en-worldvista onc-high:onc-high-priority-2012 \
        onc-nonint:onc-non-interruptive-2013 ndfrt:ndfrt-va-ddi-subset va56:va-file56-pairs \
        tripsit:tripsit-combos; do
        mkdir -p "$TMP/fx/${pair#*:}" || return 1
        printf 'id: %s\nname: %s (test fixture)\n' "${pair%%:*}" "${pair%%:*}" >"$TMP/fx/${pair#*:}/SOURCE.meta"
        for e in "$PWD/t/fixtures/${pair#*:}"/*; do
            ln -s "$e" "$TMP/fx/${pair#*:}/" || return 1
        done
    done
}

# The knowledge base is a pure function of its sources: two builds are byte-identical.
t_build_is_deterministic() {
    fixture_sources || { fail "cannot make the fixture sources"; return; }
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/det-a.kb" --quiet
    expect_rc 0
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/det-b.kb" --quiet
    expect_rc 0
    [ -s "$TMP/det-a.kb" ] || { fail "no knowledge base written"; return; }
    cmp -s "$TMP/det-a.kb" "$TMP/det-b.kb" || fail "two builds of the same sources differ"
}

t_build_official_sources_cited() {
    fixture_sources || { fail "cannot make the fixture sources"; return; }
    o=t/fixtures/official
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/official.kb" --quiet --source rxnorm-rrf=$o/rxnorm-rrf \
        --source fda-ndc=$o/fda-ndc --source=openfda-label=$o/openfda-label/drug-label-0001-of-0001.json \
        --source dailymed-spl=$o/dailymed-spl
    expect_rc 0
    expect_out "fda-ndc"
    run "$BIN" sources --kb "$TMP/official.kb"
    expect_out "RxNorm Current Prescribable Content release 2025-10-06"
    expect_out "openFDA drug label download, last updated 2025-10-07"
    run "$BIN" show dronabinol --kb "$TMP/official.kb"
    expect_rc 0
    expect_out "[rxnorm-rrf: DCSA CIII on SCD RXCUI 197635 (RXNSAT.RRF)]"
    expect_out "[fda-ndc: product.txt: DEASCHEDULE CIII in 3 of 3 single-substance listings"
    expect_out "[openfda-label: setid fffb4e00-c921-4958-aeab-18deae4a2e38 version 1"
}

# Issue 7: a corrupted or truncated import file gives a clear error and leaves
# the existing knowledge base untouched, byte for byte.
t_build_corrupt_official_source_keeps_kb() {
    fixture_sources || { fail "cannot make the fixture sources"; return; }
    o=t/fixtures/official
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/kept.kb" --quiet
    expect_rc 0
    cp "$TMP/kept.kb" "$TMP/kept-before.kb" || return
    mkdir -p "$TMP/cut-rrf"
    cp $o/rxnorm-rrf/rrf/RXNCONSO.RRF $o/rxnorm-rrf/rrf/RXNREL.RRF "$TMP/cut-rrf/"
    head -c 1500 $o/rxnorm-rrf/rrf/RXNSAT.RRF >"$TMP/cut-rrf/RXNSAT.RRF"
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/kept.kb" --quiet --source rxnorm-rrf="$TMP/cut-rrf"
    expect_rc 1
    expect_err "$TMP/cut-rrf/RXNSAT.RRF:"
    expect_err "expected 13 fields each ended by '|'"
    expect_err "$TMP/kept.kb was not changed"
    cmp -s "$TMP/kept-before.kb" "$TMP/kept.kb" || fail "a truncated RXNSAT.RRF changed the knowledge base"
    head -c 40000 $o/openfda-label/drug-label-0001-of-0001.json >"$TMP/cut-label.json"
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/kept.kb" --quiet --source openfda-label="$TMP/cut-label.json"
    expect_rc 1
    expect_err "$TMP/cut-label.json:"
    expect_err "the file ends inside a value that began at line 14"
    cmp -s "$TMP/kept-before.kb" "$TMP/kept.kb" || fail "a truncated openFDA file changed the knowledge base"
    ls "$TMP"/kept.kb.tmp-* >/dev/null 2>&1 && fail "a temporary file was left behind"
    # The same over the knowledge base of the bundled sources.
    cp "$KB" "$TMP/bundled.kb" || return
    cp "$TMP/cut-rrf/RXNSAT.RRF" "$TMP/cut-rrf/RXNCONSO.RRF"
    run "$BIN" build --out "$TMP/bundled.kb" --quiet --source rxnorm-rrf="$TMP/cut-rrf"
    expect_rc 1
    expect_err "$TMP/cut-rrf/RXNCONSO.RRF:"
    cmp -s "$KB" "$TMP/bundled.kb" || fail "a truncated RXNCONSO.RRF changed the bundled knowledge base"
}

t_build_source_usage() {
    run "$BIN" build --source bogus=x
    expect_rc 2
    expect_err "unknown kind \"bogus\" (known: rxnorm-rrf, fda-ndc, drugsatfda, openfda-label, dailymed-spl)"
    run "$BIN" build --source rxnorm-rrf
    expect_rc 2
    expect_err "expected KIND=PATH"
    run "$BIN" build --source fda-ndc=a --source fda-ndc=b
    expect_rc 2
    expect_err "--source fda-ndc given twice"
    fixture_sources || { fail "cannot make the fixture sources"; return; }
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/never-official.kb" --source fda-ndc="$TMP/no-ndc-here"
    expect_rc 1
    expect_err "$TMP/no-ndc-here: No such file or directory (--source fda-ndc)"
    [ -e "$TMP/never-official.kb" ] && fail "a knowledge base was written"
}

# mkzip OUT.zip DIR: t/cli/mkzip.c, built once into $TMP (libzip is a build
# dependency, so no zip tool is needed).
mkzip() {
    if [ ! -x "$TMP/mkzip" ]; then
        ${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -DMT_MKZIP_MAIN -Ilib -It -o "$TMP/mkzip" "$(dirname "$0")/mkzip.c" \
            lib/util/alloc.c $(pkg-config --cflags --libs libzip) >"$TMP/mkzip.log" 2>&1 ||
            { fail "cannot build mkzip: $(head -c 300 "$TMP/mkzip.log")"; return 1; }
    fi
    "$TMP/mkzip" "$@" || { fail "mkzip $*"; return 1; }
}

# The official releases as published, zipped: RxNorm with its rrf/ folder and
# Readme, ndctext.zip, the Drugs@FDA zip, one openFDA .json.zip, and DailyMed's
# zip of one zip per label (each with its .xml), in $TMP/z.
official_zips() {
    [ -f "$TMP/z/dm_spl_release_human_rx_part1.zip" ] && return 0
    o=t/fixtures/official
    mkdir -p "$TMP/z/label" "$TMP/z/dmz/prescription" || return 1
    mkzip "$TMP/z/RxNorm_full_prescribe_10062025.zip" $o/rxnorm-rrf || return 1
    mkzip "$TMP/z/ndctext.zip" $o/fda-ndc || return 1
    mkzip "$TMP/z/drugsatfda20250101.zip" t/fixtures/fda-openfda-files/drugsatfda-2019 || return 1
    cp $o/openfda-label/drug-label-0001-of-0001.json "$TMP/z/label/" || return 1
    mkzip "$TMP/z/drug-label-0001-of-0001.json.zip" "$TMP/z/label" || return 1
    for f in $o/dailymed-spl/prescription/*/*.xml.gz; do
        b=$(basename "$f" .xml.gz)
        mkdir -p "$TMP/z/dm/$b" && gzip -dc "$f" >"$TMP/z/dm/$b/$b.xml" || return 1
        mkzip "$TMP/z/dmz/prescription/$b.zip" "$TMP/z/dm/$b" || return 1
    done
    mkzip "$TMP/z/dm_spl_release_human_rx_part1.zip" "$TMP/z/dmz"
}

# The downloaded zips build the same knowledge base as the folders they unzip
# to: the same sources (but their folder, which names the zip), editions and
# counts, and the same facts with the same citations for every drug they touch.
t_build_official_sources_from_zips() {
    fixture_sources || { fail "cannot make the fixture sources"; return; }
    official_zips || return
    o=t/fixtures/official
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/from-dirs.kb" --quiet --source rxnorm-rrf=$o/rxnorm-rrf \
        --source fda-ndc=$o/fda-ndc --source drugsatfda=t/fixtures/fda-openfda-files/drugsatfda-2019 \
        --source openfda-label=$o/openfda-label --source dailymed-spl=$o/dailymed-spl
    expect_rc 0
    z=$TMP/z
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/from-zips.kb" --quiet \
        --source rxnorm-rrf="$z/RxNorm_full_prescribe_10062025.zip" --source fda-ndc="$z/ndctext.zip" \
        --source drugsatfda="$z/drugsatfda20250101.zip" --source openfda-label="$z/drug-label-0001-of-0001.json.zip" \
        --source dailymed-spl="$z/dm_spl_release_human_rx_part1.zip"
    expect_rc 0
    [ -s "$TMP/from-zips.kb" ] || { fail "no knowledge base from the zips"; return; }
    run "$BIN" sources --kb "$TMP/from-dirs.kb"
    dirs=$(printf '%s\n' "$out" | grep -v '^  folder:')
    run "$BIN" sources --kb "$TMP/from-zips.kb"
    expect_out "folder:      ndctext.zip"
    expect_out "folder:      dm_spl_release_human_rx_part1.zip"
    expect_out "RxNorm Current Prescribable Content release 2025-10-06"
    expect_out "DailyMed SPL labels, 2, effective up to 2014-01-02"
    zips=$(printf '%s\n' "$out" | grep -v '^  folder:')
    [ "$dirs" = "$zips" ] || fail "materia sources differs: $(printf '%s\n' "$dirs" >"$TMP/s1"; printf '%s\n' "$zips" >"$TMP/s2"; diff "$TMP/s1" "$TMP/s2" | head -c 600)"
    for d in dronabinol ketamine sertraline metformin sitagliptin atorvastatin alprazolam citalopram; do
        run "$BIN" show "$d" --json --kb "$TMP/from-dirs.kb"
        expect_rc 0
        a=$out
        run "$BIN" show "$d" --json --kb "$TMP/from-zips.kb"
        expect_rc 0
        [ "$a" = "$out" ] || fail "show $d differs between the folders and the zips"
    done
    # the pills of the DailyMed labels (the glimepiride label joins no drug)
    for c in white yellow pink; do
        run "$BIN" pill --color $c --json --limit 50 --kb "$TMP/from-dirs.kb"
        a=$out
        run "$BIN" pill --color $c --json --limit 50 --kb "$TMP/from-zips.kb"
        expect_out '"source": "dailymed-spl"'
        [ "$a" = "$out" ] || fail "pill --color $c differs between the folders and the zips"
    done
    run "$BIN" show citalopram --kb "$TMP/from-zips.kb"
    expect_out "[dailymed-spl: setid 7c440f9d-6843-4502-80df-4ecec9059e9c version 5 (20140103_7c440f9d"
    run "$BIN" show dronabinol --kb "$TMP/from-zips.kb"
    expect_out "[openfda-label: setid fffb4e00-c921-4958-aeab-18deae4a2e38 version 1 (drug-label-0001-of-0001.json)"
}

# A zip without a file the release needs is named at once, before any import
# (exit 1, nothing written); so is a damaged zip, and an error inside an entry
# names ZIP!ENTRY:LINE.
t_build_official_zip_errors() {
    fixture_sources || { fail "cannot make the fixture sources"; return; }
    official_zips || return
    o=t/fixtures/official
    mkdir -p "$TMP/z/half-ndc" && cp $o/fda-ndc/product.txt "$TMP/z/half-ndc/" || return
    mkzip "$TMP/z/half-ndc.zip" "$TMP/z/half-ndc" || return
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/never-zip.kb" --source fda-ndc="$TMP/z/half-ndc.zip"
    expect_rc 1
    expect_err "$TMP/z/half-ndc.zip: no package.txt in the zip, at any folder depth"
    [ -e "$TMP/never-zip.kb" ] && fail "a knowledge base was written"
    head -c 300 "$TMP/z/ndctext.zip" >"$TMP/z/cut.zip"
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/never-zip.kb" --source fda-ndc="$TMP/z/cut.zip"
    expect_rc 1
    expect_err "$TMP/z/cut.zip: not a zip archive, or a damaged one"
    [ -e "$TMP/never-zip.kb" ] && fail "a knowledge base was written"
    mkdir -p "$TMP/z/cut-rrf/rrf" && cp $o/rxnorm-rrf/rrf/RXNCONSO.RRF $o/rxnorm-rrf/rrf/RXNREL.RRF "$TMP/z/cut-rrf/rrf/" &&
        head -c 1500 $o/rxnorm-rrf/rrf/RXNSAT.RRF >"$TMP/z/cut-rrf/rrf/RXNSAT.RRF" || return
    mkzip "$TMP/z/cut-rrf.zip" "$TMP/z/cut-rrf" || return
    run "$BIN" build --sources "$TMP/fx" --out "$TMP/never-zip.kb" --quiet --source rxnorm-rrf="$TMP/z/cut-rrf.zip"
    expect_rc 1
    expect_err "$TMP/z/cut-rrf.zip!rrf/RXNSAT.RRF:"
    expect_err "expected 13 fields each ended by '|'"
    [ -e "$TMP/never-zip.kb" ] && fail "a knowledge base was written"
}

# --- show (lib/show, src/cli/cmd_show.c) --------------------------------------

# show_json EXPR...: checks $out with t/cli/jsoncheck.c (built once into $TMP;
# jansson is a build dependency, so neither jq nor python3 is needed).
show_json() {
    if [ ! -x "$TMP/jsoncheck" ]; then
        ${CC:-cc} -std=c11 -O1 -DMT_JSONCHECK_MAIN -o "$TMP/jsoncheck" "$(dirname "$0")/jsoncheck.c" \
            $(pkg-config --cflags --libs jansson) >"$TMP/jsoncheck.log" 2>&1 ||
            { fail "cannot build jsoncheck: $(head -c 300 "$TMP/jsoncheck.log")"; return; }
    fi
    printf '%s' "$out" | "$TMP/jsoncheck" "$@" 2>"$TMP/jsoncheck.err" ||
        fail "show --json: $(cat "$TMP/jsoncheck.err")"
}

t_show_ketamine() {
    run "$BIN" show ketamine --kb "$KB"
    expect_rc 0
    expect_out "ketamine (ingredient)"
    expect_out "In RxNorm: RxCUI 6130"
    expect_out "Ketalar"
    expect_out "[rxnorm: RXCUI 6130]"
    expect_out "Materia informs; it does not replace a clinician or pharmacist."
    case $out in *"The query also names"*) fail "ketamine is ambiguous" ;; esac
}

t_show_esketamine() {
    run "$BIN" show esketamine --kb "$KB"
    expect_rc 0
    expect_out "esketamine (ingredient)"
    expect_out "Spravato"
}

t_show_brand_resolves_to_ingredient() {
    run "$BIN" show Zoloft --kb "$KB"
    expect_rc 0
    expect_out "sertraline (ingredient)"
    expect_out "Resolved from the brand name \"Zoloft\""
    run "$BIN" show ZOLOFT --json --kb "$KB"
    expect_rc 0
    show_json drug.name=sertraline query.resolved_from=brand query.matched_kind=brand
}

t_show_ingredients_missing_from_rxnorm_file() {
    run "$BIN" show alprazolam --kb "$KB"
    expect_rc 0
    expect_out "alprazolam (ingredient)"
    expect_out "In RxNorm: RxCUI 596 (known through RxTerms"
    run "$BIN" show atorvastatin --kb "$KB"
    expect_rc 0
    expect_out "atorvastatin (ingredient)"
    expect_out "RxCUI 83367"
    run "$BIN" show atorvastatin --json --kb "$KB"
    show_json drug.rxcui=83367 drug.in_rxnorm=true drug.rxnorm_from=rxterms brands.items~LIPITOR
}

t_show_psilocybin_not_in_rxnorm() {
    run "$BIN" show psilocybin --kb "$KB"
    expect_rc 0
    expect_out "(substance)"
    expect_out "Not in RxNorm"
    run "$BIN" show psilocybin --json --kb "$KB"
    expect_rc 0
    show_json drug.in_rxnorm=false drug.rxcui=null drug.kind=substance drug.drugbank_id=DB11664
}

t_show_codes() {
    run "$BIN" show 6130 --kb "$KB"
    expect_rc 0
    expect_out "ketamine (ingredient)"
    run "$BIN" show 690G0D6V8H --kb "$KB"
    expect_rc 0
    expect_out "ketamine (ingredient)"
}

t_show_unknown_drug() {
    run "$BIN" show ketamin --kb "$KB"
    expect_rc 1
    expect_err "No drug named \"ketamin\" in the knowledge base."
    expect_err "Did you mean: ketamine"
    [ -z "$out" ] || fail "an unknown drug printed a monograph"
    run "$BIN" show qqqqzzzzxxxx --kb "$KB"
    expect_rc 1
    expect_err "No drug named \"qqqqzzzzxxxx\""
    run "$BIN" show ketamin --json --kb "$KB"
    expect_rc 1
    show_json error=not_found query=ketamin suggestions#1 suggestions.0.drug=ketamine
}

t_show_bad_usage() {
    run "$BIN" show
    expect_rc 2
    expect_err "usage: materia show DRUG"
    run "$BIN" show ketamine --frobnicate --kb "$KB"
    expect_rc 2
    expect_err "unknown option \"--frobnicate\""
    run "$BIN" show ketamine --section
    expect_rc 2
    run "$BIN" show ketamine --products 0 --kb "$KB"
    expect_rc 2
    run "$BIN" show ketamine --products 12x --kb "$KB"
    expect_rc 2
    run "$BIN" show ketamine --kb
    expect_rc 2
}

t_show_json_has_documented_fields() {
    run "$BIN" show ketamine --json --kb "$KB"
    expect_rc 0
    show_json kb.data_version query.text=ketamine query.match=exact drug.name=ketamine drug.rxcui=6130 \
        drug.kind=ingredient drug.in_rxnorm=true identifiers#3 names.total brands.items~Ketalar \
        products.total products.sort=ingredients,tty,name,rxcui products.items.0.ndcs.items classes#1 \
        indications approvals.items#1 approvals.items.0.appl_no=016812 schedules anticholinergic_burden \
        documents.total section_filter=null sources.rxnorm.name sources.rxnorm.licence \
        sources.drugbank "disclaimer=Materia informs; it does not replace a clinician or pharmacist."
}

t_show_products_are_bounded() {
    run "$BIN" show acetaminophen --json --products 3 --kb "$KB"
    expect_rc 0
    show_json products.items#3
    printf '%s' "$out" | "$TMP/jsoncheck" products.items#4 2>/dev/null && fail "--products 3 listed more than 3"
    run "$BIN" show acetaminophen --kb "$KB"
    expect_rc 0
    expect_out "Products (50 of "
}

t_show_section_text() {
    run "$BIN" show esketamine --section "side effects" --kb "$KB"
    expect_rc 0
    expect_out "== 4. Possible side effects (4) =="
    expect_out "European Medicines Agency, product information (package leaflet) for Spravato."
    case $out in *"<p>"*) fail "leaflet markup in text output" ;; esac
    run "$BIN" show esketamine --section nosuchsection --kb "$KB"
    expect_rc 1
    expect_out "No document section of this drug matches \"nosuchsection\"."
    run "$BIN" show esketamine --json --section uses --kb "$KB"
    expect_rc 0
    show_json section_filter.name=uses section_filter.matched=1 documents.items.0.sections#1 \
        documents.items.0.sections.0.code=1 documents.items.0.sections.0.text
}

t_build_unwritable_output() {
    run "$BIN" build --out "$TMP/no/such/dir/x.kb"
    expect_rc 1
    expect_err "$TMP/no/such/dir/x.kb: cannot create a file there: No such file or directory"
}

# --- search (lib/search, src/cli/cmd_search.c) ---------------------------------

# search_json EXPR...: checks $out with t/cli/jsoncheck.c (built once into $TMP).
search_json() {
    if [ ! -x "$TMP/jsoncheck" ]; then
        ${CC:-cc} -std=c11 -O1 -DMT_JSONCHECK_MAIN -o "$TMP/jsoncheck" "$(dirname "$0")/jsoncheck.c" \
            $(pkg-config --cflags --libs jansson) >"$TMP/jsoncheck.log" 2>&1 ||
            { fail "cannot build jsoncheck: $(head -c 300 "$TMP/jsoncheck.log")"; return; }
    fi
    printf '%s' "$out" | "$TMP/jsoncheck" "$@" 2>"$TMP/jsoncheck.err" ||
        fail "search --json: $(cat "$TMP/jsoncheck.err")"
}

t_search_misspelling() {
    run "$BIN" search --kb "$KB" sertaline
    expect_rc 0
    expect_out " 1. sertraline (RxCUI 36437)  approximate 1: ingredient \"sertraline\" [rxnorm]"
    run "$BIN" search --kb "$KB" zolfot
    expect_rc 0
    expect_out " 1. sertraline (RxCUI 36437)  approximate 1: brand \"Zoloft\""
}

t_search_brand_label_and_words() {
    run "$BIN" search --kb "$KB" Spravato
    expect_rc 0
    expect_out " 1. esketamine (RxCUI 2119365)  exact: brand \"Spravato\""
    run "$BIN" search --kb "$KB" "sertraline hydrochloride 50 mg oral tablet"
    expect_rc 0
    expect_out " 1. sertraline (RxCUI 36437)  normalized"
    run "$BIN" search --kb "$KB" zoloft 50 mg tablet
    expect_rc 0
    expect_out " 1. sertraline (RxCUI 36437)  normalized: brand \"Zoloft\""
}

t_search_codes() {
    run "$BIN" search --kb "$KB" 6130
    expect_rc 0
    expect_out " 1. ketamine (RxCUI 6130)  code: rxcui ketamine"
    run "$BIN" search --kb "$KB" 0378-4188-01
    expect_rc 0
    expect_out " 1. sertraline (RxCUI 36437)  code: ndc sertraline 100 MG Oral Tablet"
    run "$BIN" search --kb "$KB" 00378418801
    expect_rc 0
    expect_out "code: ndc sertraline 100 MG Oral Tablet"
}

t_search_json_and_limit() {
    run "$BIN" search --kb "$KB" --json zolfot
    expect_rc 0
    search_json query=zolfot results.0.drug=sertraline results.0.rxcui=36437 \
        results.0.tier=approximate results.0.matched=Zoloft results.0.name_kind=brand \
        results.0.source=rxnorm results.0.distance=1 results.0.prior results.0.drug_id
    run "$BIN" search --kb "$KB" --json --limit 2 ketamne
    expect_rc 0
    search_json count=2 results#2 results.0.drug=ketamine results.0.distance=1
    printf '%s' "$out" | "$TMP/jsoncheck" results.2 2>/dev/null && fail "--limit 2 listed a third result"
}

t_search_unknown_is_exit_1_with_suggestions() {
    run "$BIN" search --kb "$KB" qwzx
    expect_rc 1
    expect_err "No drug matches \"qwzx\"."
    expect_err "Did you mean: "
    run "$BIN" search --kb "$KB" --json qqqqqqqqqq
    expect_rc 1
    search_json count=0 results suggestions
}

t_search_bad_usage() {
    run "$BIN" search --kb "$KB"
    expect_rc 2
    expect_err "usage: materia search"
    run "$BIN" search --kb "$KB" --limit 0 x
    expect_rc 2
    run "$BIN" search --kb "$KB" --limit 51 x
    expect_rc 2
    run "$BIN" search --kb "$KB" --limit
    expect_rc 2
    run "$BIN" search --kb "$KB" --frob x
    expect_rc 2
    run "$BIN" search --kb "$KB" --batch "$TMP/q" x
    expect_rc 2
}

t_search_batch_json_lines() {
    printf 'Zoloft\n\nqqqqqqqqqq\n6130\nsetraline 50 mg tablet\r\n' >"$TMP/q"
    run "$BIN" search --kb "$KB" --batch "$TMP/q" --limit 1
    expect_rc 0
    [ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] || fail "expected 4 lines (blank line skipped), got: $out"
    out=$(printf '%s\n' "$out" | sed -n 1p)
    search_json query=Zoloft results.0.drug=sertraline results.0.tier=exact
    run "$BIN" search --kb "$KB" --batch "$TMP/q" --limit 1
    out=$(printf '%s\n' "$out" | sed -n 2p)
    search_json query=qqqqqqqqqq count=0
    run "$BIN" search --kb "$KB" --batch "$TMP/q" --limit 1
    out=$(printf '%s\n' "$out" | sed -n 4p)
    search_json "query=setraline 50 mg tablet" results.0.drug=sertraline
    run "$BIN" search --kb "$KB" --batch "$TMP/no-such-file"
    expect_rc 1
    expect_err "no-such-file"
}

# --- check (lib/interact, src/cli/cmd_check.c) -------------------------------

# check_json EXPR...: checks $out (one JSON document) with jsoncheck.
check_json() {
    if [ ! -x "$TMP/jsoncheck" ]; then
        ${CC:-cc} -std=c11 -O1 -DMT_JSONCHECK_MAIN -o "$TMP/jsoncheck" "$(dirname "$0")/jsoncheck.c" \
            $(pkg-config --cflags --libs jansson) >"$TMP/jsoncheck.log" 2>&1 ||
            { fail "cannot build jsoncheck: $(head -c 300 "$TMP/jsoncheck.log")"; return; }
    fi
    printf '%s' "$out" | "$TMP/jsoncheck" "$@" 2>"$TMP/jsoncheck.err" ||
        fail "check --json: $(cat "$TMP/jsoncheck.err")"
}

t_check_serotonin_syndrome_text() {
    run "$BIN" check --kb "$KB" sertraline "methylene blue"
    expect_rc 0
    expect_out "Checked 2 drugs:"
    expect_out "MAJOR"
    expect_out "sertraline + methylene blue  [DD]"
    expect_out "\"Association DECONSEILLEE\" = major"
    expect_out "record: ansm: "
    expect_out "CLASS EFFECTS [AT]"
    expect_out "COVERAGE"
    expect_out "Materia informs; it does not replace a clinician or pharmacist."
}

t_check_json_shape() {
    run "$BIN" check --kb "$KB" --json simvastatin clarithromycin
    expect_rc 0
    check_json summary.resolved=2 summary.most_severe=contraindicated findings.0.severity=contraindicated \
        findings.0.tier=interruptive findings.0.disagreement=true findings.0.inputs.0=0 \
        findings.0.evidence.0.source=ansm findings.0.evidence.0.level=CONTRE-INDICATION \
        inputs.0.matched_kind=preferred coverage.sources#5 sources.ansm.name kb.data_version
}

t_check_harm_reduction_is_kept_apart() {
    run "$BIN" check --kb "$KB" ketamine alcohol
    expect_rc 0
    expect_out "MAJOR - by a harm-reduction source (not a clinical grading)"
    expect_out "Clinical sources: none has this pair"
    expect_out "\"Dangerous\" = major (harm reduction, not a clinical grading)"
    expect_out "[OH]"
    run "$BIN" check --kb "$KB" --json ketamine alcohol
    check_json findings.0.severity=null findings.0.harm_reduction_severity=major \
        findings.0.harm_reduction_only=true findings.0.dur.0=OH findings.0.evidence.0.kind=harm_reduction
}

t_check_benzodiazepine_class() {
    run "$BIN" check --kb "$KB" --json ketamine alprazolam
    expect_rc 0
    check_json findings.0.evidence.0.source=tripsit findings.0.evidence.0.level=Caution \
        findings.0.evidence.0.labels~benzodiazepines
}

t_check_unresolved_input_does_not_stop_the_check() {
    run "$BIN" check --kb "$KB" sertralin warfarin ibuprofen lactulose
    expect_rc 0
    expect_out "sertralin -> NOT RESOLVED"
    expect_out "Not resolved, NOT CHECKED: \"sertralin\""
    expect_out "Did you mean: sertraline"
    expect_out "No interaction data in any source (nothing found does not mean safe): lactulose"
    expect_out "warfarin + ibuprofen"
    run "$BIN" check --kb "$KB" --json sertralin warfarin ibuprofen lactulose
    check_json summary.unresolved=1 coverage.unresolved.0=0 coverage.uncovered.0=3 \
        inputs.0.resolved=false inputs.0.suggestions~sertraline
}

t_check_nothing_resolved_fails() {
    run "$BIN" check --kb "$KB" qqzzxv yyqqwx
    expect_rc 1
    expect_err "none of the drugs was recognized"
}

t_check_duplicate_therapy() {
    run "$BIN" check --kb "$KB" 00067204524 197426 ibuprofen naproxen
    expect_rc 0
    expect_out "DUPLICATE THERAPY"
    expect_out "same ingredient in both: acetaminophen [ID]"
    expect_out "same pharmacologic class: ibuprofen and naproxen are both EPC"
}

t_check_bad_usage() {
    run "$BIN" check --kb "$KB"
    expect_rc 2
    expect_err "usage: materia check"
    run "$BIN" check --kb "$KB" --frobnicate warfarin
    expect_rc 2
    run "$BIN" check --kb "$KB" --batch "$TMP/x" warfarin
    expect_rc 2
    run "$BIN" check --kb "$KB" $(seq 1 201)
    expect_rc 2
    expect_err "at most 200"
    run "$BIN" check --kb "$KB" $(seq 1 200)
    expect_rc 0
    run "$BIN" help check
    expect_rc 0
    expect_out "check DRUG..."
}

t_check_batch() {
    printf 'sertraline,methylene blue\nketamine\talcohol\n# a comment\n\n  qqzzxv , yyqqwx  \n%s\nwarfarin, ibuprofen,\n' \
        "$(seq -s, 1 201)" >"$TMP/lists.txt"
    run "$BIN" check --kb "$KB" --batch "$TMP/lists.txt"
    expect_rc 0
    [ "$(printf '%s\n' "$out" | wc -l)" -eq 5 ] || fail "batch: expected 5 lines, got $(printf '%s\n' "$out" | wc -l)"
    all=$out
    out=$(printf '%s\n' "$all" | sed -n 1p)
    check_json line=1 summary.resolved=2 findings.0.severity=major
    out=$(printf '%s\n' "$all" | sed -n 2p)
    check_json line=2 findings.0.harm_reduction_only=true
    out=$(printf '%s\n' "$all" | sed -n 3p)
    check_json line=5 summary.resolved=0 summary.unresolved=2
    out=$(printf '%s\n' "$all" | sed -n 4p)
    check_json line=6 error
    out=$(printf '%s\n' "$all" | sed -n 5p)
    check_json line=7 summary.inputs=2
    printf 'warfarin,ibuprofen\n' | "$BIN" check --kb "$KB" --batch - >"$TMP/out" 2>"$TMP/err"
    [ $? -eq 0 ] && grep -q '"line":1' "$TMP/out" || fail "batch from stdin"
    run "$BIN" check --kb "$KB" --batch "$TMP/no-such-file"
    expect_rc 1
    expect_err "no-such-file"
}

# --- pill (lib/pill, src/cli/cmd_pill.c) ----------------------------------------

t_pill_real_imprints() {
    run "$BIN" pill --imprint "g 4960 25mg" --color green --kb "$KB"
    expect_rc 0
    expect_out "sertraline — SERTRALINE 25 MG ORAL TABLET  [confidence 100]"
    expect_out "matched: imprint exact; colour GREEN matches"
    expect_out "NDC 59762496001"
    expect_out "source: c3pi (pill_color_imprint_dataset.csv line"
    run "$BIN" pill --imprint "S9OO" --kb "$KB" --limit 1
    expect_rc 0
    expect_out "alprazolam — ALPRAZOLAM 0.25 MG ORAL TABLET"
    expect_out "look-alike"
    expect_out "schedule CIV"
    run "$BIN" pill --imprint "G 496 25 MG" --kb "$KB" --limit 1
    expect_rc 0
    expect_out "imprint within 1 edit"
    run "$BIN" pill --imprint "v-2090" --colour off-white --shape oblong --kb "$KB"
    expect_rc 0
    expect_out "ALPRAZOLAM 2 MG ORAL TABLET"
    expect_out "shape OVAL is near the shape asked"
}

t_pill_json() {
    run "$BIN" pill --imprint "op 10" --color "off-white" --shape round --json --kb "$KB"
    expect_rc 0
    show_json query.imprint_normalized="OP 10" query.colors.0.spl=WHITE results.0.match.imprint=exact \
        results.0.match.color=match results.0.drugs.0.name=oxycodone results.0.drugs.0.rxcui=7804 \
        results.0.schedule=CII results.0.imprint="OP;10" results.0.source=c3pi results.0.confidence=100 \
        sources.c3pi.name near_misses
    run "$BIN" pill --imprint "barr 658" --color "red and white" --json --kb "$KB"
    expect_rc 0
    show_json results.0.drugs~acetaminophen results.0.drugs~oxycodone results.0.colors#2
}

t_pill_near_misses_not_errors() {
    run "$BIN" pill --imprint "ZOLOFT 500 XR" --kb "$KB"
    expect_rc 0
    expect_out "No pill matches imprint \"ZOLOFT 500 XR\". Closest near-misses:"
    expect_out "imprint ZOLOFT;50;MG"
    run "$BIN" pill --imprint "ZOLOFT 500 XR" --json --kb "$KB"
    expect_rc 0
    show_json count=0 near_misses#2 near_misses.0.match.imprint=near_miss near_misses.0.match.distance=3
    run "$BIN" pill --imprint "QQQQQQQQQQQQ" --kb "$KB"
    expect_rc 1
    expect_out "and nothing is close"
}

t_pill_usage() {
    run "$BIN" pill --kb "$KB"
    expect_rc 2
    expect_err "usage: materia pill"
    run "$BIN" pill --imprint "s 900" --color sparkly --kb "$KB"
    expect_rc 2
    expect_err "unknown colour \"sparkly\""
    run "$BIN" pill --shape blob --kb "$KB"
    expect_rc 2
    expect_err "unknown shape"
    run "$BIN" pill --imprint x --limit 0 --kb "$KB"
    expect_rc 2
    run "$BIN" pill --imprint x --size big --kb "$KB"
    expect_rc 2
    run "$BIN" pill s900 --kb "$KB"
    expect_rc 2
    run "$BIN" pill --imprint "s 900" --kb "$TMP/none.kb"
    expect_rc 1
}

t_pill_svg() {
    run "$BIN" pill --svg 0 --kb "$KB"
    expect_rc 0
    expect_out "<svg xmlns=\"http://www.w3.org/2000/svg\""
    expect_out "(drawing, not a photograph)</title>"
    run "$BIN" pill --svg 99999999 --kb "$KB"
    expect_rc 1
    expect_err "no pill 99999999"
    run "$BIN" pill --svg 0 --imprint x --kb "$KB"
    expect_rc 2
}

# --- meds (personal records on a local store) ---------------------------------

t_meds_add_alerts_and_list() {
    db="$TMP/meds.db"
    run "$BIN" meds --db "$db" --kb "$KB" add sertraline --dose 50 --unit mg
    expect_rc 0
    expect_out "sertraline"
    expect_out "No interaction alerts."
    run "$BIN" meds --db "$db" --kb "$KB" add tramadol --strength "50 mg" --dose 1 --unit tablet --at 20:00,08:00
    expect_rc 0
    expect_out "ALERT interaction: sertraline + tramadol"
    expect_out "serotonin syndrome"
    expect_out "at 08:00,20:00 UTC"
    run "$BIN" meds --db "$db" --kb "$KB" --json add ibuprofen --dose 2 --unit tablet --strength "200 mg" --times-per-day 3
    expect_rc 0
    expect_out '"mg_per_day": 1200'
    run "$BIN" meds --db "$db" list
    expect_rc 0
    expect_out "self: 3 medications"
    run "$BIN" meds --db "$db" stop 1 --date 2030-01-01
    expect_rc 0
    run "$BIN" meds --db "$db" list
    expect_out "self: 2 medications"
    run "$BIN" meds --db "$db" list --stopped
    expect_out "stopped  sertraline"
    run "$BIN" meds --db "$db" --profile Mum list
    expect_out "Mum: 0 medications"
}

t_meds_log_reminders_export() {
    db="$TMP/meds2.db"
    run "$BIN" meds --db "$db" --kb "$KB" add "ibuprofen 200 MG Oral Tablet" --dose 1 --unit tablet --at 08:00 --stock 3 --refill-at 2
    expect_rc 0
    run "$BIN" meds --db "$db" log 1
    expect_rc 0
    expect_out "Refill soon: 2 left"
    run "$BIN" meds --db "$db" reminders --hours 48
    expect_rc 0
    expect_out "T08:00:00Z  ibuprofen 200 MG Oral Tablet: 1 tablet"
    run "$BIN" meds --db "$db" export --format fhir
    expect_out '"resourceType": "Bundle"'
    expect_out '"system": "http://www.nlm.nih.gov/research/umls/rxnorm"'
    expect_out '"resourceType": "MedicationAdministration"'     # the dose logged above
    expect_out '"status": "completed"'
    run "$BIN" meds --db "$db" export --format csv
    expect_out "id,drug,drug_name,rxcui"
    expect_out "dose_id,medication_id,drug,drug_name,rxcui,status,at_utc,notes"
    expect_out '"1","1","ibuprofen 200 MG Oral Tablet","ibuprofen","5640","taken",'
    run "$BIN" meds --db "$db" export --format ics
    expect_out "BEGIN:VCALENDAR"
    run "$BIN" meds --db "$db" export --format pdf
    expect_rc 2
}

t_meds_bad_input() {
    db="$TMP/meds3.db"
    run "$BIN" meds --db "$db" --kb "$KB" add sertralinx
    expect_rc 2
    expect_err "drug: no drug named \"sertralinx\""
    expect_err "did you mean: sertraline"
    run "$BIN" meds --db "$db" --kb "$KB" add ibuprofen --dose -1 --unit tablet
    expect_rc 2
    expect_err "dose_amount"
    run "$BIN" meds --db "$db" --kb "$KB" add ibuprofen --start 2023-02-29
    expect_rc 2
    expect_err "start_date"
    run "$BIN" meds --db "$db" --kb "$KB" add ibuprofen --at 25:00
    expect_rc 2
    expect_err "at:"
    run "$BIN" meds --db "$db" list
    expect_out "self: 0 medications"
    run "$BIN" meds --db "$db" stop 99
    expect_rc 1
    run "$BIN" meds --db "$db" frobnicate
    expect_rc 2
    run "$BIN" meds --db "/nonexistent-dir/x/records.db" list
    expect_rc 1
    expect_err "records database"
}

# kbstrip IN OUT FIRST LAST: t/cli/kbstrip.c, built once into $TMP (with the
# container and the utilities it needs), copies a KB without some sections.
kbstrip() {
    if [ ! -x "$TMP/kbstrip" ]; then
        root=$(dirname "$0")/../..
        ${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -DMT_KBSTRIP_MAIN -I"$root/include" -I"$root/lib" -I"$root/t" \
            -o "$TMP/kbstrip" "$root/t/cli/kbstrip.c" "$root/lib/kbfile/kbfile.c" "$root/lib/util/alloc.c" \
            "$root/lib/util/buf.c" "$root/lib/util/status.c" $(pkg-config --cflags --libs libxxhash) \
            >"$TMP/kbstrip.log" 2>&1 ||
            { fail "cannot build kbstrip: $(head -c 300 "$TMP/kbstrip.log")"; return 1; }
    fi
    "$TMP/kbstrip" "$@" || { fail "kbstrip $*"; return 1; }
}

# A knowledge base without its search index (sections 100-149, KB_SEC_SEARCH_*
# in lib/kb/kbformat.h) opens, but no drug can be looked up in it: `add` must
# fail and save nothing, never store the medication unresolved.
t_meds_add_without_search_index_saves_nothing() {
    db="$TMP/meds4.db"
    kbstrip "$KB" "$TMP/nosearch.kb" 100 149 || return
    run "$BIN" meds --db "$db" --kb "$TMP/nosearch.kb" add sertraline --dose 50 --unit mg
    expect_rc 1
    expect_err "has no usable search index"
    expect_err "nothing saved"
    run "$BIN" meds --db "$db" --kb "$TMP/nosearch.kb" --json add sertraline
    expect_rc 1
    [ -z "$out" ] || fail "add printed a record: $(printf %s "$out" | head -c 200)"
    run "$BIN" meds --db "$db" list --all
    expect_rc 0
    expect_out "self: 0 medications"
    rm -f "$TMP/nosearch.kb"
}

# `records copy`: a whole records database into an empty one (SQLite -> SQLite here;
# t/records/test_copy.c covers PostgreSQL). Counts printed, exit 0; the copy
# lists the same medications; a second copy into it is refused (exit 1, nothing
# written); a source that does not open creates no destination; usage is exit 2.
t_records_copy() {
    src="$TMP/copy-src.db"
    dst="$TMP/copy-dst.db"
    run "$BIN" meds --db "$src" --kb "$KB" add sertraline --dose 50 --unit mg --stock 30
    expect_rc 0
    run "$BIN" meds --db "$src" log 1
    expect_rc 0
    run "$BIN" meds --db "$src" --profile Mum --kb "$KB" add ibuprofen --as-needed --notes "with food"
    expect_rc 0
    run "$BIN" records copy --from "$src" --to "$dst"
    expect_rc 0
    expect_out "medications                 2            2"
    expect_out "doses                       1            1"
    expect_out "copied: every table has the same number of rows on both sides"
    run "$BIN" meds --db "$src" list --all
    before=$out
    run "$BIN" meds --db "$dst" list --all
    expect_rc 0
    [ "$out" = "$before" ] || fail "the copy lists other medications: $(printf %s "$out" | head -c 300)"
    run "$BIN" meds --db "$dst" --profile Mum --json list
    expect_out '"notes": "with food"'
    run "$BIN" records copy --from "$src" --to "$dst"
    expect_rc 1
    expect_err "the destination already holds records (users 1, profiles 2, medications 2, doses 1"
    expect_err "nothing was written"
    [ -z "$out" ] || fail "a refused copy printed counts: $(printf %s "$out" | head -c 200)"
    run "$BIN" meds --db "$dst" list --all
    [ "$out" = "$before" ] || fail "a refused copy changed the destination"
    run "$BIN" records copy --from "$TMP/no-such.db" --to "$TMP/copy-new.db"
    expect_rc 1
    expect_err "source: $TMP/no-such.db: unable to open database file"
    [ ! -e "$TMP/copy-new.db" ] || fail "a failed copy created its destination"
    run "$BIN" records copy --from "$src" --to "$src"
    expect_rc 1
    expect_err "the same database"
    run "$BIN" records copy --from "$src"
    expect_rc 2
    expect_err "copy needs --from DB and --to DB"
    run "$BIN" records copy --from "$src" --to
    expect_rc 2
    run "$BIN" records
    expect_rc 2
    run "$BIN" records move --from "$src" --to "$dst"
    expect_rc 2
    expect_err "unknown command \"move\""
    run "$BIN" help records
    expect_rc 0
    expect_out "records copy --from DB --to DB"
}

# --- runner ------------------------------------------------------------------

if [ ! -x "$BIN" ]; then
    echo "cli: $BIN is not an executable (set MATERIA_BIN)" >&2
    exit 1
fi
if [ ! -f "$KB" ]; then
    echo "cli: $KB not found (set MATERIA_TEST_KB)" >&2
    exit 1
fi
for t in $(grep -o '^t_[a-z0-9_]*()' "$0" | tr -d '()'); do
    current=$t
    current_failed=0
    $t
    if [ "$current_failed" -eq 0 ]; then
        passed=$((passed + 1))
        echo "ok   $t"
    else
        failed=$((failed + 1))
        echo "FAIL $t"
    fi
done
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
