#!/usr/bin/env python3
"""Generate the smsarchive test corpus.

Usage:

    python3 scripts/make_testdata.py [--testdata DIR]

Deletes and regenerates ``testdata/export/`` (or ``DIR/export``; ``--help``
only prints this) (a fake Azure Monitor export of
Azure Communication Services SMS logs, in the storage-account layout) and
writes the expectations the Swift tests compare against:

* ``testdata/expected/records.jsonl``  every good record, one JSON value per
  line (``json.dumps(obj, ensure_ascii=False)``); compare as a multiset of JSON
  values, not as text (``1e3`` in a blob is ``1000.0`` here, ``-0`` is ``0``,
  ``\\u00e9`` is ``é``).
* ``testdata/expected/rejects.jsonl``  one ``{"source", "line", "reason"}``
  object per bad line; ``source`` is relative to ``testdata/export``.
* ``testdata/expected/summary.json``  record, reject and blob counts.

Python 3.11, standard library only, deterministic: fixed random seed, gzip
members written with mtime=0 and no file name.  (Byte-identical output also
assumes the same zlib build, since the .gz blobs come from zlib.)

Classification rules the expectations follow (the Swift reader must agree):

* physical lines split on ``\\n``; a trailing ``\\r`` is not part of the line;
  a UTF-8 BOM at the very start of a blob is ignored; lines that are empty or
  only spaces/tabs are skipped;
* per line, in order: invalid UTF-8 -> ``invalid-utf8``; JSON syntax error ->
  ``invalid-json`` (nesting deeper than 512 -> ``too-deep``); the blob's last
  line, without a trailing newline, ending in the middle of a value ->
  ``truncated``; not an object -> ``not-object``; no top-level
  time/timeGenerated/timestamp key (case-insensitive, that order of
  preference) -> ``no-time``; its value not a string
  ``YYYY-MM-DD[T ]HH:MM:SS[.1-9 digits][Z|z|+HH:MM|-HH:MM]`` nor the US form
  ``M/D/YYYY H:MM:SS[.1-9 digits][ AM| PM]`` -> ``bad-time``;
* a blob that is one JSON document ``{"records": [...]}`` (the legacy export
  format) yields one record per array element, numbered by the line holding
  the element's ``{``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import json
import random
import shutil
import uuid
from pathlib import Path

SEED = 20261001

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
EXPORT = TESTDATA / "export"
EXPECTED = TESTDATA / "expected"

SUBSCRIPTION = "E57E02D0-147F-4E18-ADC6-7C94C8065964"
BASE = _dt.datetime(2026, 10, 1, tzinfo=_dt.timezone.utc)
HOURS = range(4)  # h=00 .. h=03; h=03 is the "current", still-open hour
# Traffic volume.  Every good record costs ~0.85 KB in expected/records.jsonl
# plus ~0.6 KB in export/ (plain-text blobs), so these numbers decide whether
# testdata/ stays under 1 MB; currently ~410 records, ~560 KB of files.
SENDS_PER_HOUR = {"ACS-NOTIFY-0": 17, "ACS-ALERTS-1": 15}
RECEIVES_PER_HOUR = {"ACS-NOTIFY-0": 4, "ACS-ALERTS-1": 3}
TICKS = 10_000_000  # 100 ns ticks per second, as in Azure's 7-digit times
BOM = b"\xef\xbb\xbf"

RESOURCES = [
    {
        "name": "ACS-NOTIFY-0",
        "rg": "RG-PROD-0",
        "ips": ["90.182.21.234", "20.42.64.17", "52.170.11.5"],
        # (sender, number type, destination countries, can receive)
        "senders": [
            ("+18334256463", "LongCodeNumber", ["US", "CA"], True),
            ("+14255550123", "LongCodeNumber", ["US"], True),
            ("12345", "ShortCodeNumber", ["US"], True),
            ("CONTOSO", "DynamicAlphaSenderID", ["GB", "DE", "FR", "IN"], False),
        ],
    },
    {
        "name": "ACS-ALERTS-1",
        "rg": "RG-PROD-1",
        "ips": ["40.112.72.205", "13.107.246.40"],
        "senders": [
            ("+18005550199", "LongCodeNumber", ["US", "CA"], True),
            ("67890", "ShortCodeNumber", ["US"], True),
            ("FABRIKAM", "DynamicAlphaSenderID", ["GB", "DE", "FR", "BR", "JP", "IN"], False),
        ],
    },
]

SDKS = [
    ("azsdk-net-Communication.Sms/1.0.1", "Microsoft Windows 10.0.17763"),
    ("azsdk-python-communication-sms/1.1.0", "Python/3.11.4 (Linux-5.15.0-azure-x86_64)"),
    ("azsdk-js-communication-sms/1.1.0", "Node/18.17.1 (linux; x64)"),
    ("azsdk-java-azure-communication-sms/1.1.20", "Java/17.0.8 (Linux; amd64)"),
]

SEND_FAILURES = [
    (400, "Message sending failed because the recipient has opted out of receiving messages from this number."),
    (400, "Invalid To phone number format."),
    (500, "Internal server error. Message could not be sent."),
]
DELIVERY_FAILURES = [
    (400, "Recipient opted out"),
    (400, "Unreachable destination"),
    (500, "Carrier error: message expired before delivery"),
]

# The three examples from the product documentation, verbatim.
DOC_EXAMPLES = [
    """
        "TimeGenerated": "2022-09-26T15:58:30.100Z",
        "OperationName": "SMSMessagesSent",
        "CorrelationId": "dDRmubfpNZZZZZnxBtw3Q.0",
        "OperationVersion": "2020-07-20-preview1",
        "ResultType": "Succeeded",
        "ResultSignature": 202,
        "DurationMs": 130,
        "CallerIpAddress": "",
        "Level": "Informational",
        "URI": "https://sms-e2e-prod.communication.azure.com/sms?api-version=2020-07-20-preview1",
        "OutgoingMessageLength": 151,
        "IncomingMessageLength": 0,
        "DeliveryAttempts": 0,
        "PhoneNumber": "+18445791704",
        "NumberType": "LongCodeNumber",
        "SdkType": "azsdk-net-Communication.Sms",
        "PlatformType": "Microsoft Windows 10.0.17763",
        "Method": "POST",
        "MessageId": "Outgoing_20230118181300ff00e5c9-876d-4958-86e3-4637484fe5bd_noam",
        "Country": "US"
