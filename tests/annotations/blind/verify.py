#!/usr/bin/env python3
"""Check the blind evaluation set (stdlib only).

Usage: python3 verify.py [set_dir]      (default: the directory of this file)

Checks, per article/gold pair:
  * every figure span occurs in the article; `occurrence` (1-based, counted over all
    matches found by scanning str.find from the previous match + 1) exists; a span that
    occurs more than once without `occurrence` means the first match
  * figures are in text order (strictly increasing start offsets) and do not overlap
  * qualifier, category and event come from ANNOTATION.md
  * low/high are integers with low <= high (low == high unless range/vague; range low < high)
  * vague quantities use the convention's table (plus the set's documented extensions)
  * event_date is an ISO day (YYYY-MM-DD) or null, null when event is null, and not after
    the publication date
  * doc.title is a line of the article (after removing a known prefix: 'UPDATE n-',
    'BREAKING: ', 'Subject: ') or null; published_date is ISO or null and agrees with a
    sidecar year; agencies is a list
  * non_figures, boilerplate and dates keys are substrings of the article; dates values are ISO
  * 1.2-3.5 KB per article and 5-14 figures per article
Prints a summary (figures per event class and per category) and exits 1 on any error.
"""

import collections
import datetime
import glob
import json
import os
import re
import sys

QUALIFIERS = {"exact", "approx", "at_least", "at_most", "range", "vague"}
CATEGORIES = {"combatants", "civilians", "people", "troops", "vehicles", "other"}
EVENTS = {
    "kill",
    "injure",
    "missing",
    "rescue",
    "flee",
    "evacuate",
    "return",
    "remain",
    "surrender",
    "detain",
    "release",
    "repatriate",
    "affect",
    "deploy",
    "withdraw",
    "other",
}
DOC_KEYS = {"title", "published_date", "outlet", "agencies", "dateline"}
FIG_KEYS = {
    "span",
    "low",
    "high",
    "qualifier",
    "entity",
    "category",
    "event",
    "required",
    "event_date",
}

# Convention table (ANNOTATION.md) in match order (longest phrase first), then the set's
# documented extensions (README.md, "Convention questions"): several dozen -> dozens,
# a few hundred -> hundreds.
VAGUE = [
    ("hundreds of thousands", (100000, 999999)),
    ("tens of thousands", (10000, 99999)),
    ("several thousand", (1000, 9999)),
    ("thousands", (1000, 9999)),
    ("several hundred", (100, 999)),
    ("a few hundred", (100, 999)),  # extension
    ("hundreds", (100, 999)),
    ("several dozen", (12, 99)),  # extension
    ("scores of", (40, 99)),
    ("dozens", (12, 99)),
    ("a handful", (3, 9)),
    ("millions", (1000000, 9999999)),
]
TITLE_PREFIX = re.compile(r"^(UPDATE \d+-|BREAKING: |Subject: )")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_ok(s):
    if not isinstance(s, str) or not ISO.match(s):
        return False
    try:
        datetime.date.fromisoformat(s)
        return True
    except ValueError:
        return False


