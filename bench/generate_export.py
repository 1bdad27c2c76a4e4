#!/usr/bin/env python3
"""Generate a realistic Azure Monitor storage export of ACS SMS logs, for benchmarks.

    python3 bench/generate_export.py --records 300000 --out bench-out/export

writes, under OUT, one blob per (category, resource, hour):

    insights-logs-smsoperational/resourceId=/SUBSCRIPTIONS/<SUB>/RESOURCEGROUPS/<RG>/PROVIDERS/
        MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/<NAME>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json
    insights-logs-usage/resourceId=.../PT1H.json

(a --gzip-fraction of the blobs as PT1H.json.gz instead), and OUT/generate_export.params
(JSON: the parameters, incl. a digest of this script, and the summary; not a blob, smsarchive and the benchmark's
globs ignore it).

Unlike scripts/make_testdata.py (a small corpus of edge cases) this aims at realistic
*volume statistics*, because archive sizes are measured on it:

* 3-5 Communication Services resources in 2-3 resource groups, each with its own senders
  (toll-free and 10DLC long codes, non-US long codes, short codes, alphanumeric sender
  IDs), ~50-200 senders overall, with Zipf-like popularity; NumberType follows the sender;
* ~40 destination countries (ISO 3166 alpha-2), US dominant, mix depending on the sender;
* a day/night rate curve (peak ~16 UTC, trough ~04 UTC; weekends lower) plus bursty
  campaigns from marketing senders;
* SMSMessagesSent -> Usage (same correlationId, ~50 ms later) -> SMSDeliveryReportsReceived
  (same MessageId, 1-30 s later, skewed to a few seconds); inbound SMSMessagesReceived
  (a few percent, incl. STOP/START/HELP keywords) with their Usage; rare opt-out API calls;
  ~3 % failed sends (400/401/429/500), ~4 % failed delivery reports;
* times with 7 fractional digits + Z; records within a blob roughly, not strictly, in
  time order; each record in the blob of its hour;
* ~3 % of blobs in the flat PascalCase shape (Log Analytics columns, as in the product
  documentation's examples) instead of the storage shape;
* compact JSON, one record per line, LF line ends.

Python 3.11, standard library only.  Deterministic for given arguments (gzip members
are written with mtime=0; byte-identical .gz output also assumes the same zlib).
"""

from __future__ import annotations

import argparse
import base64
import bisect
import datetime as dt
import gzip
import hashlib
import itertools
import json
import math
import random
import shutil
import time
from collections import defaultdict
from pathlib import Path

DEFAULT_SEED = 20261001
TICKS = 10_000_000  # 100 ns ticks per second, as in Azure's 7-digit times
MINUTE = 60 * TICKS
HOUR = 3600 * TICKS

DR_URI = "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/DeliveryReport"
INBOUND_URI = "https://global.smsgw.prod.communication.microsoft.com/rtc/telephony/sms/inbound"

# (name, region suffix of outgoing MessageIds, region kind)
RESOURCE_POOL = [
    ("ACS-NOTIFY-PROD", "_noam", "NA"),
    ("ACS-OTP-PROD", "_noam", "NA"),
    ("ACS-MARKETING-EU", "_euro", "EU"),
    ("ACS-ALERTS-NA", "_noam", "NA"),
    ("ACS-CARE-APAC", "_apac", "APAC"),
]
RG_POOL = ["RG-MESSAGING-PROD", "RG-CUSTOMER-COMMS", "RG-PLATFORM-SHARED"]

