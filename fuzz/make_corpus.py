#!/usr/bin/env python3
"""Regenerates the fuzz seed corpora in fuzz/corpus/ from testdata/ (run from the repository root,
after `swift build`, which provides .build/debug/smsarchive for the segment seeds)."""
import argparse, glob, gzip, hashlib, os, shutil, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def main(argv=None):
    argparse.ArgumentParser(description="Delete and regenerate the fuzz seed corpora in fuzz/corpus/ from testdata/ "
                                        "(run after `swift build`, which provides .build/debug/smsarchive).").parse_args(argv)
    shutil.rmtree(CORPUS, ignore_errors=True)
    blobs = sorted(glob.glob(os.path.join(ROOT, "testdata/export/**/PT*"), recursive=True))
    plain = []
    for path in blobs:
        data = open(path, "rb").read()
        if data[:2] == b"\x1f\x8b":
            put("FuzzGzip", data)
            try:
                data = gzip.decompress(data)
            except Exception:  # a damaged sample blob: its bytes still seed the line parser
                pass
        else:
            put("FuzzGzip", gzip.compress(data, mtime=0))
        plain.append(data)
    # Lines: every distinct line of the sample (records and the bad lines it holds on purpose), first 60.
    lines = []
    for data in plain:
        for line in data.split(b"\n"):
            if line.strip() and line not in lines:
                lines.append(line)
    for line in lines[:60]:
        put("FuzzJSONLine", line)
    # A few whole small blobs: several lines, the legacy wrapper, pretty-printed JSON.
    for data in sorted(plain, key=len)[:4]:
        put("FuzzJSONLine", data[:4000])
    for extra in [b'{"records": [{"time": "2026-10-01T00:00:00Z", "a": 1}, {"time": "2026-10-01T00:00:01Z"}]}\n',
                  b'{\n "records": [\n  {"time": "2026-10-01T00:00:00Z"}\n ]\n}\n',
                  b'[\n{"time": "2026-10-01T00:00:00Z"},\n{"time": "x"}\n]\n',
                  b'\xef\xbb\xbf{"time":"2026-10-01T00:00:00Z"}\r\n[1,2]\r\n"\\ud83d\\ude00"\n']:
        put("FuzzJSONLine", extra)
    # gzip shapes: two members, an empty member, cut short, trailing garbage.
    small = min(plain, key=len)
    put("FuzzGzip", gzip.compress(small[:300], mtime=0) + gzip.compress(small[300:], mtime=0))
    put("FuzzGzip", gzip.compress(b"", mtime=0))
    put("FuzzGzip", gzip.compress(small, mtime=0)[:200])
    put("FuzzGzip", gzip.compress(small[:500], mtime=0) + b"garbage")
    # Segments: an archive of the sample.
    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "a.smsa")
        subprocess.run([os.path.join(ROOT, ".build/debug/smsarchive"), "convert", "testdata/export", "-o", archive, "-q"], cwd=ROOT)
        for seg in glob.glob(os.path.join(archive, "segments", "*")):
            put("FuzzSegment", open(seg, "rb").read())


main()