def matches(text, span):
    out, i = [], text.find(span)
    while i != -1:
        out.append(i)
        i = text.find(span, i + 1)
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    art_dir, gold_dir = os.path.join(root, "articles"), os.path.join(root, "gold")
    errors, warnings = [], []
    ev_count, cat_count, qual_count = (
        collections.Counter(),
        collections.Counter(),
        collections.Counter(),
    )
    ev_docs = collections.defaultdict(set)
    n_fig = n_req = 0
    arts = sorted(glob.glob(os.path.join(art_dir, "*.txt")))
    golds = sorted(glob.glob(os.path.join(gold_dir, "*.json")))
    a_names = {os.path.basename(p)[:-4] for p in arts}
    g_names = {os.path.basename(p)[:-5] for p in golds}
    for n in sorted(a_names - g_names):
        errors.append(f"{n}: article without gold")
    for n in sorted(g_names - a_names):
        errors.append(f"{n}: gold without article")
    for m in glob.glob(os.path.join(art_dir, "*.meta.json")):
        n = os.path.basename(m)[:-10]
        if n not in a_names:
            errors.append(f"{n}: sidecar without article")

    sidecars = nodate = 0
    for name in sorted(a_names & g_names):

        def E(msg: str, name: str = name) -> None:
            errors.append(f"{name}: {msg}")

        with open(os.path.join(art_dir, name + ".txt"), "rb") as handle:
            raw = handle.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            E("article is not UTF-8")
            continue
        if not 1200 <= len(raw) <= 3500:
            E(f"article size {len(raw)} bytes outside 1.2-3.5 KB")
        try:
            with open(os.path.join(gold_dir, name + ".json"), encoding="utf-8") as handle:
                gold = json.load(handle)
        except ValueError as e:
            E(f"gold is not valid JSON: {e}")
            continue
        for key in ("doc", "figures", "non_figures", "boilerplate", "dates", "notes"):
            if key not in gold:
                E(f"gold lacks '{key}'")
        doc = gold.get("doc", {})
        if set(doc) != DOC_KEYS:
            E(f"doc keys {sorted(doc)} != {sorted(DOC_KEYS)}")
        # --- doc ---
        title = doc.get("title")
        if title is not None:
            lines = [ln.strip() for ln in text.splitlines()]
            ok = title in lines or any(
                TITLE_PREFIX.sub("", ln, count=1) == title for ln in lines if TITLE_PREFIX.match(ln)
            )
            if not ok:
                E(f"title is not a line of the article: {title!r}")
        pub = doc.get("published_date")
        if pub is not None and not iso_ok(pub):
            E(f"published_date not ISO: {pub!r}")
        if pub is None:
            nodate += 1
        meta_path = os.path.join(art_dir, name + ".meta.json")
        if os.path.exists(meta_path):
            sidecars += 1
            with open(meta_path, encoding="utf-8") as handle:
                meta = json.load(handle)
            if set(meta) != {"year"} or not isinstance(meta["year"], int):
                E(f'sidecar must be exactly {{"year": YYYY}}: {meta}')
            elif pub is None or int(pub[:4]) != meta["year"]:
                E(f"published_date {pub} disagrees with sidecar year {meta.get('year')}")
        if not isinstance(doc.get("agencies"), list):
            E("agencies must be a list")
        for fld in ("outlet", "dateline"):
            if doc.get(fld) is not None and not isinstance(doc.get(fld), str):
                E(f"{fld} must be a string or null")
        # --- figures ---
        figs = gold.get("figures", [])
        if not 5 <= len(figs) <= 14:
            E(f"{len(figs)} figures (expected 5-14)")
        prev_end, prev_start = -1, -1
        for i, f in enumerate(figs):
            tag = f"figure {i + 1} {f.get('span')!r}"
            missing = FIG_KEYS - set(f)
            extra = set(f) - FIG_KEYS - {"occurrence"}
            if missing:
                E(f"{tag}: missing keys {sorted(missing)}")
                continue
            if extra:
                E(f"{tag}: unknown keys {sorted(extra)}")
            span = f["span"]
            m = matches(text, span)
            if not m:
                E(f"{tag}: span not in article")
                continue
            occ = f.get("occurrence", 1)
            if "occurrence" in f and (not isinstance(occ, int) or occ < 2):
                E(f"{tag}: occurrence must be an int >= 2 when given")
            if occ > len(m):
                E(f"{tag}: occurrence {occ} but span occurs {len(m)} time(s)")
                continue
            start = m[occ - 1]
            if start <= prev_start:
                E(f"{tag}: not in text order")
            elif start < prev_end:
                E(f"{tag}: overlaps the previous figure")
            prev_start, prev_end = start, start + len(span)
            q, cat, ev = f["qualifier"], f["category"], f["event"]
            if q not in QUALIFIERS:
                E(f"{tag}: bad qualifier {q!r}")
            if cat not in CATEGORIES:
                E(f"{tag}: bad category {cat!r}")
            if ev is not None and ev not in EVENTS:
                E(f"{tag}: bad event {ev!r}")
            lo, hi = f["low"], f["high"]
            if (
                not (isinstance(lo, int) and isinstance(hi, int))
                or isinstance(lo, bool)
                or isinstance(hi, bool)
            ):
                E(f"{tag}: low/high must be integers")
                continue
            if lo > hi:
                E(f"{tag}: low > high")
            if q in ("exact", "approx", "at_least", "at_most") and lo != hi:
                E(f"{tag}: {q} needs low == high")
            if q == "range" and not lo < hi:
                E(f"{tag}: range needs low < high")
            low_span = span.lower()
            hit = next(((w, r) for w, r in VAGUE if w in low_span), None)
            if q == "vague":
                if hit is None:
                    E(f"{tag}: vague but no vague word from the table")
                elif (lo, hi) != hit[1]:
                    E(f"{tag}: vague {hit[0]!r} must be {hit[1]}, got {(lo, hi)}")
            elif hit is not None and not re.search(r"\d", span):
                E(f"{tag}: contains vague word {hit[0]!r} but qualifier is {q}")
            if not isinstance(f["required"], bool):
                E(f"{tag}: required must be boolean")
            elif f["required"] != (cat != "other"):
                warnings.append(f"{name}: {tag}: required={f['required']} with category {cat}")
            if not isinstance(f["entity"], str) or not f["entity"]:
                E(f"{tag}: entity must be a non-empty string")
            ed = f["event_date"]
            if ed is not None:
                if not iso_ok(ed):
                    E(f"{tag}: event_date not ISO day: {ed!r}")
                elif ev is None:
                    E(f"{tag}: event_date set but event is null")
                elif pub is not None and ed > pub:
                    E(f"{tag}: event_date {ed} after published_date {pub}")
            n_fig += 1
            n_req += f["required"] is True
            ev_count[ev or "null"] += 1
            cat_count[cat] += 1
            qual_count[q] += 1
            ev_docs[ev or "null"].add(name)
        # --- other lists ---
        for s in gold.get("non_figures", []):
            if s not in text:
                E(f"non_figure not in article: {s!r}")
        for s in gold.get("boilerplate", []):
            if s not in text:
                E(f"boilerplate not in article: {s!r}")
        dates = gold.get("dates", {})
        if not isinstance(dates, dict):
            E("dates must be an object")
        else:
            for k, v in dates.items():
                if k not in text:
                    E(f"dates key not in article: {k!r}")
                if not iso_ok(v):
                    E(f"dates value not ISO: {k!r}: {v!r}")
        if not isinstance(gold.get("notes", ""), str):
            E("notes must be a string")

    print(
        f"articles: {len(a_names & g_names)}   figures: {n_fig} (required {n_req})   "
        f"sidecars: {sidecars}   no published_date: {nodate}"
    )
    print(
        "events:     "
        + ", ".join(
            f"{k} {ev_count[k]} ({len(ev_docs[k])} docs)" for k in [*sorted(EVENTS), "null"]
        )
    )
    print("categories: " + ", ".join(f"{k} {cat_count[k]}" for k in sorted(CATEGORIES)))
    print("qualifiers: " + ", ".join(f"{k} {qual_count[k]}" for k in sorted(QUALIFIERS)))
    for ev in sorted(EVENTS):
        if ev_count[ev] < 3:
            errors.append(f"event class {ev!r} appears {ev_count[ev]} time(s) (< 3)")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("FAILED" if errors else "OK")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
