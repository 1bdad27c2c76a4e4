#!/usr/bin/env python3
"""Write a realistic Log Analytics *workspace data export* of ACS SMS logs.

    python3 scripts/make_workspace_export.py OUT_DIR [--seed N] [--records N]
                                             [--file-limit N] [--gzip-fraction F]

A data export rule on a Log Analytics workspace copies each exported table to
a storage account container named ``am-<table>``, one append blob per five
minutes of *arrival* (ingestion), not of event time:

    am-acssmsincomingoperations/WorkspaceResourceId=/subscriptions/<sub>/
        resourcegroups/<rg>/providers/microsoft.operationalinsights/
        workspaces/<name>/y=2026/m=10/d=01/h=18/m=05/PT05M.json

A blob takes a limited number of appends (50,000 in Azure); after that the rows
of the same five minutes go on in ``PT05M_1.json``, ``PT05M_2.json``, ...  Here
the limit is ``--file-limit`` rows (default 40) so that overflow blobs occur.

Rows are compact JSON Lines in the flat PascalCase shape of the workspace
tables ACSSMSIncomingOperations and ACSBillingUsage (plus the workspace
columns TenantId, SourceSystem, Type, _ResourceId). Mixed in, each several
times at random places:

* late rows: the row's own TimeGenerated is up to 2 days before the hour the
  blob's path names (a backlog delivered late); rows near an hour boundary
  that arrive a few minutes later are late by the same definition;
* type drift: ``"DurationMs":"78"``, ``"Level":4``, ``"ResultSignature":"202"``,
  ``"Quantity":1.0`` (number text), and rows in the storage shape (``time``,
  ``resourceId``, ... ) whose ``properties`` is a JSON object escaped into a
  string;
* time forms: 7 fractional digits and Z (the default), 3 digits, no fraction,
  a numeric offset (``+02:00``), and ``MM/DD/YYYY HH:MM:SS`` (taken as UTC);
* exact duplicates (delivery retries): a line repeated byte for byte in the
  same blob, in the next five-minute blob, or in an overflow blob;
* unicode (raw UTF-8 and ``\\u`` escapes, emoji as surrogate pairs), nulls,
  unknown new fields (a number, a nested object with an array).

Besides the tree it writes, at OUT_DIR's top (outside the ``am-*`` folders):

* ``expected.jsonl``: every row written, one line per occurrence (duplicates
  included), byte for byte as in the blobs;
* ``expected-summary.json``: counts (rows, distinct rows, duplicates, files,
  overflow files, late rows, drift rows by kind, time forms, rows per UTC date
  of the row's own time, rows of a probe phone number ...). Counts are of
  occurrences (a duplicated row counts each time it is written) unless the
  key says ``distinct``.

Python 3.11 standard library only. Seeded: the same arguments give the same
bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import shutil
import sys
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

# ---------------------------------------------------------------- constants

TICKS = 10_000_000                     # 100 ns ticks per second
MINUTE = 60 * TICKS
HOUR = 60 * MINUTE
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

WINDOW_START = datetime(2026, 10, 1, 18, 0, tzinfo=timezone.utc)
WINDOW_HOURS = 12                      # crosses midnight: two UTC dates
PROBE_PHONE = "+18005550199"

OPS_TABLE = "ACSSMSIncomingOperations"
USAGE_TABLE = "ACSBillingUsage"
API_VERSION = "2021-03-07"

DEFAULT_SEED = 20261001
DEFAULT_RECORDS = 3000
DEFAULT_FILE_LIMIT = 40
DEFAULT_GZIP_FRACTION = 0.08

ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})$")
US_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2}):(\d{2})$")


# ---------------------------------------------------------------- time text

def to_ticks(dt: datetime) -> int:
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * TICKS + delta.microseconds * 10


def from_ticks(t: int) -> datetime:
    return EPOCH + timedelta(seconds=t // TICKS)   # whole seconds; fraction kept apart


def parse_time(text: str) -> int:
    """UTC instant, in 100 ns ticks since 1970, of any time form written here."""
    m = ISO_RE.match(text)
    if m:
        y, mo, d, h, mi, s, frac, zone = m.groups()
        t = to_ticks(datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone.utc))
        t += int((frac or "").ljust(7, "0"))
        if zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            t -= sign * (int(zone[1:3]) * HOUR + int(zone[4:6]) * MINUTE)
        return t
    m = US_RE.match(text)
    if m:
        mo, d, y, h, mi, s = (int(g) for g in m.groups())
        return to_ticks(datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc))
    raise ValueError(f"unknown time form: {text!r}")


def format_time(t: int, form: str, offset_minutes: int = 0) -> str:
    """The time text of instant t in one of the forms."""
    frac = t % TICKS
    if form == "offset":
        local = from_ticks(t + offset_minutes * MINUTE)
        sign = "+" if offset_minutes >= 0 else "-"
        hh, mm = divmod(abs(offset_minutes), 60)
        return f"{local:%Y-%m-%dT%H:%M:%S}.{frac // 10_000:03d}{sign}{hh:02d}:{mm:02d}"
    dt = from_ticks(t)
    if form == "frac7":
        return f"{dt:%Y-%m-%dT%H:%M:%S}.{frac:07d}Z"
    if form == "frac3":
        return f"{dt:%Y-%m-%dT%H:%M:%S}.{frac // 10_000:03d}Z"
    if form == "nofrac":
        return f"{dt:%Y-%m-%dT%H:%M:%S}Z"
    if form == "us":
        return f"{dt:%m/%d/%Y %H:%M:%S}"
    raise ValueError(form)


def own_time_text(obj: dict) -> str:
    for key in ("TimeGenerated", "time"):
        if key in obj:
            return obj[key]
    raise KeyError("no time field")


# ---------------------------------------------------------------- JSON text

class Raw:
    """A number written with exactly this text (e.g. 1.0, kept as 1.0)."""

    def __init__(self, text: str):
        self.text = text


def dump(value, ascii_only: bool) -> str:
    """Compact JSON, keys in insertion order, Raw numbers as written."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=ascii_only)
    if isinstance(value, dict):
        return "{" + ",".join(f"{dump(k, ascii_only)}:{dump(v, ascii_only)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v, ascii_only) for v in value) + "]"
    raise TypeError(type(value))


