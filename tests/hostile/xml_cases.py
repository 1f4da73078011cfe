"""Open311 XML attacks: entity expansion, external entities, DTDs, deep and wide documents.

Each file is written here as text, exactly the shape of the attack. The XML reader refuses any
``<!DOCTYPE>`` before an entity is declared, streams the rest and checks the limits while it
reads; limits are lowered with ``--limit`` where a case only needs to cross one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hostile import Attack, Outcome

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
REQUEST = (
    "<request><service_request_id>{i}</service_request_id><status>open</status>"
    "<requested_datetime>2012-05-23T15:55:28-04:00</requested_datetime></request>\n"
)


def requests(n: int = 2, *, extra: str = "") -> str:
    """A GeoReport requests document of ``n`` requests, ``extra`` inside the last one."""
    body = "".join(REQUEST.format(i=i) for i in range(1, n + 1))
    if extra:
        body = body[: body.rindex("</request>")] + extra + "</request>\n"
    return f"{DECLARATION}<service_requests>\n{body}</service_requests>\n"


def billion_laughs() -> str:
    """Ten entities of ten references each: 10**9 "lol"s, 3 GB, from under 1 KB."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{k} "{f"&lol{k - 1};" * 10}">' for k in range(1, 10)
    ]
    return (
        f"{DECLARATION}<!DOCTYPE service_requests [\n{chr(10).join(entities)}\n]>\n"
        "<service_requests><request><service_request_id>&lol9;</service_request_id>"
        "</request></service_requests>\n"
    )


def _xml(name: str, text: Callable[[], str], *limits: str) -> Callable[[Path], list[str]]:
    def args(work: Path) -> list[str]:
        (work / name).write_text(text(), encoding="utf-8")
        flags = [part for setting in limits for part in ("--limit", setting)]
        return ["ingest", name, "--out", "out", *flags]

    return args


def _written(n: int) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        assert outcome.manifest("out")["totals"]["written"] == n

    return check


def _folder(work: Path) -> list[str]:
    folder = work / "exports"
    folder.mkdir()
    (folder / "a.xml").write_text(requests(3), encoding="utf-8")
    (folder / "b.json").write_text(
        '[{"service_request_id": "9", "status": "open", '
        '"requested_datetime": "2012-05-23T15:55:28-04:00"}]',
        encoding="utf-8",
    )
    return ["ingest", "exports", "--out", "out"]


REFUSED = r"refused: it can expand entities without bound or read other files"

CASES = [
    Attack(
        "xml-billion-laughs",
        _xml("laughs.xml", billion_laughs),
        status=2,
        message=r"laughs\.xml: a document type declaration \(<!DOCTYPE service_requests>\) "
        rf"at line 2, {REFUSED}; expected GeoReport XML without <!DOCTYPE> or entities$",
    ),
    Attack(
        "xml-external-entity",
        _xml(
            "xxe.xml",
            lambda: (
                f'{DECLARATION}<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                "<service_requests><request><description>&xxe;</description></request>"
                "</service_requests>"
            ),
        ),
        status=2,
        message=rf"xxe\.xml: a document type declaration \(<!DOCTYPE r>\) at line 2, {REFUSED}",
    ),
    Attack(
        "xml-external-dtd",
        _xml(
            "dtd.xml",
            lambda: (
                f'{DECLARATION}<!DOCTYPE service_requests SYSTEM "http://127.0.0.1:9/x.dtd">\n'
                + requests(1).removeprefix(DECLARATION)
            ),
        ),
        status=2,
        message=rf"dtd\.xml: a document type declaration \(<!DOCTYPE service_requests>\) "
        rf"at line 2, {REFUSED}",
    ),
    Attack(
        "xml-undefined-entity",
        _xml("entity.xml", lambda: requests(1, extra="<description>&xxe;</description>")),
        status=2,
        message=r"entity\.xml: not well-formed XML at line 3, column \d+: undefined entity; "
        r"expected a complete GeoReport v2 XML document$",
    ),
    Attack(
        "xml-nested-100000-deep",
        _xml(
            "deep.xml",
            lambda: requests(1, extra="<a>" * 100_000 + "</a>" * 100_000),
        ),
        status=2,
        message=r"deep\.xml, row 1: 65 levels of nesting or more, over the limit of 64; "
        r"to read it anyway: --limit json_depth=N",
    ),
    Attack(
        "xml-too-many-requests",
        _xml("many.xml", lambda: requests(30), "rows=20"),
        status=2,
        message=r"many\.xml: 21 records or more, over the limit of 20; "
        r"to read it anyway: --limit rows=N \(now 20\)$",
    ),
    Attack(
        "xml-5000-fields-in-one-request",
        _xml(
            "wide.xml",
            lambda: requests(1, extra="".join(f"<k{i}>v</k{i}>" for i in range(5000))),
        ),
        status=2,
        message=r"wide\.xml, row 1: 1,001 fields in one record or more, over the limit of "
        r"1,000; to read it anyway: --limit columns=N",
    ),
    Attack(
        "xml-fields-spread-over-requests",
        _xml(
            "sparse.xml",
            lambda: (
                f"{DECLARATION}<service_requests>"
                + "".join(
                    f"<request><service_request_id>{i}</service_request_id><k{i}>v</k{i}></request>"
                    for i in range(1, 60)
                )
                + "</service_requests>"
            ),
            "columns=50",
        ),
        status=2,
        message=r"sparse\.xml, row 50: 51 distinct fields in the records, over the limit of 50; "
        r"to read it anyway: --limit columns=N",
    ),
    Attack(
        "xml-long-field",
        _xml(
            "long.xml",
            lambda: requests(2, extra=f"<description>{'x' * 5000}</description>"),
            "field_chars=1000",
        ),
        status=2,
        message=r"long\.xml, row 2: 5,000 characters in <description>, over the limit of 1,000; "
        r"to read it anyway: --limit field_chars=N",
    ),
    Attack(
        "xml-over-size-limit",
        _xml("big.xml", lambda: requests(200), "json_bytes=4K"),
        status=2,
        message=r"big\.xml: [0-9,]+ bytes of XML, over the limit of 4 KiB; to read it anyway: "
        r"--limit json_bytes=N",
    ),
    Attack(
        "xml-truncated",
        _xml("cut.xml", lambda: requests(3)[:-60]),
        status=2,
        message=r"cut\.xml: not well-formed XML at line 5, column \d+: [a-z ]+ \(the file ends "
        r"before the document closes: cut short\?\); expected a complete GeoReport v2 XML",
    ),
    Attack(
        "xml-wrong-root",
        _xml("feed.xml", lambda: f'{DECLARATION}<feed xmlns="http://www.w3.org/2005/Atom"/>'),
        status=2,
        message=r"feed\.xml: XML whose root element is <feed>; expected <service_requests> or "
        r"<requests> \(GeoReport v2 requests\) or <services> \(its services\)$",
    ),
    Attack(
        "xml-open311-error-response",
        _xml(
            "errors.xml",
            lambda: (
                f"{DECLARATION}<errors><error><code>403</code>"
                "<description>Invalid api_key received</description></error></errors>"
            ),
        ),
        status=2,
        message=r"errors\.xml: an Open311 error response, not requests \(403: Invalid api_key "
        r"received\); expected the response of GET requests\.xml$",
    ),
    Attack(
        "xml-and-json-in-one-folder",
        _folder,
        status=0,
        check=_written(4),
    ),
]
