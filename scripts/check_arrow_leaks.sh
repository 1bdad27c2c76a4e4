#!/usr/bin/env bash
# Runs python/tests/leak_workload.py (every path of the C interface: full reads, a consumer stopping halfway,
# capsules never taken, errors, trace, info) under valgrind's memcheck, and fails when a leaked block
# (definitely or indirectly lost) or a memory error has a frame in libSMSArchiveC. Python and numpy's own
# losses at exit are reported by valgrind too, and ignored: only our library's frames count.
# A control run that leaks one stream on purpose (SMSARCHIVE_LEAK_ON_PURPOSE=1) must be caught, so that a
# pass means something.
#   scripts/check_arrow_leaks.sh LIBRARY CLI
set -euo pipefail
LIBRARY=${1:-.build/debug/libSMSArchiveC.so}
CLI=${2:-.build/debug/smsarchive}
command -v valgrind >/dev/null || { echo "valgrind is not installed (Debian: apt-get install valgrind)"; exit 1; }
PYTHON=$(python3 -c 'import sys; print(sys.executable)')   # the interpreter itself, not a pyenv shim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$CLI" convert testdata/export --output "$work/archive.smsa" --quiet || [ $? -eq 2 ]
cp -r "$work/archive.smsa" "$work/damaged.smsa"
python3 - "$work/damaged.smsa" <<'PY'
import json, sys
from pathlib import Path
archive = Path(sys.argv[1])
segment = archive / json.loads((archive / "manifest.json").read_text())["segments"][0]["file"]
data = bytearray(segment.read_bytes())
middle = len(data) // 3
data[middle:middle + 64] = bytes(b ^ 0x5A for b in data[middle:middle + 64])
segment.write_bytes(bytes(data))
PY
run() {   # $1: log file; the rest: environment
    local log=$1; shift
    env "$@" SMSARCHIVE_LIBRARY="$LIBRARY" PYTHONPATH=python PYTHONMALLOC=malloc \
        valgrind --leak-check=full --show-leak-kinds=definite,indirect --num-callers=60 --log-file="$log" \
        "$PYTHON" python/tests/leak_workload.py "$work/archive.smsa" "$work/damaged.smsa"
}
# Loss records and errors with a frame in our library (mangled Swift names hold the module's name).
ours() { awk '/^==[0-9]+== [^ ]/ { if (block ~ /SMSArchiveC/) print block; block = "" } { block = block "\n" $0 } END { if (block ~ /SMSArchiveC/) print block }' "$1" \
    | grep -E 'lost in loss record|Invalid (read|write)|Mismatched free|Invalid free' || true; }
run "$work/control.log" SMSARCHIVE_LEAK_ON_PURPOSE=1 >/dev/null
if [ -z "$(ours "$work/control.log")" ]; then
    echo "check_arrow_leaks: the control run's leaked stream went unseen: the check is broken"; exit 1
fi
echo "control (one stream leaked on purpose) caught: $(ours "$work/control.log" | head -1 | sed 's/^==[0-9]*== //')"
run "$work/valgrind.log" >/dev/null
found=$(ours "$work/valgrind.log")
if [ -n "$found" ]; then
    echo "check_arrow_leaks: libSMSArchiveC leaks or misuses memory:"; echo "$found"
    awk '/SMSArchiveC/' "$work/valgrind.log" | head -40
    exit 1
fi
echo "check_arrow_leaks: no leak or memory error in libSMSArchiveC (valgrind memcheck; the control leak was caught)"