# ---------------------------------------------------------------- the world

@dataclass
class Resource:
    sub: str
    rg: str
    name: str
    senders: list          # (PhoneNumber, NumberType, weight)

    @property
    def resource_id(self) -> str:   # as Log Analytics writes _ResourceId: lower case
        return (f"/subscriptions/{self.sub}/resourcegroups/{self.rg}/providers/"
                f"microsoft.communication/communicationservices/{self.name}").lower()


@dataclass(eq=False)
class Row:
    table: str                 # OPS_TABLE or USAGE_TABLE
    time: int                  # event time, ticks
    fields: dict               # flat row, insertion order = key order
    group: int
    arrival: int = 0
    form: str = "frac7"
    offset_minutes: int = 0
    ascii_only: bool = False
    features: set = field(default_factory=set)
    line: str = ""


COUNTRIES = [("US", 40), ("CA", 8), ("GB", 10), ("FR", 8), ("DE", 7), ("BR", 5), ("IN", 6),
             ("MX", 4), ("ES", 4), ("JP", 3), ("PT", 2), ("SE", 2), ("PL", 1)]
SDKS = [("azsdk-net-Communication.Sms/1.0.1", "Microsoft Windows 10.0.17763"),
        ("azsdk-python-communication-sms/1.0.1 Python/3.11.4 (Linux-5.15.0-1051-azure-x86_64-with-glibc2.35)",
         "Linux 5.15.0-1051-azure"),
        ("azsdk-js-communication-sms/1.1.0 core-rest-pipeline/1.12.0 Node/v18.17.0 OS/(x64-Linux-5.15.0)",
         "Node/v18.17.0"),
        ("azsdk-java-azure-communication-sms/1.1.14 (17.0.8; Linux; 5.15.0)", "Linux 5.15.0")]
SEND_FAILURES = [(400, 'Invalid "To" phone number: must be E.164'), (400, "Recipient opted out"),
                 (403, "Sender number not provisioned for destination country"),
                 (429, "Too many requests"), (500, "Internal server error")]