# SDK user agents and platforms seen on SMS sends
SDKS = [
    ("azsdk-net-Communication.Sms/1.0.1", "Microsoft Windows 10.0.17763"),
    ("azsdk-net-Communication.Sms/1.1.0", "Microsoft Windows 10.0.20348"),
    ("azsdk-net-Communication.Sms/1.1.0", "Linux 5.15.0-1057-azure #65-Ubuntu SMP"),
    ("azsdk-python-communication-sms/1.1.0", "Python/3.11.4 (Linux-5.15.0-1057-azure-x86_64-with-glibc2.35)"),
    ("azsdk-python-communication-sms/1.0.1", "Python/3.9.18 (Linux-5.10.102.1-microsoft-standard-x86_64-with-glibc2.31)"),
    ("azsdk-js-communication-sms/1.1.0", "Node/18.17.1 (linux; x64)"),
    ("azsdk-js-communication-sms/1.0.0", "Node/16.20.2 (linux; x64)"),
    ("azsdk-java-azure-communication-sms/1.1.20", "Java/17.0.8 (Linux; amd64)"),
    ("azsdk-java-azure-communication-sms/1.1.17", "Java/11.0.20 (Linux; amd64)"),
    ("", ""),  # plain REST calls without an SDK
]
API_VERSIONS = ["2021-03-07", "2024-12-10-preview", "2025-05-30"]

# destination countries for senders that send worldwide (alphanumeric IDs); Zipf-ish weights
WORLD = ("GB IN DE FR BR MX ES IT NL AU JP PL SE PH ZA NG AE SA SG IE CH AT BE DK NO FI PT "
         "CO AR CL PE NZ KR MY TH ID VN TR EG KE IL").split()
EUROPE = "GB DE FR NL ES IT IE BE AT CH SE DK NO FI PL PT".split()

SEND_FAILURES = [  # (weight, code, description, level)
    (30, 400, "Invalid To phone number format.", "Error"),
    (25, 400, "Message sending failed because the recipient has opted out of receiving messages from this number.", "Error"),
    (5, 401, "Authentication failed: the access key or token is invalid or expired.", "Error"),
    (28, 429, "Too many requests: the send rate limit of this number was exceeded. Retry after some time.", "Warning"),
    (12, 500, "Internal server error. Message could not be sent; retry later.", "Error"),
]
DR_FAILURES = [
    (40, 400, "Undeliverable: the destination number is unreachable or does not exist."),
    (20, 400, "Blocked by carrier: message flagged as spam."),
    (15, 400, "Recipient opted out."),
    (25, 500, "Expired: the carrier did not confirm delivery before the message expired."),
]
# inbound keywords: (weight, text, description)
KEYWORDS = [
    (14, "STOP", "Opt-out keyword received: STOP"),
    (2, "UNSUBSCRIBE", "Opt-out keyword received: UNSUBSCRIBE"),
    (2, "Stop", "Opt-out keyword received: STOP"),
    (1, "CANCEL", "Opt-out keyword received: CANCEL"),
    (1, "QUIT", "Opt-out keyword received: QUIT"),
    (4, "START", "Opt-in keyword received: START"),
    (1, "UNSTOP", "Opt-in keyword received: UNSTOP"),
    (4, "HELP", "Help keyword received: HELP"),
]
OPTOUT_OPS = [  # (weight, operationName, URI action)
    (6, "SMSOptOutsChecked", "check"),
    (3, "SMSOptOutsAdded", "add"),
    (1, "SMSOptOutsRemoved", "remove"),
]


def cum(weights):
    return list(itertools.accumulate(weights))


def pick(rng, items, cw):
    return items[bisect.bisect_right(cw, rng.random() * cw[-1])]


def zipf_weights(n, s):
    return [1.0 / (k + 1) ** s for k in range(n)]


