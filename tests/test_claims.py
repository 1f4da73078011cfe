"""hotline.claims: figures read from report text and checked against the data.

Expected values come from the data (``metrics.headline`` of a hand-built county, or of the
sample county for the real report), never from the published figures typed in again.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import cn2an
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import shared_path
from hotline import load, metrics
from hotline.claims import (
    Claim,
    bound,
    check_claims,
    exit_code,
    extract_statements,
    find_figures,
    parse_number,
    read_report_text,
    render_json,
    render_text,
    report_year,
    run_check_claims,
)
from hotline.errors import DatasetError, HotlineError, InputError
from orders import frame

# ---------------------------------------------------------------------------------------------
# A hand-built county: 1200 hotline orders (1150 closed, 1000 of them evaluated, 950 satisfied)
# and 60 online messages (55 closed, none evaluated).

HOTLINE, HOTLINE_CLOSED, EVALUATED, SATISFIED = 1200, 1150, 1000, 950
ONLINE, ONLINE_CLOSED = 60, 55


def _orders(kind: str, total: int, closed: int, evaluated: int = 0, satisfied: int = 0) -> list:
    rows = []
    for i in range(total):
        done = i < closed
        rating = None
        if i < evaluated:
            rating = "satisfied" if i < satisfied else "dissatisfied"
        rows.append(
            {
                "order_id": f"{kind[0].upper()}{i}",
                "source_kind": kind,
                "received_at": "2021-03-01 09:00",
                "dispatched_at": "2021-03-01 10:00",
                "closed_at": "2021-03-02 10:00" if done else None,
                "status": "closed" if done else "dispatched",
                "satisfaction": rating,
            }
        )
    return rows


@pytest.fixture(scope="module")
def county() -> pd.DataFrame:
    return frame(
        _orders("hotline", HOTLINE, HOTLINE_CLOSED, EVALUATED, SATISFIED)
        + _orders("online", ONLINE, ONLINE_CLOSED)
    )


@pytest.fixture(scope="module")
def head(county: pd.DataFrame) -> dict[str, dict]:
    """accepted, closed and closure rate (percent) per source kind and in total."""
    table = metrics.headline(county)
    return {
        kind: {
            "accepted": int(row["accepted"]),
            "closed": int(row["closed"]),
            "rate": row["closure_rate"].value * 100,
        }
        for kind, row in table.iterrows()
    }


def _about(claims: list[Claim]) -> list[Claim]:
    return [c for c in claims if c.statement.about_hotline]


def _full_width(text: str) -> str:
    return text.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789.%"})


# ---------------------------------------------------------------------------------------------
# Numbers as reports write them


@pytest.mark.parametrize(
    ("text", "value", "step", "percent"),
    [
        ("9268 件", "9268", "1", False),
        ("9 383", "9383", "1", False),
        ("9 383 件", "9383", "1", False),
        ("9,383件", "9383", "1", False),
        ("１２,３４５件", "12345", "1", False),
        ("９３８３件", "9383", "1", False),
        ("1.1万", "11000", "1000", False),
        ("１.１万次", "11000", "1000", False),
        ("1.1 万次", "11000", "1000", False),
        ("10万件", "100000", "10000", False),
        ("2.5亿元", "250000000", "10000000", False),
        ("九千三百八十三", "9383", "1", False),
        ("九千三百八十三件", "9383", "1", False),
        ("两万", "20000", "10000", False),
        ("两万三千件", "23000", "1000", False),
        ("一万零五件", "10005", "1", False),
        ("十万件", "100000", "10000", False),
        ("一点一万件", "11000", "1000", False),
        ("三百件", "300", "1", False),
        ("95%", "95", "1", True),
        ("95％", "95", "1", True),
        ("95 %", "95", "1", True),
        ("９５％", "95", "1", True),
        ("98.8%", "98.8", "0.1", True),
        ("98.77%", "98.77", "0.01", True),
        ("百分之九十五", "95", "1", True),
        ("百分之九十五点五", "95.5", "0.1", True),
        ("百分之95", "95", "1", True),
        ("100余场次", "100", "1", False),
        ("5万余份", "50000", "10000", False),
    ],
)
def test_parse_number(text: str, value: str, step: str, percent: bool) -> None:
    number = parse_number(text)
    assert (number.value, number.step, number.percent) == (Decimal(value), Decimal(step), percent)


@pytest.mark.parametrize(
    ("text", "more"), [("100余场次", True), ("三十多件", True), ("30件", False)]
)
def test_more_than_marker(text: str, more: bool) -> None:
    assert parse_number(text).more is more


@pytest.mark.parametrize("text", ["", "件", "abc", "百分之", "9383件件", "万"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "12345政务服务便民热线",  # a phone number
        "2021年12月31日",  # a date
        "一是深入推进简政放权",  # an ordinal
        "召开第三次会议",  # 第 makes an ordinal
        "建设一个平台",  # 一个: an article
        "万家灯火",  # 万 alone is no number
        "十万火急",  # nor a numeral without a unit
        "DB21/T 1234",  # a standard's number
    ],
)
def test_bare_numbers_are_not_figures(text: str) -> None:
    assert find_figures(text) == []


def _spaced(n: int) -> str:
    return f"{n:,}".replace(",", " ")


FORMATS: dict[str, Callable[[int], str]] = {
    "arabic": str,
    "full-width": lambda n: _full_width(str(n)),
    "chinese": lambda n: cn2an.an2cn(n),
    "spaces": _spaced,
    "thousands": lambda n: f"{n:,}",
    "with unit": lambda n: f"{_spaced(n)} 件",
}


@pytest.mark.parametrize("style", FORMATS)
@given(n=st.integers(min_value=0, max_value=10**12))
def test_integer_round_trip(style: str, n: int) -> None:
    assert parse_number(FORMATS[style](n)).value == n


@given(n=st.integers(min_value=1, max_value=10**9))
def test_plain_count_allows_exactly_itself(n: int) -> None:
    allowed = bound(parse_number(f"{n}件"), "exact")
    assert allowed.contains(n) and not allowed.contains(n - 1) and not allowed.contains(n + 1)


@given(
    whole=st.integers(min_value=0, max_value=99),
    tenths=st.integers(min_value=0, max_value=9),
)
def test_stated_percentage_allows_what_rounds_to_it(whole: int, tenths: int) -> None:
    stated = Fraction(whole) + Fraction(tenths, 10)
    allowed = bound(parse_number(f"{whole}.{tenths}%"), "exact")
    low, high = stated - Fraction(5, 100), stated + Fraction(5, 100)
    assert allowed.contains(low) and not allowed.contains(high)
    assert not allowed.contains(low - Fraction(1, 1000))


# ---------------------------------------------------------------------------------------------
# Reading sentences


def _readings(text: str) -> list[tuple]:
    return [
        (s.figure.text, s.subject, s.measure, s.qualifier)
        for s in extract_statements(text)
        if s.about_hotline
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "受理群众话务诉求9383件,办结9268件;受理网络投诉192件,办结182件。",
            [
                ("9383件", "hotline", "accepted", "exact"),
                ("9268件", "hotline", "closed", "exact"),
                ("192件", "online", "accepted", "exact"),
                ("182件", "online", "closed", "exact"),
            ],
        ),
        (
            "12345便民热线受理诉求案件办结率达到95%。",
            [("95%", "unspecified", "closure_rate", "at_least")],
        ),
        ("热线受理诉求超过9000件。", [("9000件", "unspecified", "accepted", "more_than")]),
        ("热线受理诉求逾9000件。", [("9000件", "unspecified", "accepted", "more_than")]),
        ("热线受理诉求9000余件。", [("9000余件", "unspecified", "accepted", "more_than")]),
        ("热线受理诉求9000件以上。", [("9000件", "unspecified", "accepted", "at_least")]),
        ("热线受理诉求不少于9000件。", [("9000件", "unspecified", "accepted", "at_least")]),
        ("热线办结率不到90%。", [("90%", "unspecified", "closure_rate", "less_than")]),
        ("热线办结率不足90%。", [("90%", "unspecified", "closure_rate", "less_than")]),
        ("热线办结率低于90%。", [("90%", "unspecified", "closure_rate", "less_than")]),
        ("热线办结率在90%以下。", [("90%", "unspecified", "closure_rate", "at_most")]),
        ("热线受理诉求约9400件。", [("9400件", "unspecified", "accepted", "approximately")]),
        ("热线受理诉求近1万件。", [("1万件", "unspecified", "accepted", "approximately")]),
        ("热线受理诉求9400件左右。", [("9400件", "unspecified", "accepted", "approximately")]),
        ("热线受理诉求接近两万件。", [("两万件", "unspecified", "accepted", "approximately")]),
        ("热线办结率高达98%。", [("98%", "unspecified", "closure_rate", "exact")]),
        ("热线受理话务和网络投诉共9575件。", [("9575件", "total", "accepted", "exact")]),
        ("热线受理9383件话务诉求。", [("9383件", "hotline", "accepted", "exact")]),
        (
            "热线受理话务诉求9383件、网络投诉192件,办结率分别为98.77%、94.79%。",
            [
                ("9383件", "hotline", "accepted", "exact"),
                ("192件", "online", "accepted", "exact"),
                ("98.77%", "hotline", "closure_rate", "exact"),
                ("94.79%", "online", "closure_rate", "exact"),
            ],
        ),
        (
            "热线办结9268件,占受理量的98.77%。",
            [
                ("9268件", "unspecified", "closed", "exact"),
                ("98.77%", "unspecified", "closure_rate", "exact"),
            ],
        ),
        ("热线办结率同比提高2个百分点。", [("2个百分点", "unspecified", "closure_rate", "change")]),
        ("热线满意率百分之九十。", [("百分之九十", "unspecified", "satisfaction_rate", "exact")]),
        ("热线接通率98%。", [("98%", "unspecified", "connection_rate", "exact")]),
        # OCR slips: 平合 for 平台, 活务 for 话务
        ("12345热线平合受理群众活务诉求9383件。", [("9383件", "hotline", "accepted", "exact")]),
        ("2021年以来热线受理诉求9383件。", [("9383件", "unspecified", "accepted", "exact")]),
        # a bracket closed before a figure is an aside: its subject is its own figures' only
        (
            "热线受理诉求9575件(其中网络投诉192件),办结率98.69%。",
            [
                ("9575件", "unspecified", "accepted", "exact"),
                ("192件", "online", "accepted", "exact"),
                ("98.69%", "unspecified", "closure_rate", "exact"),
            ],
        ),
        (
            "网络投诉受理192件(话务另计),办结率94.79%。",
            [
                ("192件", "online", "accepted", "exact"),
                ("94.79%", "online", "closure_rate", "exact"),
            ],
        ),
    ],
)
def test_sentences_read_as_claims(text: str, expected: list[tuple]) -> None:
    assert _readings(text) == expected


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("下放行政职权20 项,积极承接事项 866 项。", []),
        ("全年法律顾问参与诉讼 44件。", []),
        ("12348 法律咨询热线全天畅通,全年受理援助案件 224 件,受援人满意度高达 100%。", []),
        ("4148 法律咨询热线》全天畅通,全年受理援助案件 224 件。", []),
        ("办理人大代表议案建议 54件、政协提案64件,办复率、满意率均达 100%。", []),
        ("12345热线受理诉求9383件,涉及城乡建设等12个类别。", ["9383件"]),
        ("12345热线受理诉求9383件,全县建成25个驿站。", ["9383件"]),
    ],
)
def test_other_figures_are_not_about_the_hotline(text: str, about: list[str]) -> None:
    statements = extract_statements(text)
    assert len(statements) > len(about)
    assert [s.text for s in statements if s.about_hotline] == about


def test_quotes_are_verbatim_and_lines_counted() -> None:
    text = "第一行。\n12345热线平合受理话务诉求 ９３８３ 件。"
    [statement] = extract_statements(text)
    assert statement.line == 2
    assert statement.text == "９３８３ 件"
    assert statement.quote == "12345热线平合受理话务诉求 ９３８３ 件"  # the slip is kept in quotes


def test_quotes_never_repeat_a_phone_number() -> None:
    statements = extract_statements("12345热线受理话务诉求9383件(联系电话13812345678)。")
    assert statements and all("13812345678" not in s.quote for s in statements)


# ---------------------------------------------------------------------------------------------
# Verdicts on a hand-built county


def _rate(part: int, whole: int) -> float:
    return 100 * part / whole


VARIANTS: list[tuple[str, Callable[[dict], str], list[str], int]] = [
    (
        "the report's own sentence",
        lambda h: (
            f"12345热线受理群众话务诉求{h['hotline']['accepted']}件,办结{h['hotline']['closed']}件;"
            f"受理网络投诉{h['online']['accepted']}件,办结{h['online']['closed']}件。"
        ),
        ["consistent"] * 4,
        0,
    ),
    (
        "wrong hotline count",
        lambda h: (
            f"12345热线受理群众话务诉求{h['hotline']['accepted'] + 1}件,"
            f"办结{h['hotline']['closed']}件。"
        ),
        ["inconsistent", "consistent"],
        1,
    ),
    (
        "wrong online count",
        lambda h: (
            f"12345热线受理网络投诉{h['online']['accepted']}件,办结{h['online']['closed'] - 1}件。"
        ),
        ["consistent", "inconsistent"],
        1,
    ),
    (
        "约 within 5%",
        lambda h: f"12345热线受理话务诉求约{round(h['hotline']['accepted'] * 1.04)}件。",
        ["consistent"],
        0,
    ),
    (
        "约 beyond 5%",
        lambda h: f"12345热线受理话务诉求约{round(h['hotline']['accepted'] * 1.2)}件。",
        ["inconsistent"],
        1,
    ),
    (
        "超过 just below",
        lambda h: f"12345热线受理话务诉求超过{h['hotline']['accepted'] - 1}件。",
        ["consistent"],
        0,
    ),
    (
        "超过 is strict",
        lambda h: f"12345热线受理话务诉求超过{h['hotline']['accepted']}件。",
        ["inconsistent"],
        1,
    ),
    (
        "不低于 the value itself",
        lambda h: f"12345热线受理话务诉求不低于{h['hotline']['accepted']}件。",
        ["consistent"],
        0,
    ),
    (
        "不低于 one more",
        lambda h: f"12345热线受理话务诉求不低于{h['hotline']['accepted'] + 1}件。",
        ["inconsistent"],
        1,
    ),
    (
        "Chinese numerals",
        lambda h: (
            f"12345热线受理话务诉求{cn2an.an2cn(h['hotline']['accepted'])}件,"
            f"办结{cn2an.an2cn(h['hotline']['closed'])}件。"
        ),
        ["consistent", "consistent"],
        0,
    ),
    (
        "full-width digits",
        lambda h: _full_width(
            f"12345热线受理话务诉求{h['hotline']['accepted']}件,办结率{h['hotline']['rate']:.2f}%。"
        ),
        ["consistent", "consistent"],
        0,
    ),
    (
        "spaces in numbers",
        lambda h: f"12345热线受理话务诉求 {_spaced(h['hotline']['accepted'])} 件。",
        ["consistent"],
        0,
    ),
    (
        "万",
        lambda h: f"12345热线受理话务诉求{h['hotline']['accepted'] / 10000:g}万件。",
        ["consistent"],
        0,
    ),
    (
        "百分之 in Chinese",
        lambda h: f"12345热线办结率百分之{cn2an.an2cn(round(h['hotline']['rate']))}。",
        ["consistent"],
        0,
    ),
    (
        "约 rate within one point",
        lambda h: f"12345热线话务办结率约{h['hotline']['rate'] + 0.8:.1f}%。",
        ["consistent"],
        0,
    ),
    (
        "约 rate beyond one point",
        lambda h: f"12345热线话务办结率约{h['hotline']['rate'] + 1.5:.1f}%。",
        ["inconsistent"],
        1,
    ),
    (
        "rate one point off",
        lambda h: f"12345热线话务办结率{h['hotline']['rate'] + 1:.2f}%。",
        ["inconsistent"],
        1,
    ),
    (
        "不到 a rate below the data",
        lambda h: f"12345热线办结率不到{math.floor(h['hotline']['rate'])}%。",
        ["inconsistent"],
        1,
    ),
    (
        "combined count for an unnamed subject",
        lambda h: f"12345热线全年受理诉求{h['total']['accepted']}件。",
        ["consistent"],
        0,
    ),
    (
        "a measure the data does not hold",
        lambda h: "12345热线人工接通率98.5%,来电量12万通。",
        ["not_checkable", "not_checkable"],
        0,
    ),
    (
        "a change, not a level",
        lambda h: "12345热线办结率同比提高2个百分点。",
        ["not_checkable"],
        0,
    ),
    (
        "satisfaction of online messages, none evaluated",
        lambda h: "12345热线网络投诉满意率达到90%。",
        ["not_checkable"],
        0,
    ),
    (
        "a count the data holds no records for",
        lambda h: (
            f"12345热线受理网络投诉{h['online']['accepted']}件,回访{h['online']['closed']}件。"
        ),
        ["consistent", "not_checkable"],
        0,
    ),
    ("no claims", lambda h: "全年开展各类普法宣传100 余场次。", [], 0),
    ("non-hotline sentence with numbers", lambda h: "下放行政职权20 项,承接866 项。", [], 0),
]


@pytest.mark.parametrize(
    ("text_of", "verdicts", "code"),
    [pytest.param(t, v, c, id=name) for name, t, v, c in VARIANTS],
)
def test_variants(
    county: pd.DataFrame,
    head: dict,
    tmp_path: Path,
    text_of: Callable[[dict], str],
    verdicts: list[str],
    code: int,
) -> None:
    text = text_of(head)
    assert [c.verdict for c in _about(check_claims(text, county))] == verdicts
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    output, exit_code = run_check_claims(path, county)
    assert exit_code == code
    if not verdicts:
        assert "未发现关于12345热线的数字" in output


def test_computed_value_and_formula_come_from_the_data(county: pd.DataFrame, head: dict) -> None:
    hotline = head["hotline"]
    [claim] = check_claims(f"12345热线话务办结率{hotline['rate']:.2f}%。", county)
    assert claim.computed is not None
    assert (claim.computed.numerator, claim.computed.denominator) == (
        hotline["closed"],
        hotline["accepted"],
    )
    assert claim.computed.formula == (
        f"办结率 = 办结量 / 受理量 = {hotline['closed']} / {hotline['accepted']} = "
        f"{hotline['rate']:.2f}%"
    )


def test_lower_bound_far_below_the_data_is_understating(county: pd.DataFrame, head: dict) -> None:
    stated = math.floor(head["hotline"]["rate"]) - 3
    [claim] = check_claims(f"12345便民热线受理诉求案件办结率达到{stated}%。", county)
    assert claim.verdict == "consistent" and claim.understates
    assert claim.computed is not None and claim.combined is not None
    assert claim.computed.value == pytest.approx(head["hotline"]["rate"])
    assert claim.combined.value == pytest.approx(head["total"]["rate"])
    assert "偏保守" in claim.reason and f"{head['hotline']['rate']:.2f}%" in claim.reason


def test_close_lower_bound_is_not_understating(county: pd.DataFrame, head: dict) -> None:
    stated = math.floor(head["hotline"]["rate"])
    [claim] = check_claims(f"12345热线办结率达到{stated}%。", county)
    assert claim.verdict == "consistent" and not claim.understates


def test_satisfaction_uses_the_definitions(county: pd.DataFrame) -> None:
    expected = metrics.satisfaction_rate(county, source_kind="hotline")
    assert expected is not None
    [claim] = check_claims(f"12345热线话务满意率{expected.percent()}。", county, "strict")
    assert claim.definitions == "strict"
    strict = metrics.satisfaction_rate(county, "strict", source_kind="hotline")
    assert claim.computed is not None and strict is not None
    assert (claim.computed.numerator, claim.computed.denominator) == (
        strict.numerator,
        strict.denominator,
    )


def test_online_claim_without_online_data_is_not_checkable(county: pd.DataFrame) -> None:
    hotline_only = county[county["source_kind"] == "hotline"]
    [claim] = check_claims("12345热线受理网络投诉60件。", hotline_only)
    assert claim.verdict == "not_checkable" and "网络投诉" in claim.reason


def test_json_output_is_a_list_of_objects(county: pd.DataFrame, head: dict, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        f"12345热线受理话务诉求{head['hotline']['accepted'] + 2}件。下放职权20项。",
        encoding="utf-8",
    )
    output, code = run_check_claims(path, county, fmt="json")
    records = json.loads(output)
    assert code == 1
    assert [r["verdict"] for r in records] == ["inconsistent", "not_hotline"]
    assert records[0]["computed"]["value"] == head["hotline"]["accepted"]
    assert records[0]["stated"] == head["hotline"]["accepted"] + 2
    assert records[1]["quote"] == "下放职权20项"


# ---------------------------------------------------------------------------------------------
# Files


TEXT = "12345热线受理群众话务诉求{n}件。"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b""), ("utf-16", b"")],
)
def test_report_encodings(
    county: pd.DataFrame, head: dict, tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    text = TEXT.format(n=head["hotline"]["accepted"])
    path = tmp_path / "报告.txt"
    path.write_bytes(prefix + text.encode(encoding))
    assert read_report_text(path) == text
    output, code = run_check_claims(path, county)
    assert code == 0 and "相符" in output and "报告.txt" in output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot read"),  # no such file
        (bytes(range(256)) * 4, "encoding"),
        (b"12345\x00\x00\x00", "not a text file"),
    ],
)
def test_unreadable_reports_name_the_file(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    path = tmp_path / "坏文件.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=problem) as raised:
        run_check_claims(path, pd.DataFrame())
    assert str(raised.value).startswith("坏文件.txt:") and "\n" not in str(raised.value)


def test_a_folder_is_not_a_report(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_report_text(tmp_path)


def test_missing_dataset_is_reported_only_when_needed(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("下放职权20项。", encoding="utf-8")
    assert run_check_claims(path)[1] == 0  # nothing to check: the data is never opened
    path.write_text("12345热线受理话务诉求10件。", encoding="utf-8")
    with pytest.raises(DatasetError, match="no dataset"):
        run_check_claims(path)


@pytest.mark.parametrize(
    ("options", "message"),
    [({"fmt": "csv"}, "--format"), ({"definitions": "nowhere"}, "unknown preset")],
)
def test_bad_options(county: pd.DataFrame, tmp_path: Path, options: dict, message: str) -> None:
    path = tmp_path / "report.txt"
    path.write_text("12345热线受理话务诉求10件。", encoding="utf-8")
    with pytest.raises(HotlineError, match=message):
        run_check_claims(path, county, **options)


# ---------------------------------------------------------------------------------------------
# The real report against the sample county (reproduces its published figures)

REPORT = ("data", "reports", "tieling-county-2021-rule-of-law-government-report.txt")


@pytest.fixture(scope="module")
def real_report() -> Path:
    return shared_path(*REPORT)


@pytest.mark.slow
def test_real_report(real_report: Path, sample_county: tuple[Path, Path]) -> None:
    dataset = sample_county[1]
    table = metrics.headline(dataset)
    claims = check_claims(read_report_text(real_report), dataset)
    about = _about(claims)
    counts = {
        (c.statement.subject, c.statement.measure): c
        for c in about
        if c.statement.measure in ("accepted", "closed")
    }
    assert len(counts) == 4
    for kind in ("hotline", "online"):
        for measure in ("accepted", "closed"):
            claim = counts[(kind, measure)]
            assert claim.verdict == "consistent"
            assert claim.computed is not None
            assert claim.computed.value == table.loc[kind, measure]
    [rate] = [c for c in about if c.statement.measure == "closure_rate"]
    assert rate.statement.subject == "unspecified" and rate.statement.qualifier == "at_least"
    assert rate.verdict == "consistent" and rate.understates
    assert rate.computed is not None and rate.combined is not None
    assert rate.computed.value == pytest.approx(table.loc["hotline", "closure_rate"].value * 100)
    assert rate.combined.value == pytest.approx(table.loc["total", "closure_rate"].value * 100)
    assert len(about) == 5, [c.statement.quote for c in about]
    others = {c.statement.text for c in claims if c.verdict == "not_hotline"}
    assert {"866 项", "44件", "2264人次", "224 件", "1.1 万次"} <= others


@pytest.mark.slow
def test_real_report_command(real_report: Path, sample_county: tuple[Path, Path]) -> None:
    dataset = sample_county[1]
    table = metrics.headline(dataset)
    output, code = run_check_claims(real_report, dataset)
    assert code == 0
    hotline, total = table.loc["hotline", "closure_rate"], table.loc["total", "closure_rate"]
    formula = f"{hotline.numerator} / {hotline.denominator} = {hotline.percent()}"
    assert f"办结率 = 办结量 / 受理量 = {formula}" in output
    assert f"{total.numerator} / {total.denominator} = {total.percent()}" in output
    assert "偏保守" in output and "不符 0 个" in output
    records = json.loads(run_check_claims(real_report, dataset, fmt="json")[0])
    assert sum(r["about_hotline"] for r in records) == 5


@pytest.mark.slow
def test_engines_agree_on_the_real_report(
    real_report: Path, sample_county: tuple[Path, Path]
) -> None:
    text = read_report_text(real_report)
    dataset = sample_county[1]
    on_duckdb = [(c.verdict, c.computed) for c in check_claims(text, dataset)]
    on_pandas = [(c.verdict, c.computed) for c in check_claims(text, load(dataset))]
    assert on_duckdb == on_pandas


# ---------------------------------------------------------------------------------------------
# The period checked: one year per text, the data's coverage of it


@pytest.mark.parametrize(
    ("text", "year", "source"),
    [
        ("2021年,12345热线受理话务诉求10件。", 2021, "hotline"),
        ("同2020年相比,2021年12345热线受理话务诉求10件。", 2021, "hotline"),
        ("关于2021年法治政府建设情况的报告\n12345热线受理话务诉求10件。", 2021, "title"),
        ("二〇二一年度工作总结\n12345热线受理话务诉求10件。", 2021, "title"),
        ("2021年工作总结和2022年工作计划\n热线受理话务诉求10件。", 2021, "title"),
        ("2021年,我县稳中有进。12345热线受理话务诉求10件,较2020年增长5%。", 2021, "text"),
        ("2019年以来累计建成驿站3个。2021年,我县稳中有进。", 2021, "text"),
        ("截至2021年底,共有驿站3个。", 2021, "text"),
        ("１２３４５热线受理话务诉求10件。\n２０２１年。", 2021, "text"),  # full-width digits
        ("印发《法治政府建设实施纲要(2021-2025年)》。", None, None),  # a range's end
        ("较2020年增长5%;比2019年提高2个百分点。", None, None),  # comparisons only
        ("12345热线受理话务诉求10件。\n2022年7月4日", None, None),  # the signature's date
        ("12345热线受理话务诉求10件。", None, None),
        ("20210年,1990年代", None, None),  # not a year
    ],
)
def test_the_report_year_is_read_from_the_text(
    text: str, year: int | None, source: str | None
) -> None:
    found = report_year(text)
    got = (None, None) if found is None else (found.year, found.source)
    assert got == (year, source)


def _monthly(year: int, months: range, per_month: int, closed: int, day: int = 10) -> list:
    """``per_month`` hotline orders received on ``day`` of each month; ``closed`` of them closed."""
    return [
        {
            "order_id": f"{year}{month:02d}-{i}",
            "source_kind": "hotline",
            "received_at": f"{year}-{month:02d}-{day:02d} 09:00",
            "status": "closed" if i < closed else "dispatched",
        }
        for month in months
        for i in range(per_month)
    ]


def _days(first: str, count: int, closed: int) -> list:
    """One hotline order a day from ``first`` for ``count`` days; the first ``closed`` closed."""
    start = pd.Timestamp(first)
    return [
        {
            "order_id": f"day-{i}",
            "source_kind": "hotline",
            "received_at": str(start + pd.Timedelta(days=i, hours=9)),
            "status": "closed" if i < closed else "dispatched",
        }
        for i in range(count)
    ]


YEAR = range(1, 13)
#: Datasets by name, and their (accepted, closed) per year, counted from how they are built.
DATASETS: dict[str, Callable[[], list]] = {
    # 2021 in full (10 a month, 9 closed), with a few orders of December 2020 and January 2022
    "2021": lambda: (
        _monthly(2021, YEAR, 10, 9)
        + _monthly(2020, range(12, 13), 5, 5)
        + _monthly(2022, range(1, 2), 4, 0)
    ),
    "2019-2020": lambda: _monthly(2019, YEAR, 3, 3) + _monthly(2020, YEAR, 2, 1),
    "to 26 January 2020": lambda: _days("2020-01-01", 26, 20),
    "March to December 2021": lambda: _monthly(2021, range(3, 13), 4, 4),
}
FIGURES = {
    ("2021", 2021): (12 * 10, 12 * 9),
    ("2019-2020", 2019): (12 * 3, 12 * 3),
    ("2019-2020", 2020): (12 * 2, 12 * 1),
    ("to 26 January 2020", 2020): (26, 20),
    ("March to December 2021", 2021): (10 * 4, 10 * 4),
}


def _counts(accepted: int, closed: int, year: str = "") -> str:
    return f"{year}12345热线受理群众话务诉求{accepted}件,办结{closed}件。"


PERIODS: list[tuple] = [
    # id, text, dataset, year asked, year checked, status, why, verdicts, caveat, exit, strict
    (
        "text names 2021, data of 2021",
        _counts(*FIGURES[("2021", 2021)], "2021年,"),
        "2021",
        None,
        2021,
        "full",
        "文中热线表述所述年度",
        ["consistent"] * 2,
        "",
        (0, 0),
    ),
    (
        "text names 2021, data of 2019-2020 only",
        _counts(*FIGURES[("2021", 2021)], "2021年,"),
        "2019-2020",
        None,
        2021,
        "none",
        "文中热线表述所述年度",
        ["not_checkable"] * 2,
        "",
        (0, 1),
    ),
    (
        "no year named: the data's latest full year",
        _counts(*FIGURES[("2019-2020", 2020)]),
        "2019-2020",
        None,
        2020,
        "full",
        "取数据中最近的完整年度",
        ["consistent"] * 2,
        "",
        (0, 0),
    ),
    (
        "no year named: partial years around a full one are passed over",
        _counts(*FIGURES[("2021", 2021)]),
        "2021",
        None,
        2021,
        "full",
        "取数据中最近的完整年度",
        ["consistent"] * 2,
        "",
        (0, 0),
    ),
    (
        "the title names the year",
        "关于2020年12345热线工作情况的报告\n" + _counts(*FIGURES[("2019-2020", 2020)]),
        "2019-2020",
        None,
        2020,
        "full",
        "标题所述年度",
        ["consistent"] * 2,
        "",
        (0, 0),
    ),
    (
        "partial year: the data ends on 26 January",
        _counts(*FIGURES[("to 26 January 2020", 2020)], "2020年,"),
        "to 26 January 2020",
        None,
        2020,
        "partial",
        "文中热线表述所述年度",
        ["consistent"] * 2,
        "数据仅覆盖 2020-01-01 至 2020-01-26，非全年",
        (0, 1),
    ),
    (
        "partial year: the data starts in March, an annual figure does not fit",
        _counts(*FIGURES[("2021", 2021)], "2021年,"),
        "March to December 2021",
        None,
        2021,
        "partial",
        "文中热线表述所述年度",
        ["inconsistent"] * 2,
        "数据仅覆盖 2021-03-10 至 2021-12-10，非全年",
        (1, 1),
    ),
    (
        "an explicit year overrides the text",
        _counts(*FIGURES[("2019-2020", 2019)], "2021年,"),
        "2019-2020",
        2019,
        2019,
        "full",
        "指定年度；文中所述年度为 2021",
        ["consistent"] * 2,
        "",
        (0, 0),
    ),
    (
        "an explicit year the data lacks",
        _counts(*FIGURES[("2019-2020", 2019)]),
        "2019-2020",
        2018,
        2018,
        "none",
        "指定年度",
        ["not_checkable"] * 2,
        "",
        (0, 1),
    ),
]


@pytest.mark.parametrize(
    ("text", "dataset", "asked", "year", "status", "why", "verdicts", "caveat", "codes"),
    [pytest.param(*case[1:], id=case[0]) for case in PERIODS],
)
def test_claims_are_checked_against_one_year(
    tmp_path: Path,
    text: str,
    dataset: str,
    asked: int | None,
    year: int,
    status: str,
    why: str,
    verdicts: list[str],
    caveat: str,
    codes: tuple[int, int],
) -> None:
    data = frame(DATASETS[dataset]())
    every = check_claims(text, data, year=asked)
    claims = _about(every)
    assert [c.verdict for c in claims] == verdicts
    for claim in claims:
        assert claim.period is not None
        assert (claim.period.year, claim.period.status) == (year, status)
        assert claim.caveat == caveat
        if status == "none":
            assert claim.reason.startswith("数据不含该年度") and claim.computed is None
        else:
            expected = dict(zip(("accepted", "closed"), FIGURES[(dataset, year)], strict=True))
            assert claim.computed is not None
            assert claim.computed.value == expected[claim.statement.measure]
    path = tmp_path / "报告.txt"
    path.write_text(text, encoding="utf-8")
    output, code = run_check_claims(path, data, year=asked)
    assert f"核对年度：{year}（" in output and why in output
    assert (code, exit_code(every, strict=True)) == codes
    if status == "none":
        assert output.count("结论：无法核对：数据不含该年度") == len(verdicts)
    if caveat:
        assert output.count(f"（{caveat}）") == len(verdicts)
    records = json.loads(render_json(every))
    assert {(r["year"], r["coverage"], r["caveat"]) for r in records} == {
        (year, status, caveat or None)
    }


def test_a_month_missing_inside_the_year_is_named() -> None:
    data = frame(_monthly(2021, range(1, 7), 2, 2) + _monthly(2021, range(8, 13), 2, 2))
    [claim] = _about(check_claims("2021年,12345热线受理群众话务诉求22件。", data))
    assert claim.verdict == "consistent"
    assert claim.caveat == "数据仅覆盖 2021-01-10 至 2021-12-10，缺 7 月，非全年"


def test_claims_of_one_text_share_one_period() -> None:
    data = frame(DATASETS["2019-2020"]())
    text = "2020年,12345热线受理群众话务诉求24件,办结12件,办结率50%,较2019年下降。"
    claims = _about(check_claims(text, data))
    assert {c.period for c in claims} == {claims[0].period}
    rate = claims[2]
    assert rate.computed is not None
    assert (rate.computed.numerator, rate.computed.denominator) == FIGURES[("2019-2020", 2020)][
        ::-1
    ]


# ---------------------------------------------------------------------------------------------
# A figure the metrics leave missing (the export lacks what it needs) is not checkable

MISSING_TEXT = "2021年,12345热线受理群众话务诉求120件,办结108件,办结率90%。"


@pytest.mark.parametrize(
    ("counts", "rates", "attrs", "reasons"),
    [
        pytest.param(
            {"closed": pd.NA},
            {"closure_rate": math.nan},
            {},
            ["导出中没有计算办结量所需的信息", "导出中没有计算办结率所需的信息"],
            id="count NA, its rate NaN",
        ),
        pytest.param(
            {},
            {"closure_rate": math.nan},
            {},
            ["导出中没有计算办结量所需的信息", "导出中没有计算办结率所需的信息"],
            id="rate withheld though its counts are there: the count is no evidence either",
        ),
        pytest.param(
            {"closed": pd.NA},
            {"closure_rate": math.nan},
            {"unavailable": {"closure_rate": "导出中没有办理状态或答复信息"}},
            [
                "导出中没有办理状态或答复信息，无法计算办结量",
                "导出中没有办理状态或答复信息，无法计算办结率",
            ],
            id="the metrics' reason is quoted",
        ),
    ],
)
def test_missing_figures_are_not_checkable(
    monkeypatch: pytest.MonkeyPatch, counts: dict, rates: dict, attrs: dict, reasons: list[str]
) -> None:
    from hotline.claims import check as check_module

    real = check_module.summary

    def lacking(*args, **kwargs) -> pd.DataFrame:
        table = real(*args, **kwargs)
        for column in counts:
            table[column] = pd.array([pd.NA] * len(table), dtype="Int64")
        for column, value in rates.items():
            table[column] = value
        table.attrs.update(attrs)
        return table

    monkeypatch.setattr(check_module, "summary", lacking)
    claims = _about(check_claims(MISSING_TEXT, frame(DATASETS["2021"]())))
    assert [c.verdict for c in claims] == ["consistent", "not_checkable", "not_checkable"]
    assert [c.reason for c in claims[1:]] == reasons
    assert all(c.computed is None for c in claims[1:])
    rendered = render_text(claims)
    assert all(f"结论：无法核对：{r}" in rendered for r in reasons) and "不符 0 个" in rendered


def test_messages_without_status_are_not_checkable_for_closure() -> None:
    rows = [
        {"order_id": f"W{i}", "source_kind": "online", "received_at": f"2021-{m:02d}-05 09:00"}
        for i, m in enumerate(YEAR)
    ]
    claims = _about(check_claims("2021年,12345热线受理网络投诉12件,办结12件。", frame(rows)))
    assert [c.verdict for c in claims] == ["consistent", "not_checkable"]
    assert "导出中没有" in claims[1].reason


# ---------------------------------------------------------------------------------------------
# The command on an ingested dataset of other years


@pytest.mark.parametrize(
    ("options", "code", "expected"),
    [
        ([], 0, ["核对年度：2021（文中热线表述所述年度）", "结论：无法核对：数据不含该年度"]),
        (["--strict"], 1, ["结论：无法核对：数据不含该年度"]),
        (["--year", "2020"], 0, ["核对年度：2020（指定年度；文中所述年度为 2021）", "结论：相符"]),
        (["--year", "2020", "--strict"], 0, ["数据覆盖：2020 年全年"]),
    ],
)
def test_command_checks_the_year_of_the_report(
    years_2019_2020: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    code: int,
    expected: list[str],
) -> None:
    from hotline.cli import main

    report = tmp_path / "报告.txt"
    report.write_text("2021年,12345热线受理群众话务诉求12件,办结12件。", encoding="utf-8")
    assert main(["check-claims", str(report), str(years_2019_2020), *options]) == code
    output = capsys.readouterr().out
    assert all(line in output for line in expected), output
    assert "结论：不符" not in output
