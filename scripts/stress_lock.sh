#!/bin/sh
# Races `compact X` against two `convert inN.json -o X` on an archive X that does not exist yet,
# TRIALS times, and counts the records afterwards: every trial must keep both converts' records
# (and both their source states), `compact` may only exit 0 (it ran after a convert) or 1 (no
# archive yet), and `verify` must hold. Usage: scripts/stress_lock.sh [SMSARCHIVE] [TRIALS]
set -u
bin=${1:-.build/release/smsarchive}
trials=${2:-1000}
[ -x "$bin" ] || { echo "stress-lock: $bin is not an executable (build it first)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/smsarchive-stress-lock.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
line() { printf '{"time":"2026-10-01T0%s:00:0%s.0000000Z","category":"SMSOperational","properties":{"PhoneNumber":"+1833425646%s","n":%s}}\n' "$1" "$2" "$2" "$2"; }
for i in 1 2 3; do line 1 "$i"; done >"$work/in1.json"
for i in 1 2 3 4; do line 2 "$i"; done >"$work/in2.json"
expected=7
failures=0 compact_ok=0 compact_refused=0
t=1
while [ "$t" -le "$trials" ]; do
    x="$work/x$t.smsa"
    # compact starts first, last, or a few milliseconds after the converts (when the first of them is
    # creating or committing), so that it meets the archive in every state.
    mode=$((t % 3))
    if [ "$mode" -eq 0 ]; then "$bin" compact "$x" --quiet 2>"$work/compact.err" & p0=$!; fi
    "$bin" convert "$work/in1.json" -o "$x" --quiet 2>"$work/c1.err" & p1=$!
    "$bin" convert "$work/in2.json" -o "$x" --quiet 2>"$work/c2.err" & p2=$!
    if [ "$mode" -eq 1 ]; then "$bin" compact "$x" --quiet 2>"$work/compact.err" & p0=$!; fi
    if [ "$mode" -eq 2 ]; then (sleep 0.0$((t % 5 + 1)); exec "$bin" compact "$x" --quiet) 2>"$work/compact.err" & p0=$!; fi
    wait $p0; s0=$?
    wait $p1; s1=$?
    wait $p2; s2=$?
    count=$("$bin" scan "$x" --count 2>"$work/scan.err")
    sources=$(ls "$x/sources" 2>/dev/null | wc -l)
    "$bin" verify "$x" >/dev/null 2>"$work/verify.err"; sv=$?
    case $s0 in 0) compact_ok=$((compact_ok + 1)) ;; 1) compact_refused=$((compact_refused + 1)) ;; esac
    if [ "$s1" -ne 0 ] || [ "$s2" -ne 0 ] || [ "$s0" -gt 1 ] || [ "$count" != "$expected" ] || [ "$sv" -ne 0 ] || [ "$sources" -ne 2 ]; then
        failures=$((failures + 1))
        echo "trial $t: compact $s0, converts $s1 $s2, $count records (expected $expected), verify $sv" >&2
        cat "$work/compact.err" "$work/c1.err" "$work/c2.err" "$work/scan.err" "$work/verify.err" >&2
    fi
    rm -rf "$x"
    t=$((t + 1))
done
echo "stress-lock: $trials trials, $failures failed; compact ran $compact_ok times and refused (no archive yet) $compact_refused times"
[ "$failures" -eq 0 ]