DELIVERY_FAILURES = ["Undeliverable", "MessageExpired", "Blocked by carrier", "Unknown subscriber"]
UNICODE_TEXTS = ["Échec de remise : numéro désactivé", "Zugestellt 📬", "Entregue ✅",
                 "配信済み", "Доставлено", "Niedostarczono — skrzynka pełna 😞",
                 "Entrega pendiente ⏳ (operadora Telefónica)", "ok 👍🏽"]
CARRIERS = ["Vodafone", "Orange", "T-Mobile", "Telefónica", "Bouygues Télécom", "AT&T"]


def make_world(rng: random.Random) -> dict:
    def guid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    sub_a, sub_b = guid(), guid()
    resources = [
        Resource(sub_a, "rg-prod-0", "acs-notify-0",
                 [("+18334256463", "LongCodeNumber", 6), (PROBE_PHONE, "LongCodeNumber", 2),
                  ("+18445791704", "LongCodeNumber", 3)]),
        Resource(sub_a, "rg-prod-0", "acs-notify-1",
                 [("+442071838750", "LongCodeNumber", 3), ("+33644630012", "LongCodeNumber", 2),
                  (PROBE_PHONE, "LongCodeNumber", 1)]),
        Resource(sub_b, "RG-Marketing", "ACS-Campaigns",
                 [("38473", "ShortCodeNumber", 5), ("CONTOSO", "DynamicAlphaSenderID", 3)]),
    ]
    return {
        "workspace_sub": sub_a,
        "workspace_rg": "rg-monitoring",
        "workspace_name": "law-comms-prod",
        "workspace_id": guid(),
        "resources": resources,
    }


# ---------------------------------------------------------------- rows