class World:
    """Resources, their clients and senders; everything drawn from the seed."""

    def __init__(self, rng: random.Random):
        self.subscription = self._guid(rng).upper()
        n_res = rng.randint(3, 5)
        n_rg = rng.randint(2, 3)
        pool = RESOURCE_POOL[:]
        # keep the first (biggest, North American) resource; shuffle the rest in
        chosen = [pool[0]] + rng.sample(pool[1:], n_res - 1)
        # North American resources carry most of the traffic
        chosen.sort(key=lambda r: ("NA", "EU", "APAC").index(r[2]))
        res_share = zipf_weights(n_res, 1.2)
        self.resources = []
        used_numbers = set()
        for i, (name, suffix, region) in enumerate(chosen):
            rg = RG_POOL[0] if i == 0 else RG_POOL[rng.randrange(n_rg)]
            rid = (f"/SUBSCRIPTIONS/{self.subscription}/RESOURCEGROUPS/{rg}"
                   f"/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/{name}")
            host = name.lower()
            # API clients: (caller IP, SDK, platform, api version), skewed use
            clients = []
            n_clients = rng.randint(2, 6)
            base_sdks = rng.sample(range(len(SDKS)), rng.randint(1, 3))
            versions = [API_VERSIONS[0]] * 6 + API_VERSIONS[1:]
            for _ in range(n_clients):
                ip = self._ip(rng)
                sdk, platform = SDKS[rng.choice(base_sdks)]
                clients.append((ip, sdk, platform, rng.choice(versions)))
            res = {
                "name": name, "rg": rg, "rid": rid, "host": host, "suffix": suffix,
                "region": region, "clients": clients,
                "client_cw": cum(zipf_weights(n_clients, 1.3)),
                "rid_lower": rid.lower(),
            }
            # senders of this resource
            n_senders = max(8, int(rng.randint(70, 150) * res_share[i] / sum(res_share)) + rng.randint(4, 12))
            senders = [self._sender(rng, res, used_numbers) for _ in range(n_senders)]
            rng.shuffle(senders)
            pop = zipf_weights(n_senders, 1.3)
            for s, w in zip(senders, pop):
                s["weight"] = w / sum(pop) * res_share[i]
            res["senders"] = senders
            self.resources.append(res)
        self.senders = [s for r in self.resources for s in r["senders"]]
        self.sender_cw = cum(s["weight"] for s in self.senders)
        self.receivers = [s for s in self.senders if s["can_receive"]]
        self.receiver_cw = cum(s["weight"] for s in self.receivers)
        self.campaigners = [s for s in self.senders if s["profile"] == "marketing"] or self.senders
        self.campaigner_cw = cum(s["weight"] for s in self.campaigners)

    @staticmethod
    def _guid(rng):
        return guid(rng)

    @staticmethod
    def _ip(rng):
        first = rng.choice([20, 40, 51, 52, 13, 104, 23, 4, 98, 172])
        return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"

    def _sender(self, rng, res, used):
        region = res["region"]
        r = rng.random()
        if region == "NA":
            kind = "tollfree" if r < 0.55 else "10dlc" if r < 0.70 else "short" if r < 0.87 else "alpha"
        elif region == "EU":
            kind = "eu_long" if r < 0.40 else "alpha" if r < 0.92 else "eu_short"
        else:
            kind = "au_long" if r < 0.30 else "alpha" if r < 0.80 else "au_short"
        while True:
            if kind == "tollfree":
                number = f"+1{rng.choice(['833', '844', '855', '866', '877', '888'])}{rng.randrange(2000000, 9999999)}"
                ntype, home = "LongCodeNumber", {"US": 85, "CA": 13, "PR": 1}
            elif kind == "10dlc":
                number = f"+1{rng.choice(['425', '206', '312', '415', '646', '512', '737', '470'])}{rng.randrange(2000000, 9999999)}"
                ntype, home = "LongCodeNumber", {"US": 95, "CA": 4, "PR": 1}
            elif kind == "short":
                number = str(rng.randrange(20000, 99999) if rng.random() < 0.75 else rng.randrange(200000, 999999))
                ntype, home = "ShortCodeNumber", {"US": 98, "PR": 2}
            elif kind == "eu_long":
                cc, country, prefix = rng.choice([("44", "GB", "7"), ("44", "GB", "7"), ("49", "DE", "15"),
                                                  ("33", "FR", "6"), ("31", "NL", "6"), ("34", "ES", "6")])
                number = f"+{cc}{prefix}{rng.randrange(10**8, 10**9 - 1)}"
                ntype, home = "LongCodeNumber", {country: 85, **{c: 1 for c in EUROPE if c != country}}
            elif kind == "eu_short":
                number = str(rng.randrange(60000, 89999))
                ntype, home = "ShortCodeNumber", {"GB": 100}
            elif kind == "au_long":
                number = f"+614{rng.randrange(10**7, 10**8 - 1)}"
                ntype, home = "LongCodeNumber", {"AU": 90, "NZ": 10}
            elif kind == "au_short":
                number = str(rng.randrange(180000, 199999))
                ntype, home = "ShortCodeNumber", {"AU": 100}
            else:
                base = rng.choice(["CONTOSO", "FABRIKAM", "NORTHWIND", "WOODGROVE", "TAILSPIN", "LITWARE",
                                   "ADATUM", "FOURTHCOFF", "PROSEWARE", "WINGTIP", "ALPINESKI", "COHO",
                                   "TREYRSRCH", "LUCERNE", "MARGIES", "WWIMPORTER", "BLUEYONDER"])
                number = (base + rng.choice(["", "", "", "INFO", "OTP", "ALERT", "BANK", "SHOP"]))[:11]
                ntype = "DynamicAlphaSenderID"
                if region == "EU":
                    home = {c: w for c, w in zip(EUROPE, zipf_weights(len(EUROPE), 1.0))}
                elif region == "APAC":
                    home = {c: w for c, w in zip(["IN", "AU", "SG", "PH", "JP", "MY", "NZ", "TH", "ID", "VN", "KR"],
                                                 zipf_weights(11, 0.9))}
                else:
                    home = {c: w for c, w in zip(WORLD, zipf_weights(len(WORLD), 1.0))}
            if number not in used:
                used.add(number)
                break
        profile = rng.choices(["otp", "notify", "marketing"], [5, 4, 1])[0]
        if kind in ("short", "alpha") and rng.random() < 0.25:
            profile = "marketing"
        mean = {"otp": rng.randint(30, 60), "notify": rng.randint(70, 150), "marketing": rng.randint(120, 300)}[profile]
        countries = list(home)
        return {
            "number": number, "ntype": ntype, "res": res, "profile": profile, "len_mean": mean,
            "countries": countries, "country_cw": cum(home.values()),
            "can_receive": ntype != "DynamicAlphaSenderID",
        }


