"""Stored events out: JSONL, CSV, Parquet, PLOVER JSON and a GDELT-2.0-like TSV, for other tools to read."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import DetenteError
from .output import CSV_COLUMNS, flat

FORMATS = ("jsonl", "csv", "parquet", "plover", "gdelt")

# GDELT 2.0 event-table columns that apply to a detente event, in GDELT's names and order.
GDELT_COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)


def plover_record(rec: dict[str, Any]) -> dict[str, Any]:
    """An event in the PLOVER manual's JSON fields, with detente's evidence and certainty kept beside them."""
    src, tgt = rec["source"][:1], rec["target"][:1]
    place = rec.get("place") or {}
    return {
        "id": rec["id"],
        "date": rec["date"]["start"],
        "event_type": rec["plover"]["type"],
        "mode": rec["plover"]["mode"] or "",
        "context": rec["plover"]["context"],
        "source_actor": src[0]["country"] if src else "",
        "source_agent": src[0]["sectors"] if src else [],
        "source_text": src[0]["text"] if src else "",
        "target_actor": tgt[0]["country"] if tgt else "",
        "target_agent": tgt[0]["sectors"] if tgt else [],
        "target_text": tgt[0]["text"] if tgt else "",
        "event_text": rec["evidence"]["text"],
        "story_date": rec["article"]["published"],
        "publisher": rec["article"]["source"],
        "url": rec["article"]["url"],
        "location": {
            "name": place.get("name"),
            "country": place.get("country"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "geonameid": place.get("geonameid"),
        }
        if place
        else None,
        "cameo": rec["cameo"],
        "certainty": rec["certainty"],
        "date_precision": rec["date"]["precision"],
    }


def gdelt_row(rec: dict[str, Any], n: int) -> dict[str, Any]:
    start = (rec["date"]["start"] or "").replace("-", "")
    place = rec.get("place") or {}
    actors = [(rec["source"][:1] or [None])[0], (rec["target"][:1] or [None])[0]]

    def code(a: dict[str, Any] | None) -> str:
        return ((a.get("country") or "") + "".join(a.get("sectors") or [])[:3]) if a else ""

    row: dict[str, Any] = {
        "GLOBALEVENTID": n,
        "SQLDATE": start,
        "MonthYear": start[:6],
        "Year": start[:4],
        "IsRootEvent": 1,
        "EventCode": rec["cameo"],
        "EventBaseCode": rec["cameo"][:3],
        "EventRootCode": rec["cameo_root"],
        "QuadClass": rec["quad_class"],
        "GoldsteinScale": rec["goldstein"],
        "NumMentions": 1,
        "NumSources": 1,
        "NumArticles": 1,
        "ActionGeo_Type": (4 if place.get("lat") is not None else 1) if place else 0,
        "ActionGeo_FullName": place.get("name") or "",
        "ActionGeo_CountryCode": place.get("country") or "",
        "ActionGeo_Lat": place.get("lat") if place.get("lat") is not None else "",
        "ActionGeo_Long": place.get("lon") if place.get("lon") is not None else "",
        "ActionGeo_FeatureID": place.get("geonameid") or "",
        "DATEADDED": (rec["article"]["published"] or "").replace("-", ""),
        "SOURCEURL": rec["article"]["url"] or "",
    }
    for i, a in enumerate(actors, 1):
        row[f"Actor{i}Code"] = code(a)
        row[f"Actor{i}Name"] = (a or {}).get("name") or ""
        row[f"Actor{i}CountryCode"] = (a or {}).get("country") or ""
        row[f"Actor{i}Type1Code"] = ((a or {}).get("sectors") or [""])[0]
    return row


def export(records: Iterable[dict[str, Any]], fmt: str, out: str | Path) -> int:
    """Write records in `fmt` to `out`; returns how many were written."""
    if fmt not in FORMATS:
        raise DetenteError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    recs = list(records)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [
            {
                **{k: (str(v) if v is not None else None) for k, v in flat(r).items()},
                "record": json.dumps(r, ensure_ascii=False),
            }
            for r in recs
        ]
        pq.write_table(pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.string())}), path)
        return len(recs)
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "jsonl":
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
        elif fmt == "plover":
            json.dump([plover_record(r) for r in recs], fh, ensure_ascii=False, indent=1)
        elif fmt == "csv":
            writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(flat(r) for r in recs)
        else:
            writer = csv.DictWriter(fh, fieldnames=GDELT_COLUMNS, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            writer.writerows(gdelt_row(r, n) for n, r in enumerate(recs, 1))
    return len(recs)
