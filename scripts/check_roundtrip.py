#!/usr/bin/env python3
"""Round-trip check of smsarchive on a Log Analytics workspace data export.

    python3 scripts/check_roundtrip.py [--smsarchive PATH] [--records N] [--seed N] [--keep]

It does what a new user would: generate an export with
scripts/make_workspace_export.py (am-<table>/WorkspaceResourceId=/.../PT05M.json,
overflow blobs PT05M_1.json, late rows, type drift, five time forms, exact
duplicates, unicode, nulls, unknown fields), convert it, and read it back.
Then it checks, printing one PASS/FAIL line each, with the numbers:

  convert exit status    0: every generated row is a valid record, none may be rejected
  scan lines parse       every line of `scan --format jsonl` is one JSON value
  scan = input           the multiset of output values equals the multiset of
                         generated rows, compared as JSON values that keep number
                         text (1.0 != 1, "78" != 78); member order aside; duplicates
                         counted. This is the promise "records come back exactly".
  key order              each output object lists its keys (recursively) in the
                         order the input line had them
  time text              the time strings come back as written (7 digits, offsets,
                         the US form ...), counted as a multiset
  time order             scan output is non-decreasing in UTC time (offsets and the
                         US form MM/DD/YYYY HH:MM:SS parsed, the latter as UTC)
  scan --count           = rows (duplicates included)
  scan --distinct        `--distinct --count` = distinct rows
  scan --phone           `--phone PROBE --count` = rows of that PhoneNumber, also
                         those where it is only inside an escaped `properties` string
  scan --from/--to       per UTC date of each row's own time: late rows count in
                         their own day, not the day of the blob path they sit under
  info duplicates        `info --json` reports a duplicate count = rows - distinct
                         (found as any key containing "duplicate")
  verify --against       `verify ARCHIVE --against EXPORT` exits 0

Expected numbers are recomputed here from expected.jsonl (independently of the
generator's own summary, which is cross-checked too). A check the tool cannot
run yet (an unknown flag) is a FAIL, never a crash. Exit status: 0 when every
check passes, 1 otherwise. Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(SCRIPTS)
GENERATOR = os.path.join(SCRIPTS, "make_workspace_export.py")
TIMEOUT = 900


# ---------------------------------------------------------------- JSON as values

class Num(str):
    """A JSON number, kept as its text: 1.0 and 1 differ, "78" (a string) and 78 differ."""


class Obj(list):
    """A JSON object as its (key, value) pairs in written order."""


def parse(line: str):
    def no_constants(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(line, parse_int=Num, parse_float=Num, parse_constant=no_constants,
                      object_pairs_hook=Obj)


def canon(v):
    """A hashable form, equal for equal JSON values (member order ignored)."""
    if isinstance(v, Obj):
        return ("o", tuple(sorted((k, canon(x)) for k, x in v)))
    if isinstance(v, list):
        return ("a", tuple(canon(x) for x in v))
    if isinstance(v, Num):
        return ("n", str(v))
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, bool):
        return ("b", v)
    if v is None:
        return ("z",)
    raise TypeError(type(v))


def key_order(v):
    """The keys of every object, recursively, in written order."""
    if isinstance(v, Obj):
        return tuple((k, key_order(x)) for k, x in v)
    if isinstance(v, list):
        return tuple(key_order(x) for x in v)
    return None


def member(obj: Obj, *names):
    """The value of the first member named like one of names (ignoring case), else None."""
    wanted = [n.lower() for n in names]
    for name in wanted:
        for k, v in obj:
            if k.lower() == name:
                return v
    return None


# ---------------------------------------------------------------- time

ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})$")
US_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})$")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def utc_ticks(text: str) -> int:
    """UTC instant in 100 ns ticks; ISO 8601 (Z or offset, 0-7 digits) or MM/DD/YYYY HH:MM:SS (UTC)."""
    m = ISO_RE.match(text)
    if m:
        y, mo, d, h, mi, s, frac, zone = m.groups()
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone.utc)
        if zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            dt -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        return int((dt - EPOCH).total_seconds()) * 10_000_000 + int((frac or "").ljust(7, "0"))
    m = US_RE.match(text)
    if m:
        mo, d, y, h, mi, s = (int(g) for g in m.groups())
        dt = datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc)
        return int((dt - EPOCH).total_seconds()) * 10_000_000
    raise ValueError(f"unparsable time {text!r}")


def time_of(obj: Obj) -> str:
    text = member(obj, "TimeGenerated", "time")
    if not isinstance(text, str) or isinstance(text, Num):
        raise ValueError("no time member")
    return text


def utc_date(ticks: int) -> date:
    return (EPOCH + timedelta(seconds=ticks // 10_000_000)).date()


def phone_of(obj: Obj):
    """PhoneNumber at top level, in a properties object, or in an escaped properties string."""
    phone = member(obj, "PhoneNumber")
    if phone is not None:
        return phone
    props = member(obj, "properties")
    if isinstance(props, str) and not isinstance(props, Num):
        try:
            props = parse(props)
        except ValueError:
            return None
    if isinstance(props, Obj):
        return member(props, "PhoneNumber")
    return None


# ---------------------------------------------------------------- expectations

class Expected:
    """What the archive must give back, computed from expected.jsonl."""

    def __init__(self, export_dir: str):
        with open(os.path.join(export_dir, "expected.jsonl"), encoding="utf-8") as f:
            self.lines = f.read().split("\n")[:-1]
        with open(os.path.join(export_dir, "expected-summary.json"), encoding="utf-8") as f:
            self.summary = json.load(f)
        self.values = [parse(line) for line in self.lines]
        self.canons = [canon(v) for v in self.values]
        self.rows = len(self.values)
        self.distinct = len(set(self.canons))
        self.duplicates = self.rows - self.distinct
        self.probe = self.summary["probe_phone"]
        self.probe_rows = sum(1 for v in self.values if phone_of(v) == self.probe)
        self.per_date = Counter(utc_date(utc_ticks(time_of(v))).isoformat() for v in self.values)

    def disagreements_with_summary(self) -> list[str]:
        s = self.summary
        out = []
        for name, mine, theirs in (("rows", self.rows, s["rows"]),
                                   ("distinct_rows", self.distinct, s["distinct_rows"]),
                                   ("duplicates", self.duplicates, s["duplicates"]),
                                   ("probe_phone_rows", self.probe_rows, s["probe_phone_rows"]),
                                   ("rows_per_date", dict(sorted(self.per_date.items())), s["rows_per_date"])):
            if mine != theirs:
                out.append(f"{name}: expected.jsonl gives {mine}, summary says {theirs}")
        return out


# ---------------------------------------------------------------- running the tool

class Tool:
    def __init__(self, binary: str):
        self.binary = binary

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *args], capture_output=True, timeout=TIMEOUT)

    def count(self, archive: str, *args: str):
        """The number `scan ... --count` prints, or (None, why)."""
        p = self.run("scan", archive, *args, "--count")
        out = p.stdout.decode("utf-8", "replace").strip()
        if p.returncode != 0 or not re.fullmatch(r"\d+", out):
            return None, f"exit {p.returncode}: {first_line(p.stderr) or out[:200]}"
        return int(out), ""


def first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def find_binary(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    for kind in ("release", "debug"):
        path = os.path.join(REPO, ".build", kind, "smsarchive")
        if os.access(path, os.X_OK):
            return path
    return None


# ---------------------------------------------------------------- reporting

class Report:
    def __init__(self):
        self.results: list[tuple[str, bool]] = []

    def check(self, name: str, ok: bool, detail: str, extra: list[str] | None = None):
        self.results.append((name, ok))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
        for line in extra or []:
            print(f"        {line}")
        sys.stdout.flush()

    def equal(self, name: str, got, want, what: str = ""):
        if got is None:
            self.check(name, False, f"could not get the number ({what}); expected {want}")
        else:
            self.check(name, got == want, f"got {got}, expected {want}" + (f" ({what})" if what else ""))

    def done(self) -> int:
        failed = [n for n, ok in self.results if not ok]
        print(f"\n{len(self.results) - len(failed)} of {len(self.results)} checks passed"
              + (f"; failed: {', '.join(failed)}" if failed else ""))
        return 0 if not failed else 1


def shorten(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[:n] + f"... ({len(text)} chars)"


# ---------------------------------------------------------------- the checks

def check_convert(tool: Tool, report: Report, export: str, archive: str) -> bool:
    started = time.monotonic()
    p = tool.run("convert", export, "--output", archive, "--quiet")
    seconds = time.monotonic() - started
    extra = []
    if p.returncode != 0:
        extra.append(f"stderr: {shorten(p.stderr.decode('utf-8', 'replace').strip(), 600)}")
        if p.returncode == 2:
            r = tool.run("rejects", archive)
            rejects = r.stdout.decode("utf-8", "replace").splitlines()
            extra.append(f"{len(rejects)} rejects (smsarchive rejects ARCHIVE); first ones:")
            extra += [describe_reject(line) for line in rejects[:5]]
    report.check("convert exit status", p.returncode == 0,
                 f"exit {p.returncode} in {seconds:.1f} s (0 expected: every generated row is valid)", extra)
    return p.returncode in (0, 2)


def describe_reject(line: str) -> str:
    """reason: detail | text (file:line), short, from one line of `smsarchive rejects`."""
    try:
        r = json.loads(line)
    except ValueError:
        return shorten(line)
    where = f"{os.path.basename(str(r.get('source', '?')))}:{r.get('line', '?')}"
    return shorten(f"{r.get('reason')}: {r.get('detail')} | {r.get('text', r.get('base64'))} ({where})", 400)


def check_scan_output(tool: Tool, report: Report, archive: str, exp: Expected):
    p = tool.run("scan", archive, "--format", "jsonl")
    if p.returncode != 0:
        report.check("scan --format jsonl", False, f"exit {p.returncode}: {first_line(p.stderr)}")
        return
    lines = p.stdout.decode("utf-8", "replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    values, bad = [], []
    for n, line in enumerate(lines, 1):
        try:
            values.append((line, parse(line)))
        except ValueError as e:
            bad.append(f"line {n}: {e}: {shorten(line, 200)}")
    report.check("scan lines parse", not bad, f"{len(lines) - len(bad)} of {len(lines)} lines are JSON", bad[:5])

    check_values(report, exp, values)
    check_key_order(report, exp, values)
    check_time_text(report, exp, values)
    check_time_order(report, values)


def check_values(report: Report, exp: Expected, values):
    want = Counter(exp.canons)
    got = Counter(canon(v) for _, v in values)
    missing, extra = want - got, got - want
    example = {c: line for c, line in zip(exp.canons, exp.lines)}
    details = []
    out_example = {canon(v): line for line, v in values}
    for c, n in list(missing.items())[:3]:
        details.append(f"missing x{n}: {shorten(example[c])}")
        hint = closest_difference(c, list(extra)[:200])
        if hint:
            details.append(f"  closest unexpected line differs in {hint}")
    for c, n in list(extra.items())[:3]:
        details.append(f"unexpected x{n}: {shorten(out_example[c])}")
    report.check("scan = input (multiset of JSON values)", not missing and not extra,
                 f"{sum(got.values())} lines out, {sum(want.values())} rows in; "
                 f"{sum(missing.values())} missing, {sum(extra.values())} unexpected", details)


def closest_difference(want, candidates) -> str:
    """The members in which the most similar candidate object differs from want."""
    if want[0] != "o":
        return ""
    want_members = dict(want[1])
    best = None
    for c in candidates:
        if c[0] != "o":
            continue
        got = dict(c[1])
        diff = [k for k in sorted(want_members.keys() | got.keys()) if want_members.get(k) != got.get(k)]
        if best is None or len(diff) < len(best[0]):
            best = (diff, got)
    if not best or len(best[0]) > 5:
        return ""
    diff, got = best
    return "; ".join(f"{k}: want {show(want_members.get(k))}, got {show(got.get(k))}" for k in diff)


def show(c) -> str:
    """A canonical value back as short JSON-ish text (numbers bare, strings quoted)."""
    if c is None:
        return "(absent)"
    kind = c[0]
    if kind == "n":
        return c[1]
    if kind == "s":
        return json.dumps(c[1], ensure_ascii=False)
    if kind == "z":
        return "null"
    if kind == "b":
        return "true" if c[1] else "false"
    return shorten(repr(c), 120)


def check_key_order(report: Report, exp: Expected, values):
    want = Counter((c, key_order(v)) for c, v in zip(exp.canons, exp.values))
    got = Counter((canon(v), key_order(v)) for _, v in values)
    common = {c for c, _ in want} & {c for c, _ in got}
    wrong = Counter({k: n for k, n in (got - want).items() if k[0] in common})
    details = []
    for (c, order), _ in list(wrong.items())[:2]:
        expected_order = next(o for (cc, o) in want if cc == c)
        details.append(f"got keys {[k for k, _ in order]}")
        details.append(f"want     {[k for k, _ in expected_order]}")
    compared = sum(n for (c, _), n in got.items() if c in common)
    report.check("key order = input's", not wrong,
                 f"{compared - sum(wrong.values())} of {compared} matching lines keep the key order", details)


def check_time_text(report: Report, exp: Expected, values):
    want = Counter(time_of(v) for v in exp.values)
    got, bad = Counter(), 0
    for _, v in values:
        try:
            got[time_of(v)] += 1
        except ValueError:
            bad += 1
    missing, extra = want - got, got - want
    details = [f"missing {t!r} x{n}" for t, n in list(missing.items())[:3]]
    details += [f"unexpected {t!r} x{n}" for t, n in list(extra.items())[:3]]
    if bad:
        details.append(f"{bad} output lines have no TimeGenerated/time string")
    forms = Counter(time_form(t) for t in want.elements())
    report.check("time text as written", not missing and not extra and not bad,
                 f"{sum(got.values())} times out; forms in: {dict(sorted(forms.items()))}", details)


def time_form(text: str) -> str:
    m = ISO_RE.match(text)
    if not m:
        return "us" if US_RE.match(text) else "other"
    if m.group(8) != "Z":
        return "offset"
    return f"frac{len(m.group(7))}" if m.group(7) else "nofrac"


def check_time_order(report: Report, values):
    previous, inversions, first, unparsable = None, 0, None, 0
    for n, (line, v) in enumerate(values, 1):
        try:
            t = utc_ticks(time_of(v))
        except ValueError:
            unparsable += 1
            continue
        if previous is not None and t < previous[0]:
            inversions += 1
            if first is None:
                first = f"line {n} {time_of(v)!r} comes after line {previous[1]} {previous[2]!r}"
        previous = (t, n, time_of(v))
    report.check("scan output in time order", inversions == 0 and unparsable == 0,
                 f"{inversions} decreases, {unparsable} unparsable times in {len(values)} lines",
                 [first] if first else [])


def check_counts(tool: Tool, report: Report, archive: str, exp: Expected):
    n, why = tool.count(archive)
    report.equal("scan --count", n, exp.rows, why or "rows, duplicates included")
    n, why = tool.count(archive, "--distinct")
    report.equal("scan --distinct --count", n, exp.distinct, why or "distinct rows")
    n, why = tool.count(archive, "--phone", exp.probe)
    in_escaped = exp.summary.get("probe_phone_rows_by_shape", {}).get("escaped-properties", "?")
    report.equal(f"scan --phone {exp.probe} --count", n, exp.probe_rows,
                 why or f"{in_escaped} of them only inside an escaped properties string")
    for day, want in sorted(exp.per_date.items()):
        next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        n, why = tool.count(archive, "--from", day, "--to", next_day)
        report.equal(f"scan --from {day} --to {next_day} --count", n, want, why)


def find_duplicate_counts(value, path="", inside=False):
    """[(path, int)] of every integer at or under a key containing "duplicate"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [(path, value)] if inside else []
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else []
    found = []
    for k, v in items:
        p = f"{path}.{k}" if path else str(k)
        found += find_duplicate_counts(v, p, inside or (isinstance(k, str) and "duplicate" in k.lower()))
    return found


