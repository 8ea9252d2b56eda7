import json
from datetime import date

import pytest

from detente.errors import InputError
from detente.ingest import article_from_bytes, read_inputs
from detente.model import Article, Skip

PLAIN = "Officials in Lima said the two delegations met on Monday to discuss the border and trade."


def test_empty_binary_and_non_utf8_give_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 talks in Bogot\xe1 ended.".encode("latin-1"))
    (tmp_path / "good.txt").write_text(PLAIN)
    items = list(read_inputs([str(tmp_path)]))
    reasons = {i.input.split("/")[-1]: i.reason for i in items if isinstance(i, Skip)}
    assert "empty input" in reasons["empty.txt"]
    assert "binary data" in reasons["blob.txt"]
    assert "not UTF-8" in reasons["latin.txt"] and "iconv" in reasons["latin.txt"]
    good = [i for i in items if isinstance(i, Article)]
    assert len(good) == 1 and good[0].text == PLAIN


def test_missing_path_is_a_skip_not_a_crash(tmp_path):
    (item,) = list(read_inputs([str(tmp_path / "nope.txt")]))
    assert isinstance(item, Skip) and "no such file" in item.reason


def test_non_english_is_refused():
    text = (
        "La reunión entre los ministros de los dos países se celebró el martes en la capital, "
        "donde se discutieron las rutas comerciales y la frontera común entre ambas naciones."
    )
    with pytest.raises(InputError, match="English"):
        article_from_bytes(text.encode(), "es.txt")


def test_html_is_extracted():
    html = (
        "<html><head><title>Border talks</title></head><body><nav>Home | World</nav><article>"
        "<h1>Border talks resume</h1><p>"
        + PLAIN
        + "</p><p>"
        + PLAIN.replace("Monday", "Friday")
        + " The ministers agreed to meet again next month in the capital.</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    a = article_from_bytes(html.encode(), "page.html")
    assert "delegations met on Monday" in a.text
    assert "Copyright" not in a.text


def test_jsonl_records_keep_ids_and_dates(tmp_path):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "r1", "text": PLAIN, "published": "2021-02-03", "source": "Wire"}),
        "{not json",
        json.dumps({"id": "r3"}),
        json.dumps({"id": "r4", "text": PLAIN + " Later they signed.", "published": "yesterday"}),
    ]
    f.write_text("\n".join(lines) + "\n")
    items = list(read_inputs([str(f)], published=date(2020, 1, 1)))
    assert isinstance(items[0], Article) and items[0].id == "r1"
    assert items[0].published == date(2021, 2, 3) and items[0].source == "Wire"
    assert isinstance(items[1], Skip) and "not valid JSON" in items[1].reason and ":2" in items[1].input
    assert isinstance(items[2], Skip) and "no 'text' or 'html'" in items[2].reason
    assert isinstance(items[3], Skip) and "YYYY-MM-DD" in items[3].reason


def test_oversized_input_is_skipped(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text(PLAIN * 100)
    (item,) = list(read_inputs([str(f)], max_bytes=1000))
    assert isinstance(item, Skip) and "max_bytes" in item.reason


def test_same_text_same_hash_whatever_the_whitespace():
    a = Article.from_text(PLAIN)
    b = Article.from_text(PLAIN.replace(" ", "  "))
    assert a.content_hash == b.content_hash


def test_plain_text_headline_becomes_the_title(tmp_path):
    (tmp_path / "a.txt").write_text("Border talks resume\n\n" + PLAIN)
    (tmp_path / "b.txt").write_text(PLAIN + "\n\nMore text follows here.")
    a, b = list(read_inputs([str(tmp_path)]))
    assert a.title == "Border talks resume" and b.title is None