class Generator:
    def __init__(self, seed: int, records: int, file_limit: int, gzip_fraction: float):
        self.rng = random.Random(seed)
        self.seed = seed
        self.records = records
        self.file_limit = file_limit
        self.gzip_fraction = gzip_fraction
        self.world = make_world(self.rng)
        self.rows: list[Row] = []
        self.groups: dict[int, list[Row]] = defaultdict(list)
        self.window_start = to_ticks(WINDOW_START)
        self.window_end = self.window_start + WINDOW_HOURS * HOUR

    # ---- small helpers
    def pick_weighted(self, items):
        total = sum(w for *_, w in items)
        r = self.rng.uniform(0, total)
        for item in items:
            r -= item[-1]
            if r <= 0:
                return item
        return items[-1]

    def correlation_id(self) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return "".join(self.rng.choice(alphabet) for _ in range(22)) + ".0"

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def ip(self) -> str:
        return ".".join(str(self.rng.randint(1, 254)) for _ in range(4))

    def message_id(self, direction: str, t: int) -> str:
        stamp = f"{from_ticks(t):%Y%m%d%H%M%S}"
        if direction == "Outgoing":
            return f"Outgoing_{stamp}{self.guid()}_noam"
        return f"Incoming_{stamp}{self.guid()}"

    def workspace_columns(self, table: str, res: Resource) -> dict:
        return {"SourceSystem": "Azure", "Type": table, "_ResourceId": res.resource_id}

    # ---- one flat row of each table
    def op_row(self, t, group, res, op, corr, result, signature, description, duration, caller,
               uri, out_len, in_len, attempts, phone, number_type, sdk, platform, message_id, country):
        fields = {
            "TenantId": self.world["workspace_id"],
            "TimeGenerated": None,            # filled in from the time form
            "OperationName": op,
            "CorrelationId": corr,
            "OperationVersion": API_VERSION,
            "Category": "SMSOperational",
            "ResultType": result,
            "ResultSignature": signature,
            "ResultDescription": description,
            "DurationMs": duration,
            "CallerIpAddress": caller,
            "Level": "Informational",
            "URI": uri,
            "OutgoingMessageLength": out_len,
            "IncomingMessageLength": in_len,
            "DeliveryAttempts": attempts,
            "PhoneNumber": phone,
            "NumberType": number_type,
            "SdkType": sdk,
            "PlatformType": platform,
            "Method": "POST",
            "MessageId": message_id,
            "Country": country,
        }
        fields.update(self.workspace_columns(OPS_TABLE, res))
        return self.add(Row(OPS_TABLE, t, fields, group))

    def usage_row(self, t, group, res, corr, quantity, phone, number_type, country, direction):
        fields = {
            "TenantId": self.world["workspace_id"],
            "TimeGenerated": None,
            "OperationName": "Usage",
            "OperationVersion": "1.0",
            "Category": "Usage",
            "CorrelationId": corr,
            "RecordId": self.guid(),
            "UsageType": "SMS",
            "UnitType": "Message",
            "Quantity": quantity,
            "StartTime": format_time(t, "frac7"),
            "EndTime": format_time(t, "frac7"),
            "PhoneNumber": phone,
            "Country": country,
            "NumberType": number_type,
            "Direction": direction,
        }
        fields.update(self.workspace_columns(USAGE_TABLE, res))
        return self.add(Row(USAGE_TABLE, t, fields, group))

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        self.groups[row.group].append(row)
        return row

    # ---- groups of rows that belong together
    def send_group(self, t: int, group: int, res: Resource):
        rng = self.rng
        phone, number_type, _ = self.pick_weighted(res.senders)
        country = self.pick_weighted(COUNTRIES)[0]
        sdk, platform = rng.choice(SDKS)
        corr = self.correlation_id()
        uri = f"https://{res.name.lower()}.communication.azure.com/sms?api-version={API_VERSION}"
        length = rng.choice([rng.randint(12, 160), rng.randint(161, 459)])
        segments = (length + 152) // 153 if length > 160 else 1
        if rng.random() < 0.07:                       # rejected by the API: no message, no usage
            code, why = rng.choice(SEND_FAILURES)
            self.op_row(t, group, res, "SMSMessagesSent", corr, "Failed", code, why,
                        rng.randint(3, 60), self.ip(), uri, length, 0, 0, phone, number_type,
                        sdk, platform, "", country)
            return
        mid = self.message_id("Outgoing", t)
        self.op_row(t, group, res, "SMSMessagesSent", corr, "Succeeded", 202, "",
                    rng.randint(40, 400), self.ip(), uri, length, 0, 0, phone, number_type,
                    sdk, platform, mid, country)
        self.usage_row(t + rng.randint(10, 900) * 10_000, group, res, corr, segments, phone,
                       number_type, country, "Outgoing")
        report_t = t + rng.randint(2 * TICKS, 25 * TICKS)
        delivered = rng.random() > 0.08
        self.op_row(report_t, group, res, "SMSDeliveryReportsReceived", self.correlation_id(),
                    "Succeeded" if delivered else "Failed", 200,
                    "Delivered" if delivered else rng.choice(DELIVERY_FAILURES),
                    rng.randint(5, 90), "",
                    "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/DeliveryReport",
                    0, 0, 1 if delivered else rng.randint(1, 3), phone, number_type, "", "", mid, country)

    def receive_group(self, t: int, group: int, res: Resource):
        rng = self.rng
        candidates = [s for s in res.senders if s[1] == "LongCodeNumber"] or res.senders
        phone, number_type, _ = self.pick_weighted(candidates)
        country = self.pick_weighted(COUNTRIES)[0]
        corr = self.correlation_id()
        self.op_row(t, group, res, "SMSMessagesReceived", corr, "Succeeded", 200, "",
                    rng.randint(20, 200), "",
                    "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/inbound",
                    0, rng.randint(1, 160), 0, phone, number_type, "", "",
                    self.message_id("Incoming", t), country)
        self.usage_row(t + rng.randint(10, 900) * 10_000, group, res, corr, 1, phone,
                       number_type, country, "Incoming")

    # ---- the whole traffic
    def generate_traffic(self):
        rng = self.rng
        resources = self.world["resources"]
        span = self.window_end - self.window_start
        bursts = sorted(self.window_start + rng.randrange(1, WINDOW_HOURS * 12 - 1) * 5 * MINUTE
                        + rng.randrange(0, 60) * TICKS for _ in range(3))
        group = 0
        while len(self.rows) < self.records:
            group += 1
            if rng.random() < 0.3:                    # a campaign burst: 4 minutes of sends
                t = rng.choice(bursts) + rng.randrange(0, 4 * MINUTE)
                self.send_group(t, group, resources[2])
                continue
            t = self.window_start + rng.randrange(0, span)
            res = resources[0] if rng.random() < 0.6 else resources[1]
            if rng.random() < 0.2:
                self.receive_group(t, group, res)
            else:
                self.send_group(t, group, res)

    def assign_arrivals(self):
        """Normal rows arrive 20 s to 4 min after their time; a few whole groups
        arrive 1 to 46 hours late (a backlog), placed so they land in the window."""
        rng = self.rng
        late_groups = set(rng.sample(sorted(self.groups), max(5, len(self.groups) // 60)))
        for gid, rows in self.groups.items():
            if gid in late_groups:
                delay = rng.randrange(1 * HOUR, 46 * HOUR)
                target = self.window_start + rng.randrange(0, self.window_end - self.window_start)
                shift = (target - delay) - rows[0].time
                stamp = f"{from_ticks(rows[0].time + shift):%Y%m%d%H%M%S}"
                for row in rows:
                    row.time += shift
                    mid = row.fields.get("MessageId")
                    if mid and mid[:9] in ("Outgoing_", "Incoming_"):   # its stamp follows the move
                        row.fields["MessageId"] = mid[:9] + stamp + mid[23:]
                    if row.table == USAGE_TABLE:
                        row.fields["StartTime"] = row.fields["EndTime"] = format_time(row.time, "frac7")
                    row.arrival = row.time + delay + rng.randrange(0, 60 * TICKS)
                    row.features.add("backlog")
            else:
                for row in rows:
                    row.arrival = row.time + rng.randrange(20 * TICKS, 240 * TICKS)

    # ---- oddities
    def quota(self, rate: float, minimum: int) -> int:
        return max(minimum, int(rate * len(self.rows)))

    def sample(self, pool, k):
        return self.rng.sample(pool, min(k, len(pool)))

    def apply_oddities(self):
        rng = self.rng
        rows = self.rows
        # storage-shape rows with an escaped properties string; some on the probe number
        probe_rows = [r for r in rows if r.fields["PhoneNumber"] == PROBE_PHONE]
        escaped = self.sample(probe_rows, 4)
        chosen = {id(r) for r in escaped}
        others = [r for r in rows if id(r) not in chosen]
        escaped += self.sample(others, self.quota(0.02, 8) - len(escaped))
        for r in escaped:
            r.features.add("drift:escaped-properties")
        flat = [r for r in rows if "drift:escaped-properties" not in r.features]
        flat_ops = [r for r in flat if r.table == OPS_TABLE]
        flat_usage = [r for r in flat if r.table == USAGE_TABLE]

        for r in self.sample(flat_ops, self.quota(0.01, 5)):
            r.fields["DurationMs"] = str(r.fields["DurationMs"])
            r.features.add("drift:duration-string")
        for r in self.sample(flat_ops, self.quota(0.01, 5)):
            r.fields["Level"] = 4
            r.features.add("drift:level-number")
        for r in self.sample(flat_ops, self.quota(0.01, 5)):
            r.fields["ResultSignature"] = str(r.fields["ResultSignature"])
            r.features.add("drift:resultsignature-string")
        for r in self.sample(flat_usage, self.quota(0.01, 5)):
            r.fields["Quantity"] = Raw(f"{r.fields['Quantity']}.0")
            r.features.add("drift:quantity-number-text")

        # time forms, on disjoint rows of both shapes
        pool = list(rows)
        rng.shuffle(pool)
        for form in ("frac3", "nofrac", "offset", "us"):
            k = self.quota(0.02, 6)
            chosen, pool = pool[:k], pool[k:]
            for r in chosen:
                r.form = form
                r.offset_minutes = rng.choice([120, -300, 330, 60, -600, 0, 840, -720])

        for r in self.sample(flat_ops, self.quota(0.02, 6)):
            r.fields["ResultDescription"] = rng.choice(UNICODE_TEXTS)
            if rng.random() < 0.4:
                r.fields["PlatformType"] = "Linux 5.15 — café edition ☕"
            r.ascii_only = rng.random() < 0.5     # \u escapes (emoji as surrogate pairs) or raw UTF-8
            r.features.add("unicode-escaped" if r.ascii_only else "unicode-raw")
        for r in self.sample(flat, self.quota(0.02, 6)):
            if r.table == OPS_TABLE:
                for key in rng.sample(["CallerIpAddress", "SdkType", "PlatformType", "MessageId"], 2):
                    r.fields[key] = None
            else:
                r.fields["EndTime"] = None
                r.fields["Country"] = None
            r.features.add("nulls")
        for r in self.sample(flat, self.quota(0.02, 6)):
            items = list(r.fields.items())
            if rng.random() < 0.5:
                new = ("SegmentCount", rng.randint(1, 4))
            else:
                new = ("ChannelMetadata", {"carrier": rng.choice(CARRIERS), "hops": [1, rng.randint(2, 5)],
                                           "retry": None, "emoji": "📶"})
            items.insert(rng.randrange(2, len(items)), new)
            r.fields = dict(items)
            r.features.add("unknown-field")

    # ---- the line of each row
    def storage_shape(self, r: Row) -> dict:
        f = r.fields
        res_upper = f["_ResourceId"].upper()
        if r.table == OPS_TABLE:
            props = {k: f[k] for k in ("URI", "OutgoingMessageLength", "IncomingMessageLength",
                                       "DeliveryAttempts", "PhoneNumber", "NumberType", "SdkType",
                                       "PlatformType", "Method", "MessageId", "Country")}
            return {"time": None, "resourceId": res_upper, "operationName": f["OperationName"],
                    "operationVersion": f["OperationVersion"], "category": f["Category"],
                    "correlationId": f["CorrelationId"], "resultType": f["ResultType"],
                    "resultSignature": f["ResultSignature"], "resultDescription": f["ResultDescription"],
                    "durationMs": f["DurationMs"], "callerIpAddress": f["CallerIpAddress"],
                    "level": f["Level"], "location": "global",
                    "properties": json.dumps(props, separators=(",", ":"))}
        props = {k: f[k] for k in ("RecordId", "UsageType", "UnitType", "Quantity", "PhoneNumber",
                                   "Country", "NumberType", "Direction")}
        return {"time": None, "resourceId": res_upper, "operationName": f["OperationName"],
                "operationVersion": f["OperationVersion"], "category": f["Category"],
                "correlationId": f["CorrelationId"], "location": "global",
                "properties": json.dumps(props, separators=(",", ":"))}

    def render(self):
        for r in self.rows:
            obj = self.storage_shape(r) if "drift:escaped-properties" in r.features else dict(r.fields)
            key = "time" if "time" in obj else "TimeGenerated"
            obj[key] = format_time(r.time, r.form, r.offset_minutes)
            r.line = dump(obj, r.ascii_only)

    # ---- blobs
    def bucket_rows(self) -> dict:
        buckets = defaultdict(list)           # (table, 5-minute start) -> [Row] in arrival order
        for r in sorted(self.rows, key=lambda r: r.arrival):
            buckets[(r.table, r.arrival - r.arrival % (5 * MINUTE))].append(r)
        return buckets

    def add_duplicates(self, buckets: dict):
        """Repeat some lines byte for byte: in an overflow blob of the same five
        minutes, in the next five-minute blob, or right after (same blob)."""
        rng = self.rng
        k = self.quota(0.015, 9)
        per_mode = max(3, k // 3)
        used = set()

        overflow_pool = [(key, i) for key, rows in buckets.items() if len(rows) > self.file_limit
                         for i in range(min(self.file_limit, len(rows)))]
        for key, i in self.sample(overflow_pool, per_mode):
            row = buckets[key][i]
            if id(row) in used:
                continue
            used.add(id(row))
            buckets[key].append(row)

        next_pool = [(key, i) for key, rows in buckets.items()
                     if (key[0], key[1] + 5 * MINUTE) in buckets for i in range(len(rows))]
        for key, i in self.sample(next_pool, per_mode):
            row = buckets[key][i]
            if id(row) in used:
                continue
            used.add(id(row))
            target = buckets[(key[0], key[1] + 5 * MINUTE)]
            target.insert(rng.randrange(0, min(len(target), self.file_limit) + 1), row)

        same_pool = [(key, i) for key, rows in buckets.items() for i in range(len(rows))]
        for key, i in self.sample(same_pool, per_mode * 2):
            rows = buckets[key]
            if i >= len(rows) or id(rows[i]) in used:
                continue
            used.add(id(rows[i]))
            # right after the original, or a couple of lines later (usually the same blob)
            rows.insert(min(i + 1 + rng.randrange(0, 3), len(rows)), rows[i])

    def blob_dir(self, table: str, start: int) -> str:
        w = self.world
        dt = from_ticks(start)
        return (f"am-{table.lower()}/WorkspaceResourceId=/subscriptions/{w['workspace_sub'].lower()}"
                f"/resourcegroups/{w['workspace_rg']}/providers/microsoft.operationalinsights"
                f"/workspaces/{w['workspace_name']}"
                f"/y={dt:%Y}/m={dt:%m}/d={dt:%d}/h={dt:%H}/m={dt:%M}")

    def files(self, buckets: dict) -> list:
        """[(relative path, start ticks, [Row])], overflowing every file_limit rows."""
        out = []
        for (table, start), rows in sorted(buckets.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            for n in range(0, len(rows), self.file_limit):
                name = "PT05M.json" if n == 0 else f"PT05M_{n // self.file_limit}.json"
                out.append((f"{self.blob_dir(table, start)}/{name}", start, rows[n:n + self.file_limit]))
        return out

    # ---- everything
    def run(self, out_dir: str) -> dict:
        self.generate_traffic()
        self.assign_arrivals()
        self.apply_oddities()
        self.render()
        buckets = self.bucket_rows()
        self.add_duplicates(buckets)
        files = self.files(buckets)

        if os.path.exists(out_dir):
            for name in os.listdir(out_dir):
                if name.startswith("am-"):
                    shutil.rmtree(os.path.join(out_dir, name))
        os.makedirs(out_dir, exist_ok=True)
        gz_paths = set()
        written = []
        for path, start, rows in files:
            data = "".join(r.line + "\n" for r in rows).encode("utf-8")
            if self.rng.random() < self.gzip_fraction:
                path += ".gz"
                gz_paths.add(path)
                buf = io.BytesIO()
                with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
                    gz.write(data)
                data = buf.getvalue()
            full = os.path.join(out_dir, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
            written.append((path, start, rows))

        with open(os.path.join(out_dir, "expected.jsonl"), "w", encoding="utf-8", newline="\n") as f:
            for _, _, rows in written:
                for r in rows:
                    f.write(r.line + "\n")
        summary = summarize(written, self)
        with open(os.path.join(out_dir, "expected-summary.json"), "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2, ensure_ascii=False)
            f.write("\n")
        return summary


# ---------------------------------------------------------------- summary

def phone_of(obj: dict):
    """PhoneNumber of a row: top level, or inside properties (object or escaped string)."""
    if "PhoneNumber" in obj:
        return obj["PhoneNumber"], "flat"
    props = obj.get("properties")
    if isinstance(props, str):
        return json.loads(props).get("PhoneNumber"), "escaped-properties"
    if isinstance(props, dict):
        return props.get("PhoneNumber"), "properties-object"
    return None, None


def summarize(written: list, gen: Generator) -> dict:
    """Counts computed from the lines as written (parsed back), not from intentions."""
    rows_total = 0
    line_counts = Counter()
    value_counts = Counter()
    per_date = Counter()
    distinct_per_date = {}
    late = late_backlog = 0
    late_max_hours = 0.0
    drift = Counter()
    forms = Counter()
    features = Counter()
    probe = Counter()
    files_per_table = Counter()
    rows_per_table = Counter()
    overflow_files = 0
    line_files = defaultdict(list)

    for path, start, rows in written:
        table = path.split("/", 1)[0]
        files_per_table[table] += 1
        if re.search(r"/PT05M_\d+\.json", path):
            overflow_files += 1
        hour_start = start - start % HOUR
        for r in rows:
            rows_total += 1
            rows_per_table[table] += 1
            line_counts[r.line] += 1
            line_files[r.line].append(path)
            obj = json.loads(r.line)
            value_counts[json.dumps(obj, sort_keys=True)] += 1
            text = own_time_text(obj)
            t = parse_time(text)
            date = f"{from_ticks(t):%Y-%m-%d}"
            per_date[date] += 1
            distinct_per_date.setdefault(date, set()).add(r.line)
            if t < hour_start:
                late += 1
                late_max_hours = max(late_max_hours, (hour_start - t) / HOUR)
                if hour_start - t >= HOUR:
                    late_backlog += 1
            forms[r.form] += 1
            for feat in r.features:
                if feat.startswith("drift:"):
                    drift[feat[6:]] += 1
                elif feat != "backlog":
                    features[feat] += 1
            phone, where = phone_of(obj)
            if phone == PROBE_PHONE:
                probe[where] += 1

    distinct = len(line_counts)
    assert distinct == len(value_counts), "two different lines hold the same JSON value"
    placements = Counter()
    for line, paths in line_files.items():
        if len(paths) < 2:
            continue
        if len(set(paths)) < len(paths):
            placements["same-file"] += 1
        if len(set(paths)) > 1:
            dirs = {p.rsplit("/", 1)[0] for p in paths}
            if len(dirs) > 1:
                placements["next-5-minute-file"] += 1
            else:
                placements["overflow-file-of-same-5-minutes"] += 1

    return {
        "generator": "make_workspace_export.py",
        "seed": gen.seed,
        "records_requested": gen.records,
        "file_limit": gen.file_limit,
        "note": "counts are of rows as written (occurrences: a duplicated row counts each time) "
                "unless the key says distinct; dates are UTC dates of each row's own time",
        "rows": rows_total,
        "distinct_rows": distinct,
        "duplicates": rows_total - distinct,
        "duplicate_groups_by_placement": dict(sorted(placements.items())),
        "files": len(written),
        "overflow_files": overflow_files,
        "gzip_files": sum(1 for p, _, _ in written if p.endswith(".gz")),
        "files_per_table": dict(sorted(files_per_table.items())),
        "rows_per_table": dict(sorted(rows_per_table.items())),
        "late_rows": late,
        "late_rows_at_least_1h": late_backlog,
        "late_rows_max_hours_before_path_hour": round(late_max_hours, 3),
        "drift_rows_by_kind": dict(sorted(drift.items())),
        "time_forms": dict(sorted(forms.items())),
        "other_features": dict(sorted(features.items())),
        "rows_per_date": dict(sorted(per_date.items())),
        "distinct_rows_per_date": {d: len(s) for d, s in sorted(distinct_per_date.items())},
        "probe_phone": PROBE_PHONE,
        "probe_phone_rows": sum(probe.values()),
        "probe_phone_rows_by_shape": dict(sorted(probe.items())),
        "workspace_resource_id": (f"/subscriptions/{gen.world['workspace_sub']}/resourcegroups/"
                                  f"{gen.world['workspace_rg']}/providers/microsoft.operationalinsights/"
                                  f"workspaces/{gen.world['workspace_name']}"),
        "acs_resources": [r.resource_id for r in gen.world["resources"]],
    }


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir", help="folder to write the export into (its am-* folders are replaced)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--records", type=int, default=DEFAULT_RECORDS,
                   help=f"about how many distinct rows (default {DEFAULT_RECORDS}); duplicates come on top")
    p.add_argument("--file-limit", type=int, default=DEFAULT_FILE_LIMIT,
                   help=f"rows per blob before PT05M_1.json, ... (default {DEFAULT_FILE_LIMIT}; Azure: 50,000 appends)")
    p.add_argument("--gzip-fraction", type=float, default=DEFAULT_GZIP_FRACTION,
                   help=f"share of blobs written gzip-compressed as PT05M*.json.gz (default {DEFAULT_GZIP_FRACTION}; "
                        "real workspace exports are plain, use 0 for those)")
    args = p.parse_args(argv)
    if args.records < 50 or args.file_limit < 2:
        p.error("--records must be at least 50 and --file-limit at least 2")
    summary = Generator(args.seed, args.records, args.file_limit, args.gzip_fraction).run(args.out_dir)
    print(f"wrote {summary['rows']} rows ({summary['distinct_rows']} distinct, {summary['duplicates']} duplicates) "
          f"in {summary['files']} files ({summary['overflow_files']} overflow, {summary['gzip_files']} gzip) "
          f"to {args.out_dir}", file=sys.stderr)
    if summary["overflow_files"] == 0:
        print("warning: no overflow (PT05M_N.json) files; use more --records or a smaller --file-limit",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
