"""Archives to read and the CLI to compare with: testdata/export, a generated export, and a small export
written here with the awkward cases (no category, unicode, drifted types, seven-digit fractions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("SMSARCHIVE_CLI", REPOSITORY / ".build" / "debug" / "smsarchive"))

if "SMSARCHIVE_LIBRARY" not in os.environ:
    os.environ["SMSARCHIVE_LIBRARY"] = str(REPOSITORY / ".build" / "debug" / "libSMSArchiveC.so")
sys.path.insert(0, str(REPOSITORY / "python"))


def convert(export: Path, archive: Path) -> Path:
    status = subprocess.run([str(CLI), "convert", str(export), "--output", str(archive), "--quiet"]).returncode
    assert status in (0, 2), f"convert {export} exited {status}"
    return archive


# Awkward records: no category (a blob outside insights-logs-* folders), unicode, a phone number
# written as a number and a duration as a string (drifted types), an unknown field, 7-digit fractions.
AWKWARD = [
    {"time": "2026-10-05T10:00:00.1234567Z", "operationName": "SMSMessagesSent", "resultType": "Succeeded",
     "PhoneNumber": "+15550000001", "MessageId": "m-1", "Country": "US", "durationMs": "78",
     "properties": {"NumberType": "TollFree"}},
    {"time": "2026-10-05T10:00:00.1234568Z", "operationName": "SMSMessagesSent", "resultType": "Failed",
     "resultDescription": "Zustellung fehlgeschlagen — 送信失敗 🚫", "PhoneNumber": 15550000002, "MessageId": "m-2",
     "Country": "DE", "Note": "unknown field ✓", "DeliveryAttempts": 1.0},
    {"time": "2026-10-05T10:00:01.0000001Z", "operationName": "SMSDeliveryReportsReceived", "resultType": "Succeeded",
     "PhoneNumber": "+15550000001", "MessageId": "m-1", "Country": "US", "DeliveryAttempts": 2},
    {"time": "2026-10-05T10:00:02.9999999Z", "category": "Usage", "operationName": "SMSMessagesSent",
     "RecordId": "r-1", "UsageType": "SMS", "Quantity": 1, "correlationId": "c-1"},
]


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("archives")
    found = {"testdata": convert(REPOSITORY / "testdata" / "export", root / "testdata.smsa")}
    generated = root / "generated-export"
    subprocess.run([sys.executable, str(REPOSITORY / "bench" / "generate_export.py"), "--records", "6000", "--hours", "3",
                    "--out", str(generated)], check=True, stdout=subprocess.DEVNULL)
    found["generated"] = convert(generated, root / "generated.smsa")
    awkward = root / "awkward-export"
    blob = awkward / "y=2026" / "m=10" / "d=05" / "h=10" / "m=00" / "PT1H.json"
    blob.parent.mkdir(parents=True)
    (blob).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in AWKWARD), encoding="utf-8")
    found["awkward"] = convert(awkward, root / "awkward.smsa")
    return found


def lines(text: str) -> list[str]:
    """Lines split at "\\n" only (records may hold U+2028 and other characters that splitlines() splits at)."""
    return text.split("\n")[:-1] if text else []


def cli(*args: str) -> str:
    return subprocess.run([str(CLI), *args], check=True, capture_output=True, text=True, encoding="utf-8").stdout


def cli_rows(archive: Path, args: list[str], fields: list[str]) -> list[dict[str, Any]]:
    """What `scan --format jsonl` prints: the named fields (with --fields) and, as `record`, each record's text."""
    typed = [f for f in fields if f not in ("record", "extra")]
    records = lines(cli("scan", str(archive), "--format", "jsonl", *args))
    rows: list[dict[str, Any]] = [{} for _ in records]
    if typed:
        texts = lines(cli("scan", str(archive), "--format", "jsonl", "--fields", ",".join(typed), *args))
        assert len(texts) == len(records)
        rows = [json.loads(text) for text in texts]
    if "record" in fields:
        for row, text in zip(rows, records):
            row["record"] = text
    return rows