def guid(rng) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def correlation_id(rng) -> str:
    return base64.b64encode(rng.randbytes(17))[:22].decode("ascii") + ".0"


def hour_weight(when: dt.datetime) -> float:
    """Relative send rate of one UTC hour: trough ~04 UTC, peak ~16 UTC, quieter weekends."""
    h = when.hour + 0.5
    day = 0.5 - 0.5 * math.cos(2 * math.pi * (h - 4.0) / 24)
    w = 0.2 + day ** 1.4
    if when.weekday() >= 5:
        w *= 0.65
    return w


class Clock:
    """Fast formatting of tick offsets from the start (hour index = ticks // HOUR)."""

    def __init__(self, start: dt.datetime, hours: int):
        self.time_prefix = []
        self.stamp_prefix = []
        for i in range(hours + 2):
            t = start + dt.timedelta(hours=i)
            self.time_prefix.append(f"{t:%Y-%m-%dT%H}:")
            self.stamp_prefix.append(f"{t:%Y%m%d%H}")

    def iso7(self, t: int) -> str:
        h, rem = divmod(t, HOUR)
        m, rem = divmod(rem, MINUTE)
        s, frac = divmod(rem, TICKS)
        return f"{self.time_prefix[h]}{m:02d}:{s:02d}.{frac:07d}Z"

    def iso_ms(self, t: int) -> str:
        h, rem = divmod(t, HOUR)
        m, rem = divmod(rem, MINUTE)
        s, frac = divmod(rem, TICKS)
        return f"{self.time_prefix[h]}{m:02d}:{s:02d}.{frac // 10_000:03d}Z"

    def stamp14(self, t: int) -> str:
        h, rem = divmod(t, HOUR)
        m, rem = divmod(rem, MINUTE)
        return f"{self.stamp_prefix[h]}{m:02d}{rem // TICKS:02d}"


SMS_FLAT_TOP = [("operationName", "OperationName"), ("category", "Category"),
                ("correlationId", "CorrelationId"), ("operationVersion", "OperationVersion"),
                ("resultType", "ResultType"), ("resultSignature", "ResultSignature"),
                ("resultDescription", "ResultDescription"), ("durationMs", "DurationMs"),
                ("callerIpAddress", "CallerIpAddress"), ("level", "Level")]
USAGE_FLAT_TOP = [("operationName", "OperationName"), ("operationVersion", "OperationVersion"),
                  ("category", "Category"), ("correlationId", "CorrelationId")]