""",
    """
        "TimeGenerated": "2022-09-26T15:58:30.200Z",
        "OperationName": "SMSDeliveryReportsReceived",
        "CorrelationId": "tl8WpUTESTSTSTccYadXJm.0",
        "ResultType": "Succeeded",
        "ResultSignature": 200,
        "DurationMs": 130,
        "CallerIpAddress": "",
        "Level": "Informational",
        "URI": "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/DeliveryReport",
        "OutgoingMessageLength": 0,
        "IncomingMessageLength": 0,
        "DeliveryAttempts": 1,
        "PhoneNumber": "+18445791704",
        "NumberType": "LongCodeNumber",
        "SdkType": "",
        "PlatformType": "",
        "Method": "POST",
        "MessageId": "Outgoing_20230118181300ff00e5c9-876d-4958-86e3-4637484fe5bd_noam",
        "Country": "US"
""",
    """
        "TimeGenerated": "2022-09-27T15:58:30.200Z",
        "OperationName": "SMSMessagesReceived",
        "CorrelationId": "e2KFTSTSTI/5PTx4ZZB.0",
        "ResultType": "Succeeded",
        "ResultSignature": 200,
        "DurationMs": 130,
        "CallerIpAddress": "",
        "Level": "Informational",
        "URI": "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/inbound",
        "OutgoingMessageLength": 0,
        "IncomingMessageLength": 110,
        "DeliveryAttempts": 0,
        "PhoneNumber": "+18445791704",
        "NumberType": "LongCodeNumber",
        "SdkType": "",
        "PlatformType": "",
        "Method": "POST",
        "MessageId": "Incoming_2023011818121211c6ee31-63fe-477c-8d51-f800543c6694",
        "Country": "US"