def check_info(tool: Tool, report: Report, archive: str, exp: Expected):
    p = tool.run("info", archive, "--json")
    text = p.stdout.decode("utf-8", "replace")
    try:
        info = json.loads(text) if p.returncode == 0 else None
    except ValueError:
        info = None
    if info is None:
        report.check("info --json duplicates", False,
                     f"exit {p.returncode}, not JSON: {first_line(p.stderr) or shorten(text, 200)}")
        return
    found = find_duplicate_counts(info)
    if not found:
        report.check("info --json duplicates", False,
                     f"no key containing 'duplicate'; expected {exp.duplicates}; info --json printed:",
                     [shorten(json.dumps(info, ensure_ascii=False), 1500)])
        return
    ok = any(n == exp.duplicates for _, n in found)
    report.check("info --json duplicates", ok,
                 f"{', '.join(f'{p} = {n}' for p, n in found)}; expected {exp.duplicates} (rows - distinct)")


def check_verify(tool: Tool, report: Report, archive: str, export: str):
    p = tool.run("verify", archive, "--against", export)
    report.check("verify --against export", p.returncode == 0,
                 f"exit {p.returncode}" + (f": {first_line(p.stderr)}" if p.returncode else ""))


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--smsarchive", help="the binary (default .build/release/smsarchive, else .build/debug/)")
    ap.add_argument("--records", type=int, default=3000, help="rows to generate (default 3000)")
    ap.add_argument("--seed", type=int, help="generator seed (default: the generator's)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary export and archive, and say where")
    args = ap.parse_args(argv)

    binary = find_binary(args.smsarchive)
    if not binary or not os.access(binary, os.X_OK):
        print(f"no smsarchive binary (looked for {binary or '.build/{release,debug}/smsarchive'}); "
              "build it or pass --smsarchive", file=sys.stderr)
        return 1
    built = datetime.fromtimestamp(os.path.getmtime(binary), timezone.utc)
    print(f"smsarchive: {binary} (modified {built:%Y-%m-%d %H:%M} UTC)")
    debug = os.path.join(REPO, ".build", "debug", "smsarchive")
    if not args.smsarchive and binary != debug and os.access(debug, os.X_OK) \
            and os.path.getmtime(debug) > os.path.getmtime(binary):
        print(f"note: {debug} is newer; pass --smsarchive to check that one")

    work = tempfile.mkdtemp(prefix="smsarchive-roundtrip-")
    export, archive = os.path.join(work, "export"), os.path.join(work, "archive")
    try:
        gen = [sys.executable, GENERATOR, export, "--records", str(args.records)]
        if args.seed is not None:
            gen += ["--seed", str(args.seed)]
        g = subprocess.run(gen, capture_output=True, text=True)
        if g.returncode != 0:
            print(f"generator failed:\n{g.stderr}", file=sys.stderr)
            return 1
        print(f"export: {g.stderr.strip()}")
        exp = Expected(export)
        s = exp.summary
        print(f"expected: {exp.rows} rows, {exp.distinct} distinct, {exp.duplicates} duplicates, "
              f"{s['late_rows']} late, drift {s['drift_rows_by_kind']}, per date {dict(sorted(exp.per_date.items()))}\n")

        report = Report()
        problems = exp.disagreements_with_summary()
        report.check("generator self-check", not problems,
                     "expected.jsonl agrees with expected-summary.json" if not problems else "disagree", problems)
        if check_convert(Tool(binary), report, export, archive):
            tool = Tool(binary)
            check_scan_output(tool, report, archive, exp)
            check_counts(tool, report, archive, exp)
            check_info(tool, report, archive, exp)
            check_verify(tool, report, archive, export)
        return report.done()
    finally:
        if args.keep:
            print(f"kept: export {export}, archive {archive}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
