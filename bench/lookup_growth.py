#!/usr/bin/env python3
"""How a MessageId lookup's time grows with the days an archive holds (issue 14's last target).

    python3 bench/lookup_growth.py [--export DIR] [--records 3000000] [--days 30]
                                   [--smsarchive .build/release/smsarchive] [--work bench-out]
                                   [--repeat 5]

1. Uses --export, or generates WORK/export-growth-<records>-<days>d/ with generate_export.py
   (the same records per day whatever --days says: records / days each).
2. Picks one MessageId: the first SMSMessagesSent of the busiest hour of the last day.
3. Builds three archives with `smsarchive convert`, of the last 1, 10 and --days days of the
   export (each from that day range's blobs only, as a nightly run would have left them), kept
   in WORK/growth-<n>d.smsa and reused while the export and the binary are the same.
4. Times `smsarchive scan ARCHIVE --message-id ID --count` on each: whole processes, the three
   archives in turn, median of --repeat; prints days, segments, bytes, median seconds and the
   growth of time against the growth of segments, relative to the 1-day archive.

Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
import run_benchmark as rb  # noqa: E402  (whole-process timing)

DAY = re.compile(r"/y=(\d{4})/m=(\d{2})/d=(\d{2})/")


def blobs_by_day(export: Path) -> dict[str, list[Path]]:
    days: dict[str, list[Path]] = {}
    for blob in sorted(export.rglob("PT*.json*")):
        m = DAY.search(blob.as_posix())
        if m:
            days.setdefault("-".join(m.groups()), []).append(blob)
    return days


def read_lines(blob: Path) -> list[bytes]:
    data = blob.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.splitlines()


def pick_message_id(blobs: list[Path]) -> str:
    """The first SMSMessagesSent (by time) of the busiest hour among `blobs`."""
    sends = []
    for blob in blobs:
        for line in read_lines(blob):
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if not isinstance(r, dict) or (r.get("operationName") or r.get("OperationName")) != "SMSMessagesSent":
                continue
            props = r.get("properties") if isinstance(r.get("properties"), dict) else r
            message_id, t = props.get("MessageId"), r.get("time") or r.get("TimeGenerated")
            if isinstance(message_id, str) and isinstance(t, str):
                sends.append((t, message_id))
    hours = Counter(t[:13] for t, _ in sends)
    busiest = max(hours, key=lambda h: (hours[h], h))
    return min(s for s in sends if s[0].startswith(busiest))[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(binary: Path, blobs: list[Path], archive: Path, stamp: dict) -> None:
    stamp_file = archive.with_suffix(".json")
    if archive.exists() and stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp:
        return
    shutil.rmtree(archive, ignore_errors=True)
    t0 = time.monotonic()
    r = subprocess.run([str(binary), "convert", *map(str, blobs), "--output", str(archive), "--quiet"])
    if r.returncode not in (0, 2):
        sys.exit(f"convert into {archive} failed with exit status {r.returncode}")
    print(f"  built {archive.name} from {len(blobs)} blobs in {time.monotonic() - t0:.1f} s")
    stamp_file.write_text(json.dumps(stamp))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--export", type=Path)
    ap.add_argument("--records", type=int, default=3_000_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--smsarchive", type=Path, default=ROOT / ".build/release/smsarchive")
    ap.add_argument("--work", type=Path, default=ROOT / "bench-out")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    export = args.export or args.work / f"export-growth-{args.records}-{args.days}d"
    if args.export is None and not export.exists():
        subprocess.run([sys.executable, str(BENCH / "generate_export.py"), "--records", str(args.records),
                        "--hours", str(args.days * 24), "--out", str(export)], check=True)
    days = blobs_by_day(export)
    ordered = sorted(days)
    if len(ordered) < args.days:
        sys.exit(f"{export} holds {len(ordered)} days of blobs, not {args.days}")
    message_id = pick_message_id(days[ordered[-1]])
    print(f"MessageId {message_id} (last day {ordered[-1]})")

    binary_sha = sha256(args.smsarchive)[:16]
    spans = [1, 10, args.days]
    archives = {}
    for n in spans:
        blobs = [b for d in ordered[-n:] for b in days[d]]
        archive = args.work / f"growth-{n}d.smsa"
        build(args.smsarchive, blobs, archive, {"export": str(export), "days": ordered[-n:], "binary": binary_sha})
        archives[n] = archive

    cmd = lambda n: [str(args.smsarchive), "scan", str(archives[n]), "--message-id", message_id, "--count"]
    for n in spans:
        r = subprocess.run(cmd(n), capture_output=True, text=True)
        if r.returncode != 0 or int(r.stdout) < 1:
            sys.exit(f"the lookup on {archives[n]} found nothing or failed: {r.stdout!r} {r.stderr!r}")
    walls: dict[int, list[float]] = {n: [] for n in spans}
    for _ in range(args.repeat):
        for n in spans:  # the archives in turn, so drift in the machine's speed reaches each alike
            walls[n].append(rb.run_once(cmd(n)).wall)

    def segments(n: int) -> int:
        return len(json.loads((archives[n] / "manifest.json").read_text())["segments"])

    def size(n: int) -> int:
        return sum(f.stat().st_size for f in (archives[n] / "segments").iterdir())

    base_s, base_segments = statistics.median(walls[1]), segments(1)
    print("\n| days | segments | archive bytes | lookup s (median) | time vs 1 day | segments vs 1 day |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in spans:
        s = statistics.median(walls[n])
        print(f"| {n} | {segments(n)} | {size(n):,} | {s:.3f} | {s / base_s:.2f}x | {segments(n) / base_segments:.1f}x |")


if __name__ == "__main__":
    main()