def to_flat(rec: dict, t: int, clock: Clock, res: dict) -> dict:
    """Storage shape -> flat Log Analytics row (ACSSMSIncomingOperations / ACSBillingUsage)."""
    usage = rec["category"] == "Usage"
    out = {"TimeGenerated": clock.iso_ms(t)}
    for src, dst in (USAGE_FLAT_TOP if usage else SMS_FLAT_TOP):
        out[dst] = rec[src]
    out.update(rec["properties"])
    out["SourceSystem"] = "Azure"
    out["Type"] = "ACSBillingUsage" if usage else "ACSSMSIncomingOperations"
    out["_ResourceId"] = res["rid_lower"]
    return out


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.world = World(self.rng)
        self.start = dt.datetime.combine(args.start, dt.time(0), tzinfo=dt.timezone.utc)
        self.clock = Clock(self.start, args.hours)
        self.out = Path(args.out)
        self.blob_info: dict[tuple, tuple[bool, bool]] = {}
        self.stats = defaultdict(int)
        self.fail_cw = cum(w for w, *_ in SEND_FAILURES)
        self.dr_fail_cw = cum(w for w, *_ in DR_FAILURES)
        self.kw_cw = cum(w for w, *_ in KEYWORDS)
        self.optout_cw = cum(w for w, *_ in OPTOUT_OPS)
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    # -- blobs ---------------------------------------------------------------
    def choose_blob_kinds(self):
        """Pick exactly round(fraction * blobs) flat and gzip blobs (at least one flat blob
        per category when --flat-fraction > 0), from a stream of their own."""
        r = random.Random(f"{self.args.seed}/blobs")
        cats = ("smsoperational", "usage")
        keys = [(c, res["name"], h) for c in cats for res in self.world.resources for h in range(self.args.hours)]
        flat = set()
        if self.args.flat_fraction > 0:
            n_flat = max(len(cats), round(self.args.flat_fraction * len(keys)))
            for c in cats:  # one of each category, then the rest from all
                flat.add(r.choice([k for k in keys if k[0] == c]))
            flat.update(r.sample([k for k in keys if k not in flat], max(0, n_flat - len(flat))))
        gz = set(r.sample(keys, round(self.args.gzip_fraction * len(keys))))
        self.blob_info = {k: (k in flat, k in gz) for k in keys}

    def blob_kind(self, key) -> tuple[bool, bool]:
        """(flat shape?, gzip?) of a blob."""
        return self.blob_info.get(key, (False, False))

    def blob_path(self, category: str, res: dict, hour: int, gz: bool) -> Path:
        t = self.start + dt.timedelta(hours=hour)
        return (self.out / f"insights-logs-{category}" / f"resourceId={res['rid']}"
                / f"y={t:%Y}" / f"m={t:%m}" / f"d={t:%d}" / f"h={t:%H}" / "m=00"
                / ("PT1H.json.gz" if gz else "PT1H.json"))

    # -- traffic -------------------------------------------------------------
    def run(self):
        args = self.args
        rng = self.rng
        for sub in ("insights-logs-smsoperational", "insights-logs-usage"):
            if (self.out / sub).exists():
                shutil.rmtree(self.out / sub)
        self.out.mkdir(parents=True, exist_ok=True)
        self.choose_blob_kinds()

        weights = [hour_weight(self.start + dt.timedelta(hours=h)) for h in range(args.hours)]
        records_per_send = 2.98  # send + usage + delivery report, plus inbound and failures
        total_sends = args.records / records_per_send
        carry: list = []
        for h in range(args.hours):
            load = weights[h] / max(weights)
            n = round(total_sends * weights[h] / sum(weights) * rng.uniform(0.95, 1.05))
            events = carry
            carry = []
            self.gen_hour(h, n, load, events)
            buckets = defaultdict(list)
            for ev in events:
                eh = ev[0] // HOUR
                if eh == h:
                    buckets[ev[1]].append(ev)
                elif eh == h + 1:
                    if h + 1 < args.hours:
                        carry.append(ev)  # lands in the next hour's blob
                    else:
                        self.stats["dropped_after_end"] += 1  # not exported yet
                else:
                    raise AssertionError("event outside its hour window")
            self.write_hour(h, buckets)
        return self.stats

    def gen_hour(self, h: int, n_sends: int, load: float, events: list):
        rng = self.rng
        w = self.world
        base = h * HOUR
        # ordinary traffic, uniform over the hour
        senders = [pick(rng, w.senders, w.sender_cw) for _ in range(n_sends)]
        # bursty campaigns replace part of it: a marketing sender blasting for 5-20 minutes
        n_campaign = 0
        if rng.random() < 0.35 + 0.4 * load:
            n_campaign = int(n_sends * rng.uniform(0.05, 0.25))
        camp_sender = pick(rng, w.campaigners, w.campaigner_cw)
        camp_start = base + rng.randrange(0, 40 * MINUTE)
        camp_len = rng.randrange(5 * MINUTE, 20 * MINUTE)
        p429 = 0.003 + 0.012 * load
        for i, s in enumerate(senders):
            if i < n_campaign:
                s = camp_sender
                t = camp_start + rng.randrange(camp_len)
            else:
                t = base + rng.randrange(HOUR)
            self.gen_send(s, t, p429, events)
        # inbound replies, keywords, usage
        n_in = int(n_sends * rng.uniform(0.025, 0.04))
        for _ in range(n_in):
            s = pick(rng, w.receivers, w.receiver_cw)
            self.gen_inbound(s, base + rng.randrange(HOUR), events)
        # opt-out management API calls (rare; preview API)
        n_opt = int(n_sends * 0.002 + rng.random())
        for _ in range(n_opt):
            s = pick(rng, w.receivers, w.receiver_cw)
            self.gen_optout(s, base + rng.randrange(HOUR), events)

    def sms_record(self, res, t, op, version, cid, rtype, rsig, rdesc, dur, ip, level, props):
        return {
            "time": self.clock.iso7(t),
            "resourceId": res["rid"],
            "operationName": op,
            "operationVersion": version,
            "category": "SMSOperational",
            "correlationId": cid,
            "resultType": rtype,
            "resultSignature": rsig,
            "resultDescription": rdesc,
            "durationMs": dur,
            "callerIpAddress": ip,
            "level": level,
            "location": "global",
            "properties": props,
        }

    def usage_record(self, res, t, cid, qty, s, country, direction):
        return {
            "time": self.clock.iso7(t),
            "resourceId": res["rid"],
            "operationName": "Usage",
            "operationVersion": "1.0",
            "category": "Usage",
            "correlationId": cid,
            "location": "global",
            "properties": {
                "RecordId": guid(self.rng),
                "UsageType": "SMS",
                "UnitType": "Message",
                "Quantity": qty,
                "PhoneNumber": s["number"],
                "Country": country,
                "NumberType": s["ntype"],
                "Direction": direction,
            },
        }

    def emit(self, t: int, category: str, res: dict, rec: dict, events: list):
        key = (category, res["name"], t // HOUR)
        flat, _ = self.blob_kind(key)
        if flat:
            rec = to_flat(rec, t, self.clock, res)
        # blobs are appended in batches: order by time plus up to ~1.5 s of jitter
        events.append((t, key, t + self.rng.randrange(15_000_000), self.dumps(rec)))

    def message_length(self, s) -> int:
        rng = self.rng
        if rng.random() < 0.1:
            n = int(rng.lognormvariate(4.2, 0.8))
        else:
            n = int(rng.gauss(s["len_mean"], s["len_mean"] * 0.12))
        return min(600, max(1, n))

    def gen_send(self, s, t, p429, events):
        rng = self.rng
        res = s["res"]
        ip, sdk, platform, version = pick(rng, res["clients"], res["client_cw"])
        country = pick(rng, s["countries"], s["country_cw"])
        length = self.message_length(s)
        cid = correlation_id(rng)
        mid = f"Outgoing_{self.clock.stamp14(t)}{guid(rng)}{res['suffix']}"
        dur = int(rng.lognormvariate(5.0, 0.4))  # median ~150 ms
        if rng.random() < 0.01:
            dur *= rng.randint(5, 30)  # slow tail, up to seconds
        r = rng.random()
        if r < p429:
            failure = SEND_FAILURES[3]
        elif r < p429 + 0.022:
            failure = pick(rng, SEND_FAILURES, self.fail_cw)
        else:
            failure = None
        if failure:
            _, code, desc, level = failure
            if code in (401, 429):
                mid, dur = "", max(3, dur // 10)  # rejected before a message existed
            rtype, rsig, rdesc = "Failed", code, desc
        else:
            rtype, rsig, rdesc, level = "Succeeded", 202, "", "Informational"
        self.emit(t, "smsoperational", res, self.sms_record(
            res, t, "SMSMessagesSent", version, cid, rtype, rsig, rdesc, dur, ip, level, {
                "URI": f"https://{res['host']}.communication.azure.com/sms?api-version={version}",
                "OutgoingMessageLength": length,
                "IncomingMessageLength": 0,
                "DeliveryAttempts": 0,
                "PhoneNumber": s["number"],
                "NumberType": s["ntype"],
                "SdkType": sdk,
                "PlatformType": platform,
                "Method": "POST",
                "MessageId": mid,
                "Country": country,
            }), events)
        if failure:
            return
        tu = t + int(rng.lognormvariate(13.1, 0.5))  # usage ~50 ms after the send
        qty = 1 if length <= 160 else -(-length // 153)
        self.emit(tu, "usage", res, self.usage_record(res, tu, cid, qty, s, country, "Outgoing"), events)
        if rng.random() < 0.02:
            return  # the delivery report never came
        delay = min(30 * TICKS, TICKS + int(rng.lognormvariate(16.6, 0.9)))  # 1-30 s, median ~2.6 s
        td = t + delay
        r = rng.random()
        if r < 0.04:
            _, dcode, ddesc = pick(rng, DR_FAILURES, self.dr_fail_cw)
            drtype, dlevel = "Failed", "Error"
            attempts = rng.choice([1, 2, 3, 3])
        else:
            dcode, ddesc, drtype, dlevel = 200, "Delivered", "Succeeded", "Informational"
            attempts = 1 if r < 0.9 else 2 if r < 0.98 else 3
        self.emit(td, "smsoperational", res, self.sms_record(
            res, td, "SMSDeliveryReportsReceived", version, correlation_id(rng), drtype, dcode, ddesc,
            int(rng.lognormvariate(3.8, 0.35)), "", dlevel, {
                "URI": DR_URI,
                "OutgoingMessageLength": 0,
                "IncomingMessageLength": 0,
                "DeliveryAttempts": attempts,
                "PhoneNumber": s["number"],
                "NumberType": s["ntype"],
                "SdkType": "",
                "PlatformType": "",
                "Method": "POST",
                "MessageId": mid,
                "Country": country,
            }), events)

    def gen_inbound(self, s, t, events):
        rng = self.rng
        res = s["res"]
        country = s["countries"][0] if rng.random() < 0.9 else pick(rng, s["countries"], s["country_cw"])
        cid = correlation_id(rng)
        if rng.random() < 0.3:
            _, word, desc = pick(rng, KEYWORDS, self.kw_cw)
            length = len(word)
        else:
            desc, length = "", max(1, min(600, int(rng.lognormvariate(3.2, 0.9))))
        self.emit(t, "smsoperational", res, self.sms_record(
            res, t, "SMSMessagesReceived", "2021-03-07", cid, "Succeeded", 200, desc,
            int(rng.lognormvariate(3.7, 0.4)), "", "Informational", {
                "URI": INBOUND_URI,
                "OutgoingMessageLength": 0,
                "IncomingMessageLength": length,
                "DeliveryAttempts": 0,
                "PhoneNumber": s["number"],
                "NumberType": s["ntype"],
                "SdkType": "",
                "PlatformType": "",
                "Method": "POST",
                "MessageId": f"Incoming_{self.clock.stamp14(t)}{guid(rng)}",
                "Country": country,
            }), events)
        tu = t + int(rng.lognormvariate(13.1, 0.5))
        qty = 1 if length <= 160 else -(-length // 153)
        self.emit(tu, "usage", res, self.usage_record(res, tu, cid, qty, s, country, "Incoming"), events)

    def gen_optout(self, s, t, events):
        rng = self.rng
        res = s["res"]
        ip, sdk, platform, _ = pick(rng, res["clients"], res["client_cw"])
        _, op, action = pick(rng, OPTOUT_OPS, self.optout_cw)
        version = "2024-12-10-preview"
        self.emit(t, "smsoperational", res, self.sms_record(
            res, t, op, version, correlation_id(rng), "Succeeded", 200, "",
            int(rng.lognormvariate(4.3, 0.4)), ip, "Informational", {
                "URI": f"https://{res['host']}.communication.azure.com/sms/optouts:{action}?api-version={version}",
                "OutgoingMessageLength": 0,
                "IncomingMessageLength": 0,
                "DeliveryAttempts": 0,
                "PhoneNumber": s["number"],
                "NumberType": s["ntype"],
                "SdkType": sdk,
                "PlatformType": platform,
                "Method": "POST",
                "MessageId": "",
                "Country": pick(rng, s["countries"], s["country_cw"]),
            }), events)

    # -- output --------------------------------------------------------------
    def write_hour(self, h: int, buckets: dict):
        res_by_name = {r["name"]: r for r in self.world.resources}
        for key in sorted(buckets):
            category, name, _ = key
            evs = buckets[key]
            evs.sort(key=lambda e: e[2])
            data = ("\n".join(e[3] for e in evs) + "\n").encode("utf-8")
            flat, gz = self.blob_kind(key)
            path = self.blob_path(category, res_by_name[name], h, gz)
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = gzip.compress(data, compresslevel=6, mtime=0) if gz else data
            path.write_bytes(payload)
            st = self.stats
            st["records"] += len(evs)
            st[category] += len(evs)
            st["blobs"] += 1
            st["gzip_blobs"] += gz
            st["flat_blobs"] += flat
            st["raw_bytes"] += len(data)
            st["file_bytes"] += len(payload)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=300_000, help="total records, both categories, approximately")
    p.add_argument("--out", required=True, help="export root to write (its insights-logs-* folders are replaced)")
    p.add_argument("--hours", type=int, default=24, help="number of hourly blobs per resource and category")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--gzip-fraction", type=float, default=0.3, help="share of blobs written as PT1H.json.gz")
    p.add_argument("--flat-fraction", type=float, default=0.03,
                   help="share of blobs in the flat PascalCase (Log Analytics) shape")
    p.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 10, 1),
                   help="first day (UTC), YYYY-MM-DD")
    args = p.parse_args(argv)
    if args.records < 1 or args.hours < 1:
        p.error("--records and --hours must be positive")
    return args


def generator_digest() -> str:
    """Identifies this script's version, so that a changed generator invalidates old exports."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def params_of(args) -> dict:
    return {"generator": generator_digest(), "records": args.records, "hours": args.hours, "seed": args.seed,
            "gzip_fraction": args.gzip_fraction, "flat_fraction": args.flat_fraction,
            "start": args.start.isoformat()}


def main(argv=None):
    args = parse_args(argv)
    t0 = time.monotonic()
    gen = Generator(args)
    st = gen.run()
    w = gen.world
    summary = {
        "records": st["records"], "smsoperational_records": st["smsoperational"], "usage_records": st["usage"],
        "blobs": st["blobs"], "gzip_blobs": st["gzip_blobs"], "flat_blobs": st["flat_blobs"],
        "raw_bytes": st["raw_bytes"], "file_bytes": st["file_bytes"],
        "resources": [r["name"] for r in w.resources], "senders": len(w.senders),
        "seconds": round(time.monotonic() - t0, 2),
    }
    (Path(args.out) / "generate_export.params").write_text(
        json.dumps({"params": params_of(args), "summary": summary}, indent=2) + "\n", encoding="utf-8")
    print(f"records={summary['records']} blobs={summary['blobs']} (gzip {summary['gzip_blobs']}, "
          f"flat {summary['flat_blobs']}) raw_bytes={summary['raw_bytes']} file_bytes={summary['file_bytes']} "
          f"resources={len(w.resources)} senders={len(w.senders)} seconds={summary['seconds']}")


if __name__ == "__main__":
    main()