""",
]
WORKSPACE_BLOB = (
    "am-acssmsincomingoperations/WorkspaceResourceId=/subscriptions/"
    + SUBSCRIPTION.lower()
    + "/resourcegroups/rg-monitoring/providers/microsoft.operationalinsights"
    "/workspaces/law-acs-prod/y=2022/m=09/d=26/h=15/m=55/PT05M.json"
)

rng = random.Random(SEED)


# --------------------------------------------------------------------------
# helpers


def guid() -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def correlation_id() -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choice(alphabet) for _ in range(22)) + ".0"


def fmt_time(ticks: int) -> str:
    """Storage-shape time: exactly 7 fractional digits and Z."""
    secs, frac = divmod(ticks, TICKS)
    t = BASE + _dt.timedelta(seconds=secs)
    return f"{t:%Y-%m-%dT%H:%M:%S}.{frac:07d}Z"


def fmt_time_ms(ticks: int) -> str:
    """Log Analytics style time (milliseconds), as in the doc examples."""
    secs, frac = divmod(ticks, TICKS)
    t = BASE + _dt.timedelta(seconds=secs)
    return f"{t:%Y-%m-%dT%H:%M:%S}.{frac // 10_000:03d}Z"


def stamp14(ticks: int) -> str:
    return f"{BASE + _dt.timedelta(seconds=ticks // TICKS):%Y%m%d%H%M%S}"


def resource_id(res: dict) -> str:
    return (
        f"/SUBSCRIPTIONS/{SUBSCRIPTION}/RESOURCEGROUPS/{res['rg']}"
        f"/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/{res['name']}"
    )


def blob_path(container: str, res: dict, hour: int, name: str = "PT1H.json") -> str:
    return (
        f"insights-logs-{container}/resourceId={resource_id(res)}"
        f"/y=2026/m=10/d=01/h={hour:02d}/m=00/{name}"
    )


def compact(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------
# blob model: a list of physical lines, each good, bad or blank


class Blob:
    def __init__(self, path: str, *, crlf=False, bom=False, gz_members=0):
        self.path = path  # relative to EXPORT, before a .gz suffix
        self.crlf = crlf
        self.bom = bom
        self.gz_members = gz_members
        self.lines: list[tuple[bytes, str, object]] = []  # (raw, kind, payload)
        self.no_final_newline = False

    def good(self, obj):
        self.lines.append(good(obj))

    def insert(self, index: int, entry):
        self.lines.insert(index, entry)

    def render(self):
        """Returns (file bytes, [record objects], [(line, reason)])."""
        nl = b"\r\n" if self.crlf else b"\n"
        parts, records, rejects = [], [], []
        for i, (raw, kind, payload) in enumerate(self.lines):
            assert b"\n" not in raw and b"\r" not in raw, raw
            last = i == len(self.lines) - 1
            parts.append(raw + (b"" if last and self.no_final_newline else nl))
            if kind == "good":
                records.append(payload)
            elif kind == "bad":
                rejects.append((i + 1, payload))
        data = (BOM if self.bom else b"") + b"".join(parts)
        return data, records, rejects


class LegacyBlob:
    """Whole blob is one {"records": [...]} document (pre-2018 export format).

    Elements are separated by ",\n"; the first sits on line 1 right after
    '{"records": [', some are pretty-printed over several lines.  A record's
    line number is the line holding its opening '{'."""

    def __init__(self, path: str):
        self.path = path
        self.gz_members = 0
        self.elements: list[tuple[object, str, object, bool]] = []  # (obj, kind, payload, pretty)

    def add(self, obj, *, reason: str | None = None, pretty: bool = False):
        kind, payload = ("good", obj) if reason is None else ("bad", reason)
        self.elements.append((obj, kind, payload, pretty))

    def render(self):
        text, line = '{"records": [', 1
        records, rejects = [], []
        for i, (obj, kind, payload, pretty) in enumerate(self.elements):
            if i:
                text += ",\n"
                line += 1
            element = (json.dumps(obj, ensure_ascii=False, indent=4) if pretty
                       else json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
            assert element.startswith("{")
            if kind == "good":
                records.append(payload)
            else:
                rejects.append((line, payload))
            text += element
            line += element.count("\n")
        text += "]}\n"
        data = text.encode("utf-8")
        assert json.loads(data)["records"] == [e[0] for e in self.elements]
        return data, records, rejects


# --------------------------------------------------------------------------
# ordinary traffic


def gen_traffic(res: dict, sends_per_hour: int, recv_per_hour: int):
    """Events as (ticks, container, record) for one resource, hours 0-3."""
    rid = resource_id(res)
    host = res["name"].lower()
    events = []
    for hour in HOURS:
        for _ in range(sends_per_hour):
            t = hour * 3600 * TICKS + rng.randrange(3600 * TICKS)
            sender, ntype, countries, _ = rng.choice(res["senders"])
            country = rng.choice(countries)
            sdk, platform = rng.choice(SDKS)
            version = rng.choice(["2021-03-07", "2021-03-07", "2021-03-07", "2024-12-10-preview"])
            length = rng.choice([24, 42, 67, 88, 118, 153, 160, 212, 306, 420])
            mid = f"Outgoing_{stamp14(t)}{guid()}_noam"
            cid = correlation_id()
            failed = rng.random() < 0.06
            code, desc = rng.choice(SEND_FAILURES) if failed else (202, "")
            events.append((t, "smsoperational", {
                "time": fmt_time(t),
                "resourceId": rid,
                "operationName": "SMSMessagesSent",
                "operationVersion": version,
                "category": "SMSOperational",
                "correlationId": cid,
                "resultType": "Failed" if failed else "Succeeded",
                "resultSignature": code,
                "resultDescription": desc,
                "durationMs": rng.randrange(35, 420),
                "callerIpAddress": rng.choice(res["ips"]),
                "level": "Error" if failed else "Informational",
                "location": "global",
                "properties": {
                    "URI": f"https://{host}.communication.azure.com/sms?api-version={version}",
                    "OutgoingMessageLength": length,
                    "IncomingMessageLength": 0,
                    "DeliveryAttempts": 0,
                    "PhoneNumber": sender,
                    "NumberType": ntype,
                    "SdkType": sdk,
                    "PlatformType": platform,
                    "Method": "POST",
                    "MessageId": mid,
                    "Country": country,
                },
            }))
            if failed:
                continue
            # usage: billed per segment, ~50 ms after the send
            tu = t + rng.randrange(300_000, 900_000)
            events.append((tu, "usage", {
                "time": fmt_time(tu),
                "resourceId": rid,
                "operationName": "Usage",
                "operationVersion": "1.0",
                "category": "Usage",
                "correlationId": cid,
                "location": "global",
                "properties": {
                    "RecordId": guid(),
                    "UsageType": "SMS",
                    "UnitType": "Message",
                    "Quantity": 1 if length <= 160 else -(-length // 153),
                    "PhoneNumber": sender,
                    "Country": country,
                    "NumberType": ntype,
                    "Direction": "Outgoing",
                },
            }))
            if rng.random() < 0.04:
                continue  # delivery report never came
            td = t + rng.randrange(2 * TICKS, 12 * TICKS)
            dfail = rng.random() < 0.07
            dcode, ddesc = rng.choice(DELIVERY_FAILURES) if dfail else (200, "Delivered")
            events.append((td, "smsoperational", {
                "time": fmt_time(td),
                "resourceId": rid,
                "operationName": "SMSDeliveryReportsReceived",
                "operationVersion": version,
                "category": "SMSOperational",
                "correlationId": correlation_id(),
                "resultType": "Failed" if dfail else "Succeeded",
                "resultSignature": dcode,
                "resultDescription": ddesc,
                "durationMs": rng.randrange(20, 90),
                "callerIpAddress": "",
                "level": "Error" if dfail else "Informational",
                "location": "global",
                "properties": {
                    "URI": "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/DeliveryReport",
                    "OutgoingMessageLength": 0,
                    "IncomingMessageLength": 0,
                    "DeliveryAttempts": rng.choice([1, 1, 1, 1, 2, 3]),
                    "PhoneNumber": sender,
                    "NumberType": ntype,
                    "SdkType": "",
                    "PlatformType": "",
                    "Method": "POST",
                    "MessageId": mid,
                    "Country": country,
                },
            }))
        for _ in range(recv_per_hour):
            t = hour * 3600 * TICKS + rng.randrange(3600 * TICKS)
            sender, ntype, countries, _ = rng.choice(
                [s for s in res["senders"] if s[3]]
            )
            optout = rng.random() < 0.2
            events.append((t, "smsoperational", {
                "time": fmt_time(t),
                "resourceId": rid,
                "operationName": "SMSMessagesReceived",
                "operationVersion": "2021-03-07",
                "category": "SMSOperational",
                "correlationId": correlation_id(),
                "resultType": "Succeeded",
                "resultSignature": 200,
                "resultDescription": "Opt-out keyword received: STOP" if optout else "",
                "durationMs": rng.randrange(20, 150),
                "callerIpAddress": "",
                "level": "Informational",
                "location": "global",
                "properties": {
                    "URI": "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/inbound",
                    "OutgoingMessageLength": 0,
                    "IncomingMessageLength": 4 if optout else rng.randrange(2, 160),
                    "DeliveryAttempts": 0,
                    "PhoneNumber": sender,
                    "NumberType": ntype,
                    "SdkType": "",
                    "PlatformType": "",
                    "Method": "POST",
                    "MessageId": f"Incoming_{stamp14(t)}{guid()}",
                    "Country": rng.choice(countries),
                },
            }))
    return events


def order_loosely(events):
    """Sorted by time, then a few neighbours swapped, as real blobs are."""
    events = sorted(events, key=lambda e: e[0])
    for _ in range(max(1, len(events) // 15)):
        i = rng.randrange(len(events) - 1)
        events[i], events[i + 1] = events[i + 1], events[i]
    return events


def sprinkle(blob: Blob, entries):
    """Insert (raw, kind, payload) entries at random inner positions, keeping
    them away from the first and last line."""
    for entry in entries:
        blob.insert(rng.randrange(1, len(blob.lines)), entry)


def bad(raw, reason):
    return (raw.encode("utf-8") if isinstance(raw, str) else raw, "bad", reason)


def blank(raw):
    return (raw.encode("utf-8"), "blank", None)


def good_raw(raw):
    raw = raw.encode("utf-8") if isinstance(raw, str) else raw
    return (raw, "good", json.loads(raw))


def good(obj):
    return (compact(obj), "good", obj)


# --------------------------------------------------------------------------
# special records


def special_values_records(rid: str):
    """Item 6: things a lossless archiver must keep (hand-written JSON)."""
    r = json.dumps(rid)

    def mid(hhmmss):
        return f'"Outgoing_20261001{hhmmss}{guid()}_noam"'

    return [
        # unknown fields, nulls, nested objects/arrays; time with 1 fraction digit
        '{"time":"2026-10-01T00:00:07.5Z","resourceId":' + r + ',"operationName":"SMSMessagesSent",'
        '"operationVersion":"2021-03-07","category":"SMSOperational","correlationId":"' + correlation_id() + '",'
        '"resultType":"Succeeded","resultSignature":202,"resultDescription":null,"durationMs":88,'
        '"callerIpAddress":null,"level":"Informational","location":"global",'
        '"properties":{"URI":"https://acs-notify-0.communication.azure.com/sms?api-version=2021-03-07",'
        '"OutgoingMessageLength":42,"IncomingMessageLength":0,"DeliveryAttempts":0,"PhoneNumber":"+18334256463",'
        '"NumberType":"LongCodeNumber","SdkType":null,"PlatformType":null,"Method":"POST",'
        '"MessageId":' + mid("000007") + ',"Country":"US","BroadcastId":null,'
        '"Tags":{"campaign":"rentree-2026","labels":["a","b",{"k":[1,[2,[3,{}]]]}],"empty":[],"none":{}}},'
        '"x-ms-unknown":{"nested":{"deeper":{"deepest":[null,true,false,[],{}]}}},"schemaVersion":3,"note":null}',
        # unicode, raw and escaped; time with an offset (= 00:00:07.1234567Z)
        '{"time":"2026-10-01T02:00:07.1234567+02:00","resourceId":' + r + ',"operationName":"SMSMessagesReceived",'
        '"category":"SMSOperational","resultType":"Succeeded","resultSignature":200,"level":"Informational",'
        '"properties":{"PhoneNumber":"+18334256463","NumberType":"LongCodeNumber","Country":"FR",'
        '"MessageId":"Incoming_20261001000007' + guid() + '",'
        '"Body":"Café crème, rentrée — 中文 短信 — 😀 ✓","BodyEscaped":"Caf\\u00e9 cr\\u00e8me, rentr\\u00e9e \\u2014 \\u4e2d\\u6587 \\u77ed\\u4fe1 \\u2014 \\ud83d\\ude00 \\u2713",'
        '"EmojiRaw":"😀","EmojiEscaped":"\\ud83d\\ude00","EmojiUpperHex":"\\uD83D\\uDE00","Decomposed":"e\\u0301 é",'
        '"Nbsp":"a\\u00a0b","LineSep":"x\\u2028y\\u2029z",'
        # raw U+2028, U+2029 and U+0085 (Python escapes here, raw UTF-8 in the blob): valid in
        # JSON strings and not line breaks for this format (only \\n is)
        '"RawLineSep":"x\u2028y\u2029z\u0085w"},"clé":"valeur","中文键":"值","":"empty key"}',
        # escapes
        '{"time":"2026-10-01T00:00:08.0000001Z","resourceId":' + r + ',"operationName":"SMSMessagesSent",'
        '"category":"SMSOperational","resultType":"Failed","resultSignature":400,'
        '"resultDescription":"Rejected: \\"To\\" must be E.164, got \\"555\\\\1234\\"",'
        '"properties":{"URI":"https:\\/\\/acs-notify-0.communication.azure.com\\/sms?api-version=2021-03-07",'
        '"Body":"line1\\nline2\\r\\n\\ttabbed","Path":"C:\\\\Temp\\\\sms\\\\","Nul":"a\\u0000b",'
        '"Ctl":"\\b\\f\\u001f\\u007f","Quote":"\\"","Solidus":"\\/","MessageId":' + mid("000008") + ',"Country":"US"}}',
        # numbers
        '{"time":"2026-10-01T00:00:09.4400000Z","resourceId":' + r + ',"operationName":"Usage",'
        '"category":"Usage","correlationId":"' + correlation_id() + '",'
        '"properties":{"RecordId":"' + guid() + '","UsageType":"SMS","UnitType":"Message",'
        '"Quantity":1.0,"Thousand":1e3,"NegZero":-0,"Huge":12345678901234567890123,"Tenth":0.1,'
        '"Small":-1.5E-7,"Exp":1E+2,"NegFloat":-0.0,"Int":-42,"Big":9007199254740993,'
        '"Arr":[0,-1,2.50,1e-2,100000000000000000000000000000.0]}}',
        # insignificant whitespace everywhere, lowercase z, space separator, no fraction
        ' \t{ "time" : "2026-10-01 00:00:10z" , "operationName" : "SMSMessagesSent" ,\t"properties" : '
        '{ "PhoneNumber" : "12345" , "list" : [ 1 , 2 , 3 ] } }  \t',
        # no zone at all (UTC), 9 fraction digits; properties not an object
        '{"time":"2026-10-01T00:00:11.123456789","operationName":"Heartbeat","properties":null,'
        '"resourceId":' + r + '}',
        # 40 levels of nesting: deep, but far below the limit
        '{"time":"2026-10-01T00:00:12.0000000Z","operationName":"Deep","x":'
        + "[" * 20 + '{"a":' * 20 + "1" + "}" * 20 + "]" * 20 + "}",
    ]


def flat_records(res: dict, hour: int, n: int):
    """Item 5: Log Analytics (flat PascalCase) rows in a storage blob."""
    out = []
    for i in range(n):
        t = hour * 3600 * TICKS + rng.randrange(3600 * TICKS)
        sender, ntype, countries, _ = rng.choice(res["senders"])
        sent = i % 2 == 0
        out.append((t, {
            "TimeGenerated": fmt_time_ms(t),
            "OperationName": "SMSMessagesSent" if sent else "SMSDeliveryReportsReceived",
            "CorrelationId": correlation_id(),
            "OperationVersion": "2021-03-07",
            "ResultType": "Succeeded",
            "ResultSignature": 202 if sent else 200,
            "DurationMs": rng.randrange(40, 300),
            "CallerIpAddress": rng.choice(res["ips"]) if sent else "",
            "Level": "Informational",
            "URI": (f"https://{res['name'].lower()}.communication.azure.com/sms?api-version=2021-03-07"
                    if sent else "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/DeliveryReport"),
            "OutgoingMessageLength": 67 if sent else 0,
            "IncomingMessageLength": 0,
            "DeliveryAttempts": 0 if sent else 1,
            "PhoneNumber": sender,
            "NumberType": ntype,
            "SdkType": "azsdk-net-Communication.Sms/1.0.1" if sent else "",
            "PlatformType": "Microsoft Windows 10.0.17763" if sent else "",
            "Method": "POST",
            "MessageId": f"Outgoing_{stamp14(t)}{guid()}_noam",
            "Country": rng.choice(countries),
            "Type": "ACSSMSIncomingOperations",
            "_ResourceId": resource_id(res).lower(),
        }))
    # one with the other accepted time layout: space separator, no zone
    t = hour * 3600 * TICKS + 1234 * TICKS + 5_670_000
    out.append((t, {
        "TimeGenerated": f"{BASE + _dt.timedelta(seconds=t // TICKS):%Y-%m-%d %H:%M:%S}.567",
        "OperationName": "SMSMessagesReceived",
        "CorrelationId": correlation_id(),
        "ResultType": "Succeeded",
        "ResultSignature": 200,
        "PhoneNumber": "67890",
        "NumberType": "ShortCodeNumber",
        "MessageId": f"Incoming_{stamp14(t)}{guid()}",
        "Country": "US",
    }))
    return out


def odd_case_records(res: dict, hour: int):
    rid = resource_id(res)
    out = []
    t = hour * 3600 * TICKS + 1800 * TICKS + 1_234_567
    out.append({
        "Time": fmt_time(t),
        "ResourceID": rid,
        "OPERATIONNAME": "SMSMessagesSent",
        "Category": "SMSOperational",
        "ResultType": "Succeeded",
        "ResultSignature": 202,
        "Properties": {"phonenumber": "+18005550199", "numbertype": "LongCodeNumber",
                       "messageid": f"Outgoing_{stamp14(t)}{guid()}_noam", "country": "CA"},
    })
    t += 3 * TICKS
    out.append({
        "TIME": fmt_time(t),
        "RESOURCEID": rid,
        "operationname": "SMSDeliveryReportsReceived",
        "RESULTTYPE": "Succeeded",
        "PROPERTIES": {"PHONENUMBER": "+18005550199", "MessageID": out[0]["Properties"]["messageid"],
                       "deliveryattempts": 1},
    })
    t += 2 * TICKS
    out.append({
        "TimeGenerated": fmt_time(t),
        "timeStamp": "ignored: TimeGenerated is preferred",
        "operationName": "SMSMessagesReceived",
        "properties": {"PhoneNumber": "67890", "Country": "US"},
    })
    t += 2 * TICKS
    out.append({
        "operationName": "Heartbeat",
        "TimeStamp": fmt_time(t),
        "category": "SMSOperational",
    })
    return out


# --------------------------------------------------------------------------
# bad lines (item 7)

T0 = "2026-10-01T00:00:01.0000000Z"

INVALID_JSON = [
    '{"time": "2026-10-01T00:00:01.0000000Z", "a": }',
    '{"a":1,}',
    "this is not json",
    "{'time': '2026-10-01T00:00:01.0000000Z', 'a': 'single quoted'}",
    '{"a":1} trailing',
    '{"time":"2026-10-01T00:00:01.0000000Z","a":"abc',  # unterminated, but newline follows
    '{"n": 01}',
    b'{"time":"2026-10-01T00:00:01.0000000Z","a":"x\x01y"}',  # raw control char
    '{"time":"2026-10-01T00:00:01.0000000Z","v":NaN}',
    '{"time":"2026-10-01T00:00:01.0000000Z","a":"\\x41"}',  # invalid escape
    '{"time":"2026-10-01T00:00:01.0000000Z","a":"x\\ud800y"}',  # lone high surrogate
    '{"time":"2026-10-01T00:00:01.0000000Z","a":"\\udc00"}',  # lone low surrogate
    '{"time":"2026-10-01T00:00:01.0000000Z","a":"\\ud83d\\u0041"}',  # high + non-low
    '{"time":"2026-10-01T00:00:01.0000000Z","v":-Infinity}',
    '{"time":"2026-10-01T00:00:01.0000000Z","v":1.}',
    '{"time":"2026-10-01T00:00:01.0000000Z","v":+1}',
    '{"time":"2026-10-01T00:00:01.0000000Z","v":.5}',
    '{"time":"2026-10-01T00:00:01.0000000Z","v":TRUE}',
    '{"time":"2026-10-01T00:00:01.0000000Z" "a":1}',
    '{"time":"2026-10-01T00:00:01.0000000Z","a":[1,2}',
    '{"time":"2026-10-01T00:00:01.0000000Z","a":1}}',
    '{"time":"2026-10-01T00:00:01.0000000Z",a:1}',
    '{"time":"2026-10-01T00:00:01.0000000Z","a":"\\u12"}',
    "{",
    "}",
    "[1,2,",
]
INVALID_UTF8 = [
    b'{"time":"2026-10-01T00:00:01.0000000Z","a":"\xc3\x28"}',
    b'{"time":"2026-10-01T00:00:01.0000000Z","a":"\xff"}',
    b'{"time":"2026-10-01T00:00:01.0000000Z","a":"\xed\xa0\xbd\xed\xb8\x80"}',  # CESU-8 emoji
    b'{"time":"2026-10-01T00:00:01.0000000Z","a":"\xc0\xaf"}',  # overlong '/'
    b'\xff\xfe{ not json either',  # invalid UTF-8 wins over invalid JSON
]
NOT_OBJECT = ["[1,2,3]", '"just a string"', "42", "null", "true", '[{"time":"2026-10-01T00:00:01.0000000Z"}]']
NO_TIME = [
    '{"operationName":"SMSMessagesSent","resultType":"Succeeded"}',
    "{}",
    '{"operationName":"Usage","properties":{"time":"2026-10-01T00:00:01.0000000Z","TimeGenerated":"2026-10-01T00:00:01Z"}}',
    '{"times":"2026-10-01T00:00:01.0000000Z","Time_Generated":"2026-10-01T00:00:01Z","ts":"2026-10-01T00:00:01Z"}',
]
BAD_TIME = [
    '{"time":"yesterday","operationName":"SMSMessagesSent"}',
    '{"time":12345,"operationName":"SMSMessagesSent"}',
    '{"time":null,"operationName":"SMSMessagesSent"}',
    '{"time":"","operationName":"SMSMessagesSent"}',
    '{"time":"2026-10-01","operationName":"SMSMessagesSent"}',
    '{"time":"2026-10-01T00:00:07.1234567890Z","operationName":"SMSMessagesSent"}',  # 10 digits
    '{"time":"2026-10-01T00:00:07.Z","operationName":"SMSMessagesSent"}',
    '{"time":"2026-10-01T00:00:07+0200","operationName":"SMSMessagesSent"}',
    '{"time":"2026-10-01T00:00:07 Z","operationName":"SMSMessagesSent"}',
    '{"time":["2026-10-01T00:00:07Z"],"operationName":"SMSMessagesSent"}',
    '{"TimeGenerated":"2026-10-01T00:40:00.000Z","time":"yesterday","operationName":"SMSMessagesSent"}',
    '{"timestamp":"2026-10-01T00:40:00Z","TimeGenerated":"last week","operationName":"SMSMessagesSent"}',
]
TOO_DEEP = '{"time":"2026-10-01T00:00:01.0000000Z","x":' + "[" * 1000 + "]" * 1000 + "}"


# --------------------------------------------------------------------------
# real exports vary (issue 9): a workspace export with overflow files, late
# records, type drift, other time forms and exact duplicates

WORKSPACE_ROOT = (
    "WorkspaceResourceId=/subscriptions/" + SUBSCRIPTION.lower()
    + "/resourcegroups/rg-monitoring/providers/microsoft.operationalinsights/workspaces/law-acs-prod"
)
TENANT = "7d3a1c52-0c6e-4f0e-9a55-3f1e2b8c9d10"


DROP = object()  # as a value in with_changes: remove the member


def with_changes(row: dict, changes: dict) -> dict:
    for key, value in changes.items():
        if value is DROP:
            del row[key]
        else:
            row[key] = value
    return row


def workspace_path(table: str, hour: int, minute: int, name: str) -> str:
    return f"am-{table}/{WORKSPACE_ROOT}/y=2026/m=10/d=01/h={hour:02d}/m={minute:02d}/{name}"


def variation_files(res: dict):
    """Blobs of exports that vary: (relative path, lines, gzip?). A line is
    (bytes, None) for a record or (bytes, reason) for a reject."""
    vr = random.Random(SEED + 9)
    rid = resource_id(res).lower()

    def flat(t_text: str, **extra):
        row = {
            "TenantId": TENANT,
            "TimeGenerated": t_text,
            "OperationName": "SMSMessagesSent",
            "CorrelationId": str(uuid.UUID(int=vr.getrandbits(128), version=4)),
            "Category": "SMSOperational",
            "ResultType": "Succeeded",
            "ResultSignature": 202,
            "DurationMs": vr.randrange(40, 300),
            "Level": "Informational",
            "PhoneNumber": "+18445550199",
            "NumberType": "LongCodeNumber",
            "MessageId": "Outgoing_20261001020500" + str(uuid.UUID(int=vr.getrandbits(128), version=4)) + "_noam",
            "Country": "US",
            "SourceSystem": "Azure",
            "Type": "ACSSMSIncomingOperations",
            "_ResourceId": rid,
        }
        return with_changes(row, extra)

    def usage(t_text: str, **extra):
        row = {
            "TenantId": TENANT,
            "TimeGenerated": t_text,
            "CorrelationId": str(uuid.UUID(int=vr.getrandbits(128), version=4)),
            "OperationName": "SMSMessagesSent",
            "RecordId": str(uuid.UUID(int=vr.getrandbits(128), version=4)),
            "UsageType": "SMS",
            "UnitType": "Messages",
            "Quantity": 1,
            "SourceSystem": "Azure",
            "Type": "ACSBillingUsage",
            "_ResourceId": rid,
        }
        return with_changes(row, extra)

    good = lambda obj: (compact(obj), None)
    dup = flat("2026-10-01T02:05:17.1234567Z", DurationMs=88)
    first = [
        good(flat("2026-10-01T02:05:01.1234567Z")),                       # 7 digits
        good(flat("2026-10-01T02:05:02.123Z")),                           # 3 digits
        good(flat("2026-10-01T02:05:03Z")),                               # no fraction
        good(flat("2026-10-01T04:05:04.123+02:00")),                      # an offset: 02:05:04 UTC
        good(flat("10/01/2026 02:05:05")),                                # the US form
        good(flat("10/1/2026 2:05:06 AM")),                               # unpadded, 12-hour clock
        good(flat("2026-09-29T23:59:58.0000001Z")),                       # late: two days before the path's hour
        good(flat("2026-09-30T11:00:00.5Z", Category=DROP)),              # late; category from Type
        good(flat("2026-10-01T02:05:09.9Z", DurationMs="78")),            # a number written as a string
        good(flat("2026-10-01T02:05:10Z", Level=4)),                      # a number where a string is usual
        good(flat("2026-10-01T02:05:11Z", ResultSignature="202", DurationMs="078")),  # "078" is not canonical
        good(dup),
        good(dup),                                                        # an exact duplicate, same file
        (b'{"TimeGenerated":"13/01/2026 02:05:12","OperationName":"SMSMessagesSent"}', "bad-time"),
        (b'{"TimeGenerated":"10/01/2026 02:05","OperationName":"SMSMessagesSent"}', "bad-time"),
        (b'{"TimeGenerated":"10/01/2026 14:05:13 PM","OperationName":"SMSMessagesSent"}', "bad-time"),
    ]
    overflow = [good(dup), good(flat("2026-10-01T02:05:40.25Z"))]       # the duplicate again, in the overflow file
    later = [good(flat("2026-10-01T02:10:00.0000000Z")), good(dup)]     # and in the next 5-minute file
    usage_rows = [good(usage("2026-10-01T02:05:01.1234567Z")), good(usage("2026-09-30T23:59:59.9999999Z"))]

    storage = resource_id(res)
    escaped = {
        "time": "2026-10-01T02:15:00.0000000Z",
        "resourceId": storage,
        "operationName": "SMSMessagesSent",
        "category": "SMSOperational",
        "resultType": "Succeeded",
        "durationMs": "81",
        "level": 4,
        "properties": compact({"PhoneNumber": "+18445550199", "Country": "CA", "DeliveryAttempts": 1, "Note": None}).decode(),
    }
    spaced = dict(escaped, time="2026-10-01T02:15:01.0000000Z", properties='{"PhoneNumber": "+18445550199"}')
    storage_path = (f"insights-logs-smsoperational/resourceId={storage}"
                    f"/y=2026/m=10/d=03/h=00/m=00/PT1H.json")                # late by two days
    return [
        (workspace_path("acssmsincomingoperations", 2, 5, "PT05M.json"), first, False),
        (workspace_path("acssmsincomingoperations", 2, 5, "PT05M_1.json"), overflow, False),
        (workspace_path("acssmsincomingoperations", 2, 10, "PT05M.json.gz"), later, True),
        (workspace_path("acsbillingusage", 2, 5, "PT05M.json"), usage_rows, False),
        (storage_path, [good(escaped), good(spaced)], False),
    ]


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Generate the smsarchive test corpus: delete and regenerate TESTDATA/export and "
                    "TESTDATA/expected.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--testdata", metavar="DIR", type=Path, default=TESTDATA,
                        help=f"the folder to write export/ and expected/ into (default: {TESTDATA})")
    return parser.parse_args(argv)


def main(argv=None):
    global TESTDATA, EXPORT, EXPECTED
    arguments = parse_arguments(argv)
    TESTDATA = arguments.testdata.resolve()
    EXPORT = TESTDATA / "export"
    EXPECTED = TESTDATA / "expected"
    if EXPORT.exists():
        shutil.rmtree(EXPORT)
    EXPECTED.mkdir(parents=True, exist_ok=True)

    notify, alerts = RESOURCES
    traffic = {
        res["name"]: gen_traffic(res, SENDS_PER_HOUR[res["name"]], RECEIVES_PER_HOUR[res["name"]])
        for res in RESOURCES
    }

    # route traffic into per-(container, resource, hour) blobs
    blobs: dict[tuple[str, str, int], Blob] = {}
    layout = {
        # (container, resource index, hour): Blob options
        ("smsoperational", 0, 1): {"gz_members": 1},
        ("usage", 0, 1): {"gz_members": 2},
        ("smsoperational", 1, 1): {"gz_members": 1},
        ("usage", 1, 1): {"gz_members": 1},
        ("smsoperational", 1, 2): {"crlf": True},
        # plain-text blobs cost ~1 KB a record; compress some ordinary ones
        ("smsoperational", 0, 2): {"gz_members": 1},
        ("smsoperational", 1, 3): {"gz_members": 1},
        ("usage", 0, 2): {"gz_members": 1},
        ("usage", 1, 0): {"bom": True},
    }
    for container in ("smsoperational", "usage"):
        for ri, res in enumerate(RESOURCES):
            for hour in HOURS:
                blobs[(container, res["name"], hour)] = Blob(
                    blob_path(container, res, hour), **layout.get((container, ri, hour), {})
                )
    for name, events in traffic.items():
        for t, container, obj in events:
            hour = t // (3600 * TICKS)
            if hour in HOURS:  # later events have not been exported yet
                blobs[(container, name, hour)].lines.append((t, container, obj))
    for blob in blobs.values():
        events = order_loosely(blob.lines)
        blob.lines = []
        for _, _, obj in events:
            blob.good(obj)

    def B(container, res, hour):
        return blobs[(container, res["name"], hour)]

    # -- smsoperational / ACS-NOTIFY-0 -------------------------------------
    b = B("smsoperational", notify, 0)
    for i, raw in enumerate(special_values_records(resource_id(notify))):
        b.insert(3 + 2 * i, good_raw(raw))
    sprinkle(b, [bad(x, "invalid-json") for x in INVALID_JSON[:14]])
    sprinkle(b, [bad(x, "not-object") for x in NOT_OBJECT[:4]])

    b = B("smsoperational", notify, 1)  # PT1H.json.gz, one gzip member
    sprinkle(b, [bad("null", "not-object"), bad(NO_TIME[0], "no-time"),
                 bad(INVALID_JSON[2], "invalid-json"), bad(INVALID_UTF8[0], "invalid-utf8")])

    b = B("smsoperational", notify, 2)
    sprinkle(b, [bad(x, "invalid-utf8") for x in INVALID_UTF8])
    sprinkle(b, [bad(TOO_DEEP, "too-deep")])
    sprinkle(b, [bad(x, "bad-time") for x in BAD_TIME[:6]])

    b = B("smsoperational", notify, 3)  # the open hour: last line cut short
    sprinkle(b, [bad(x, "invalid-json") for x in INVALID_JSON[14:20]])
    # the record being written when the blob was copied: cut inside MessageId
    full, kind, _ = b.lines.pop()
    assert kind == "good"
    cut_at = full.index(b'"MessageId":"') + len(b'"MessageId":"') + 17
    b.lines.append((full[:cut_at], "bad", "truncated"))
    b.no_final_newline = True

    # -- smsoperational / ACS-ALERTS-1 -------------------------------------
    b = B("smsoperational", alerts, 0)  # flat PascalCase rows and odd casing mixed in
    for t, obj in flat_records(alerts, 0, 7):
        b.insert(rng.randrange(1, len(b.lines)), good(obj))
    for obj in odd_case_records(alerts, 0):
        b.insert(rng.randrange(1, len(b.lines)), good(obj))
    sprinkle(b, [bad(x, "no-time") for x in NO_TIME[1:]])
    sprinkle(b, [bad(x, "bad-time") for x in BAD_TIME[6:]])

    b = B("smsoperational", alerts, 1)  # PT1H.json.gz
    sprinkle(b, [bad(x, "invalid-json") for x in INVALID_JSON[20:]])
    sprinkle(b, [bad(NOT_OBJECT[5], "not-object"), bad(TOO_DEEP, "too-deep")])
    for t, obj in flat_records(alerts, 1, 2):
        b.insert(rng.randrange(1, len(b.lines)), good(obj))

    b = B("smsoperational", alerts, 2)  # CRLF line endings (blank lines are "\r\n")
    sprinkle(b, [blank(""), blank("  "), bad(INVALID_JSON[20], "invalid-json"),
                 bad(NOT_OBJECT[4], "not-object"), bad(INVALID_UTF8[1], "invalid-utf8")])

    # -- usage --------------------------------------------------------------
    b = B("usage", notify, 1)  # two gzip members, split mid-line
    sprinkle(b, [bad('{"time":"2026-10-01T01:00:00.0000000Z","properties":{"Quantity":1,}}', "invalid-json"),
                 bad('"usage"', "not-object")])

    b = B("usage", notify, 3)  # last line complete but without a newline: a good record
    b.no_final_newline = True

    b = B("usage", alerts, 0)  # BOM, blank and whitespace-only lines
    sprinkle(b, [blank(""), blank(""), blank(" "), blank("\t"), blank("   \t  "),
                 blank("    "),
                 bad('{"properties":{"RecordId":"' + guid() + '"}}', "no-time")])
    b.lines.append((b"", "blank", None))  # the blob ends with an empty line

    b = B("usage", alerts, 2)  # legacy {"records": [...]} document
    legacy = LegacyBlob(b.path)
    for i, (_, kind, obj) in enumerate(b.lines):
        legacy.add(obj, pretty=i in (2, 5))
        if i == 7:  # two bad elements, to pin down legacy line numbering
            legacy.add({"operationName": "Usage", "properties": {"Quantity": 1, "Note": "no time here"}},
                       reason="no-time", pretty=True)
            legacy.add({"time": "2026-10-01T02:99", "operationName": "Usage"}, reason="bad-time")
    blobs[("usage", alerts["name"], 2)] = legacy

    # -- render -------------------------------------------------------------
    all_records, all_rejects, blob_count = [], [], 0
    for blob in blobs.values():
        data, records, rejects = blob.render()
        rel = blob.path
        if blob.gz_members:
            rel += ".gz"
            if blob.gz_members == 1:
                payload = gzip.compress(data, compresslevel=9, mtime=0)
            else:
                half = len(data) // 2
                payload = (gzip.compress(data[:half], compresslevel=9, mtime=0)
                           + gzip.compress(data[half:], compresslevel=9, mtime=0))
        else:
            payload = data
        out = EXPORT / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(payload)
        blob_count += 1
        all_records.extend(records)
        all_rejects.extend({"source": rel, "line": n, "reason": r} for n, r in rejects)

    # the documentation's three examples, as a Log Analytics workspace export
    doc = [json.loads("{" + block + "}") for block in DOC_EXAMPLES]
    out = EXPORT / WORKSPACE_BLOB
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(b"".join(compact(o) + b"\n" for o in doc))
    blob_count += 1
    all_records.extend(doc)

    for rel, lines, zipped in variation_files(RESOURCES[0]):
        data = b"".join(line + b"\n" for line, _ in lines)
        out = EXPORT / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if zipped else data)
        blob_count += 1
        for n, (line, reason) in enumerate(lines, start=1):
            if reason is None:
                all_records.append(json.loads(line))
            else:
                all_rejects.append({"source": rel, "line": n, "reason": reason})

    all_rejects.sort(key=lambda r: (r["source"], r["line"]))
    with open(EXPECTED / "records.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for obj in all_records:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    with open(EXPECTED / "rejects.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for r in all_rejects:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary = {"records": len(all_records), "rejects": len(all_rejects), "blobs": blob_count}
    (EXPECTED / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"records={summary['records']} rejects={summary['rejects']} blobs={summary['blobs']}")


if __name__ == "__main__":
    main()
