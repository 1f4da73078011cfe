"""Open311 GeoReport v2 XML reads exactly as its JSON form: real responses, spec examples, forms.

The XML of each case is written here from its JSON (or by hand from the GeoReport v2 spec), by a
serializer of this module's own, and the two forms must give the same dataset rows, the same
account and the same metrics. Hostile XML (entities, DTDs, limits) is in ``hostile/xml_cases``.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from hotline import ingest, metrics, read_export
from hotline.errors import InputError
from hotline.ingestion.limits import Limits
from hotline.ingestion.readers import open_source
from hotline.ingestion.readers.xml_records import xml_encoding
from hotline.profiles.draft import check_export

REAL = ("data", "real", "open311-georeport")
#: What names the file in an account: the rest of it must be the same for both forms.
NAMING = ("name", "path", "sha256", "size", "encoding")


def xml_value(value: object) -> str:
    """A JSON scalar as GeoReport XML writes it (a carriage return as a character reference)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value), {"\r": "&#13;"})


def georeport_xml(
    records: list[dict], root: str = "service_requests", item: str = "request"
) -> str:
    """GeoReport v2 XML of JSON records: one element per key, null as an empty element."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    for record in records:
        lines.append(f"  <{item}>")
        for key, value in record.items():
            lines.append(
                f"    <{key}/>" if value is None else f"    <{key}>{xml_value(value)}</{key}>"
            )
        lines.append(f"  </{item}>")
    lines.append(f"</{root}>")
    return "\n".join(lines) + "\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def same_rows(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """The same orders, whatever the file was called."""
    pd.testing.assert_frame_equal(
        left.drop(columns="source_file").reset_index(drop=True),
        right.drop(columns="source_file").reset_index(drop=True),
    )


def account(frame: pd.DataFrame) -> dict:
    return {k: v for k, v in frame.attrs["ingest"].items() if k not in NAMING}


def local_time(text: str, zone: dt.tzinfo) -> dt.datetime:
    """A W3C time with an offset, as a wall-clock time of ``zone`` (no tzinfo)."""
    return (
        dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(zone).replace(tzinfo=None)
    )


# --- (a) real GeoReport responses, as JSON and as the XML a server would send --------------------


@pytest.mark.parametrize("file", ["bloomington_requests.json", "service_requests.json"])
def test_a_real_response_reads_the_same_as_xml_and_json(tmp_path: Path, file: str) -> None:
    source = shared_path(*REAL, file)
    # Numbers as their digits in the file: a server writes those digits into its XML.
    records = json.loads(source.read_text("utf-8"), parse_float=str, parse_int=str)
    xml = write(tmp_path / "xml" / Path(file).with_suffix(".xml").name, georeport_xml(records))

    from_json = ingest([source], out=tmp_path / "from-json", progress=False)
    from_xml = ingest([xml], out=tmp_path / "from-xml", progress=False)

    assert from_xml.table.num_rows == len(records)
    assert from_xml.table.drop_columns("source_file").equals(
        from_json.table.drop_columns("source_file")
    )
    assert from_xml.manifest["totals"] == from_json.manifest["totals"]
    inputs = [
        {k: v for k, v in m["inputs"][0].items() if k not in NAMING}
        for m in (from_json.manifest, from_xml.manifest)
    ]
    assert inputs[0] == inputs[1]
    assert inputs[1]["profile"] == "open311"
    for definitions in ("default", "us311"):
        pd.testing.assert_frame_equal(
            metrics.summary(tmp_path / "from-xml", definitions=definitions),
            metrics.summary(tmp_path / "from-json", definitions=definitions),
        )
    statuses = pd.Series([r["status"] for r in records]).value_counts().to_dict()
    written = Counter(from_xml.table.column("status").to_pylist())
    assert written == {{"open": "received"}.get(k, k): n for k, n in statuses.items()}


# --- (b) the GeoReport v2 spec's own examples -----------------------------------------------------

SPEC_REQUESTS_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <status>closed</status>
    <status_notes>Duplicate request.</status_notes>
    <service_name>Sidewalk and Curb Issues</service_name>
    <service_code>006</service_code>
    <description></description>
    <agency_responsible></agency_responsible>
    <service_notice></service_notice>
    <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
    <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
    <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
    <address>8TH AVE and JUDAH ST</address>
    <address_id>545483</address_id>
    <zipcode>94122</zipcode>
    <lat>37.762221815</lat>
    <long>-122.4651145</long>
    <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
  </request>
  <request>
    <service_request_id>638349</service_request_id>
    <status>open</status>
    <status_notes></status_notes>
    <service_name>Sidewalk and Curb Issues</service_name>
    <service_code>006</service_code>
    <description></description>
    <agency_responsible></agency_responsible>
    <service_notice></service_notice>
    <requested_datetime>2010-04-19T06:37:38-08:00</requested_datetime>
    <updated_datetime>2010-04-19T06:37:38-08:00</updated_datetime>
    <expected_datetime>2010-04-19T06:37:38-08:00</expected_datetime>
    <address>8TH AVE and JUDAH ST</address>
    <address_id>545483</address_id>
    <zipcode>94122</zipcode>
    <lat>37.762221815</lat>
    <long>-122.4651145</long>
    <media_url>http://city.gov.s3.amazonaws.com/requests/media/638349.jpg</media_url>
  </request>
</service_requests>
"""

# The spec's JSON form of the same response.
SPEC_REQUESTS_JSON = """[
  {"service_request_id": 638344, "status": "closed", "status_notes": "Duplicate request.",
   "service_name": "Sidewalk and Curb Issues", "service_code": "006", "description": null,
   "agency_responsible": null, "service_notice": null,
   "requested_datetime": "2010-04-14T06:37:38-08:00",
   "updated_datetime": "2010-04-14T06:37:38-08:00",
   "expected_datetime": "2010-04-15T06:37:38-08:00", "address": "8TH AVE and JUDAH ST",
   "address_id": 545483, "zipcode": 94122, "lat": 37.762221815, "long": -122.4651145,
   "media_url": "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg "},
  {"service_request_id": 638349, "status": "open", "status_notes": null,
   "service_name": "Sidewalk and Curb Issues", "service_code": "006", "description": null,
   "agency_responsible": null, "service_notice": null,
   "requested_datetime": "2010-04-19T06:37:38-08:00",
   "updated_datetime": "2010-04-19T06:37:38-08:00",
   "expected_datetime": "2010-04-19T06:37:38-08:00", "address": "8TH AVE and JUDAH ST",
   "address_id": 545483, "zipcode": 94122, "lat": 37.762221815, "long": -122.4651145,
   "media_url": "http://city.gov.s3.amazonaws.com/requests/media/638349.jpg"}
]
"""

SPEC_SERVICES_XML = """<?xml version="1.0" encoding="utf-8"?>
<services>
  <service>
    <service_code>001</service_code>
    <service_name>Cans left out 24x7</service_name>
    <description>Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.</description>
    <metadata>true</metadata>
    <type>realtime</type>
    <keywords>lorem, ipsum, dolor</keywords>
    <group>sanitation</group>
  </service>
  <service>
    <service_code>002</service_code>
    <metadata>true</metadata>
    <type>realtime</type>
    <keywords>lorem, ipsum, dolor</keywords>
    <group>street</group>
    <service_name>Construction plate shifted</service_name>
    <description>Metal construction plate covering the street or sidewalk has been moved.</description>
  </service>
  <service>
    <service_code>003</service_code>
    <metadata>true</metadata>
    <type>realtime</type>
    <keywords>lorem, ipsum, dolor</keywords>
    <group>street</group>
    <service_name>Curb or curb ramp defect</service_name>
    <description>Sidewalk curb or ramp has problems such as cracking, missing pieces, holes, and/or chipped curb.</description>
  </service>
</services>
"""  # noqa: E501 (the spec's lines)

SPEC_SERVICES_JSON = """[
  {"service_code": "001", "service_name": "Cans left out 24x7",
   "description": "Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.",
   "metadata": true, "type": "realtime", "keywords": "lorem, ipsum, dolor", "group": "sanitation"},
  {"service_code": "002", "metadata": true, "type": "realtime", "keywords": "lorem, ipsum, dolor",
   "group": "street", "service_name": "Construction plate shifted",
   "description": "Metal construction plate covering the street or sidewalk has been moved."},
  {"service_code": "003", "metadata": true, "type": "realtime", "keywords": "lorem, ipsum, dolor",
   "group": "street", "service_name": "Curb or curb ramp defect",
   "description": "Sidewalk curb or ramp has problems such as cracking, missing pieces, holes, and/or chipped curb."}
]
"""  # noqa: E501


def test_the_spec_requests_example_reads_as_its_json_form(tmp_path: Path) -> None:
    xml = read_export(write(tmp_path / "requests.xml", SPEC_REQUESTS_XML))
    same_rows(xml, read_export(write(tmp_path / "requests.json", SPEC_REQUESTS_JSON)))
    assert account(xml)["profile"] == "open311"
    zone = ZoneInfo("Etc/GMT+8")  # UTC-08:00, the offset every time of the example states
    assert xml.attrs["ingest"]["timezone"] == "UTC-08:00"
    assert xml["order_id"].tolist() == ["638344", "638349"]
    assert xml["status"].astype(str).tolist() == ["closed", "received"]
    assert xml["reply"].tolist()[0] == "Duplicate request." and pd.isna(xml["reply"].iloc[1])
    assert xml["topic"].tolist() == ["Sidewalk and Curb Issues"] * 2
    assert xml["content"].isna().all() and xml["department"].isna().all()  # empty elements
    assert xml["received_at"].tolist() == [
        local_time("2010-04-14T06:37:38-08:00", zone),
        local_time("2010-04-19T06:37:38-08:00", zone),
    ]
    assert xml["due_at"].tolist() == [
        local_time("2010-04-15T06:37:38-08:00", zone),
        local_time("2010-04-19T06:37:38-08:00", zone),
    ]
    # A closed request closes at its last update; an open one has no close time.
    assert xml["closed_at"].iloc[0] == local_time("2010-04-14T06:37:38-08:00", zone)
    assert pd.isna(xml["closed_at"].iloc[1])
    assert xml["source_row"].tolist() == [1, 2]
    checked = check_export(tmp_path / "requests.xml")
    assert "header row: none (the file holds records" in checked  # not row 0


def test_the_spec_services_example_reads_as_its_json_form(tmp_path: Path) -> None:
    xml = open_source(write(tmp_path / "services.xml", SPEC_SERVICES_XML))
    js = open_source(write(tmp_path / "services.json", SPEC_SERVICES_JSON))
    assert xml.heads() == js.heads()
    assert xml.heads()[0][1][0] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    grids = [source.read(None, 0) for source in (xml, js)]
    assert [c.to_pylist() for c in grids[0].columns] == [c.to_pylist() for c in grids[1].columns]
    assert grids[0].rows.tolist() == grids[1].rows.tolist() == [1, 2, 3]
    assert grids[0].columns[3].to_pylist() == ["true"] * 3  # metadata, as JSON's true reads
    # A service list holds no requests: both forms stop with the same line.
    said = []
    for path in (xml.path, js.path):
        with pytest.raises(InputError) as error:
            read_export(path)
        said.append(str(error.value).replace(path.name, "FILE"))
    assert said[0] == said[1] and "required fields not found: order_id" in said[0]


# --- times: with an offset, with Z, without one ---------------------------------------------------

TIMES = [
    pytest.param(
        ["2012-05-23T15:55:28-04:00", "2012-05-22T08:00:00-04:00"], "UTC-04:00", id="offset"
    ),
    pytest.param(["2020-03-01T12:00:00Z", "2020-03-01T13:30:00Z"], "UTC", id="Z"),
    pytest.param(
        ["2012-05-23T15:55:28-05:00", "2012-05-23T15:55:28Z", "2012-05-24T10:00:00-05:00"],
        "UTC-05:00",
        id="offsets-converted-to-the-most-common",
    ),
    # Without an offset, a time is taken in the zone: here the zone the other times state.
    pytest.param(
        ["2012-05-23T15:55:28-04:00", "2012-05-23T16:00:00"], "UTC-04:00", id="without-offset"
    ),
]


def _requests(times: list[str]) -> list[dict]:
    return [
        {"service_request_id": str(i), "status": "open", "requested_datetime": t}
        for i, t in enumerate(times, start=1)
    ]


def _expected(text: str, zone: str) -> dt.datetime:
    if text[-1] == "Z" or text[-6] in "+-":
        hours = 0 if zone == "UTC" else int(zone[3:6])
        return local_time(text, dt.timezone(dt.timedelta(hours=hours)))
    return dt.datetime.fromisoformat(text)  # a wall-clock time of the zone already


@pytest.mark.parametrize(("times", "zone"), TIMES)
def test_times_read_as_in_json(tmp_path: Path, times: list[str], zone: str) -> None:
    records = _requests(times)
    xml = read_export(write(tmp_path / "r.xml", georeport_xml(records)))
    same_rows(xml, read_export(write(tmp_path / "r.json", json.dumps(records))))
    assert account(xml) == account(read_export(tmp_path / "r.json"))
    assert xml.attrs["ingest"]["timezone"] == zone
    assert xml["received_at"].tolist() == [_expected(t, zone) for t in times]


def test_times_without_offset_take_the_profiles_zone(tmp_path: Path) -> None:
    profile = write(
        tmp_path / "city311.toml", 'extends = "open311"\ntimezone = "America/Chicago"\n'
    )
    times = ["2014-07-12T10:58:43", "2014-07-12T11:08:21"]
    xml = read_export(write(tmp_path / "r.xml", georeport_xml(_requests(times))), profile=profile)
    assert xml.attrs["ingest"]["timezone"] == "America/Chicago"
    assert xml["received_at"].tolist() == [dt.datetime.fromisoformat(t) for t in times]


def test_no_offset_and_no_zone_is_the_same_error_as_json(tmp_path: Path) -> None:
    records = _requests(["2012-05-23T15:55:28"])
    for path in (
        write(tmp_path / "r.xml", georeport_xml(records)),
        write(tmp_path / "r.json", json.dumps(records)),
    ):
        with pytest.raises(InputError, match="no received time states a UTC offset"):
            read_export(path)


# --- XML forms: each must give the cells its JSON twin gives --------------------------------------

REQUEST = (
    "<service_request_id>1</service_request_id><status>open</status>"
    "<requested_datetime>2012-05-23T15:55:28-04:00</requested_datetime>"
)
RECORD = {
    "service_request_id": "1",
    "status": "open",
    "requested_datetime": "2012-05-23T15:55:28-04:00",
}
NS = "http://open311.org/georeport/v2"

FORMS = [
    pytest.param(
        f"<service_requests><request>{REQUEST}</request></service_requests>", [RECORD], id="plain"
    ),
    pytest.param(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<service_requests xmlns="{NS}" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><request>{REQUEST}</request>'
        "</service_requests>",
        [RECORD],
        id="default-namespace",
    ),
    pytest.param(
        f'<g:service_requests xmlns:g="{NS}"><g:request><g:service_request_id>1'
        "</g:service_request_id><g:status>open</g:status><g:requested_datetime>"
        "2012-05-23T15:55:28-04:00</g:requested_datetime></g:request></g:service_requests>",
        [RECORD],
        id="prefixed-namespace",
    ),
    pytest.param(
        "\ufeff" + f'<?xml version="1.0" encoding="utf-8"?><service_requests><request>{REQUEST}'
        "<description>路灯不亮</description></request></service_requests>",
        [RECORD | {"description": "路灯不亮"}],
        id="bom",
    ),
    pytest.param(
        f'<?xml version="1.0" encoding="GB18030"?>\n<service_requests><request>{REQUEST}'
        "<description>路灯不亮，请尽快维修</description></request></service_requests>",
        [RECORD | {"description": "路灯不亮，请尽快维修"}],
        id="gb18030-declared",
    ),
    pytest.param(
        f"<?xml version='1.0' encoding='gb2312'?><service_requests><request>{REQUEST}"
        "<description>噪音扰民</description></request></service_requests>",
        [RECORD | {"description": "噪音扰民"}],
        id="gb2312-declared",
    ),
    pytest.param(
        f'<?xml version="1.0" encoding="UTF-16"?><service_requests><request>{REQUEST}'
        "<description>Pothole ≥ 1 m</description></request></service_requests>",
        [RECORD | {"description": "Pothole ≥ 1 m"}],
        id="utf-16",
    ),
    pytest.param(
        f"<service_requests><request>{REQUEST}<description><![CDATA[Cracked <curb> & ramp]]>"
        "</description></request></service_requests>",
        [RECORD | {"description": "Cracked <curb> & ramp"}],
        id="cdata",
    ),
    pytest.param(
        f"<service_requests><request>{REQUEST}<description>a &amp; b &lt;c&gt; &#38; &#x4E2D;"
        "</description></request></service_requests>",
        [RECORD | {"description": "a & b <c> & 中"}],
        id="character-references",
    ),
    pytest.param(
        f"<service_requests><request>{REQUEST}<status_notes/><description></description>"
        "</request></service_requests>",
        [RECORD | {"status_notes": None, "description": None}],
        id="empty-elements",
    ),
    pytest.param(
        f"<service_requests><request>{REQUEST}<media_url>a.jpg</media_url>"
        "<media_url>b.jpg</media_url></request></service_requests>",
        [RECORD | {"media_url": ["a.jpg", "b.jpg"]}],
        id="repeated-element",
    ),
    pytest.param(
        '<service_requests type="array"><request><service_request_id type="integer">1'
        '</service_request_id><status>open</status><requested_datetime type="datetime">'
        '2012-05-23T15:55:28-04:00</requested_datetime><address_id nil="true"/></request>'
        "</service_requests>",
        [RECORD | {"address_id": None}],
        id="attributes-ignored",
    ),
    pytest.param(
        f"<service_requests><request>{REQUEST}<attributes><attribute><code>WHISHETN</code>"
        "<value>123</value></attribute><attribute><code>ASHTRAY</code><value/></attribute>"
        "</attributes><location><lat>1</lat><long>2</long></location></request>"
        "</service_requests>",
        [
            RECORD
            | {
                "attributes": {
                    "attribute": [
                        {"code": "WHISHETN", "value": "123"},
                        {"code": "ASHTRAY", "value": None},
                    ]
                },
                "location": {"lat": "1", "long": "2"},
            }
        ],
        id="nested-elements",
    ),
    pytest.param(
        f"<requests><request>{REQUEST}</request><request><service_request_id>2"
        "</service_request_id><status_notes>Locked</status_notes></request></requests>",
        [RECORD, {"service_request_id": "2", "status_notes": "Locked"}],
        id="requests-root-and-keys-first-seen",
    ),
    pytest.param(
        f"<service_requests>\n  <!-- page 1 -->\n  <?page 1?>\n  <request>{REQUEST}</request>\n"
        "  <request/>\n  <request>\n  </request>\n  <note>not a request</note>\n"
        "</service_requests>",
        [RECORD, {}, {}, "<note>not a request</note>"],
        id="empty-record-and-stray-text",
    ),
    pytest.param("<service_requests/>", [], id="no-requests"),
]


def _encoded(text: str) -> bytes:
    """The bytes of a form: in the encoding its declaration names (UTF-8 otherwise)."""
    lowered = text[:60].lower()
    for label, codec in (("gb18030", "gb18030"), ("gb2312", "gb2312"), ("utf-16", "utf-16")):
        if f"encoding='{label}'" in lowered or f'encoding="{label}"' in lowered:
            return text.encode(codec)
    return text.encode("utf-8")


@pytest.mark.parametrize(("xml", "records"), FORMS)
def test_xml_forms_give_the_cells_of_their_json_twin(
    tmp_path: Path, xml: str, records: list
) -> None:
    from_xml = open_source(write(tmp_path / "r.xml", _encoded(xml)))
    from_json = open_source(write(tmp_path / "r.json", json.dumps(records, ensure_ascii=False)))
    assert from_xml.heads() == from_json.heads()
    grids = [source.read(None, 0) for source in (from_xml, from_json)]
    assert [c.to_pylist() for c in grids[0].columns] == [c.to_pylist() for c in grids[1].columns]
    assert grids[0].rows.tolist() == grids[1].rows.tolist()
    assert grids[0].n_rows == grids[1].n_rows
    assert [row for row, _ in grids[0].malformed] == [row for row, _ in grids[1].malformed]


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn"), whitelist_characters="\t\n\r"),
    max_size=20,
)
_RECORDS = st.lists(
    st.dictionaries(
        st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
        st.none() | _TEXT,
        max_size=6,
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(records=_RECORDS)
def test_any_records_read_alike_from_xml_and_json(records: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        xml = write(Path(folder) / "r.xml", georeport_xml(records))
        js = write(Path(folder) / "r.json", json.dumps(records))
        sources = [open_source(xml), open_source(js)]
        assert sources[0].heads() == sources[1].heads()
        grids = [source.read(None, 0) for source in sources]
    assert [c.to_pylist() for c in grids[0].columns] == [c.to_pylist() for c in grids[1].columns]
    assert grids[0].rows.tolist() == grids[1].rows.tolist()


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b'<?xml version="1.0" encoding="UTF-8"?><x/>', "utf-8"),
        (b"<?xml version='1.0' encoding='GBK'?><x/>", "gb18030"),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><x/>', "iso8859-1"),
        (b'<?xml version="1.0" encoding="windows-1252" standalone="yes"?>', "cp1252"),
        (b'<?xml version="1.0"?><x/>', "utf-8"),
        (b"<x/>", "utf-8"),
        (b"\xef\xbb\xbf<?xml version='1.0' encoding='gb18030'?>", "utf-8-sig"),  # the mark wins
        ("<x/>".encode("utf-16-le"), "utf-16-le"),
        ("<x/>".encode("utf-16"), "utf-16"),
    ],
)
def test_the_encoding_comes_from_the_mark_then_the_declaration(head: bytes, codec: str) -> None:
    assert xml_encoding(head) == codec


# --- errors that are no attack: one line each, naming the file ------------------------------------


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        pytest.param(
            "<service_requests><request><description>路灯</description></request>"
            "</service_requests>".encode("gbk"),
            r"bytes near offset \d+ are not valid utf-8; declare the file's encoding in its "
            r'first line \(<\?xml version="1.0" encoding="GB18030"\?>\)$',
            id="gbk-undeclared",
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="x-klingon"?><service_requests/>',
            r"declares encoding 'x-klingon', which no codec reads",
            id="unknown-encoding",
        ),
        pytest.param(
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
            b'spreadsheet"/>',
            r"an Excel 2003 XML spreadsheet, not Open311 XML; open it in Excel and save it as "
            r"\.xlsx$",
            id="excel-2003-xml",
        ),
        pytest.param(
            b"<service_requests><request><status>open</stat></request></service_requests>",
            r"not well-formed XML at line 1, column 42: mismatched tag; expected a complete",
            id="mismatched-tag",
        ),
        pytest.param(
            b"<service_requests></service_requests><service_requests/>",
            r"not well-formed XML at line 1, column 38: junk after document element",
            id="two-roots",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n',
            r"not well-formed XML at line 2, column 1: no element found \(the file ends",
            id="declaration-only",
        ),
        pytest.param(
            b"<service_requests><request><error>1</error></request></service_requests>x",
            r"junk after document element",
            id="text-after-root",
        ),
        pytest.param(
            b"<error><code>400</code><description>service_code missing</description></error>",
            r"an Open311 error response, not requests \(400: service_code missing\)",
            id="single-error-root",
        ),
        pytest.param(
            b"<errors><error><code>400</code><description>request from 13812345678, ID "
            b"110101199003074578 refused</description></error></errors>",
            r"an Open311 error response, not requests \(400: request from \[手机号\], ID "
            r"\[身份证号\] refused\); expected the response",
            id="error-response-quoting-a-caller",
        ),
        pytest.param(
            b"<p13812345678/>",
            r"XML whose root element is <‹12 个字符，已隐藏›>; expected",
            id="root-named-by-a-phone",
        ),
    ],
)
def test_broken_xml_is_one_clear_line(tmp_path: Path, data: bytes, complaint: str) -> None:
    path = write(tmp_path / "r.xml", data)
    with pytest.raises(InputError, match=complaint) as error:
        read_export(path)
    assert str(error.value).startswith("r.xml") and "\n" not in str(error.value)


def test_a_record_of_too_many_characters_stops_at_its_row(tmp_path: Path) -> None:
    text = georeport_xml([RECORD, RECORD | {"description": "x" * 300, "status_notes": "y" * 300}])
    over = (
        r"r\.xml, row 2: 6\d\d characters in one record or more, over the limit of 500; "
        r"to read it anyway: --limit record_chars=N"
    )
    with pytest.raises(InputError, match=over):
        open_source(write(tmp_path / "r.xml", text), limits=Limits(record_chars=500))


def test_a_folder_ingest_reads_xml_beside_other_exports(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    write(folder / "a.xml", georeport_xml([RECORD]))
    write(folder / "b.json", json.dumps([RECORD | {"service_request_id": "2"}]))
    result = ingest([folder], write=False, progress=False)
    assert sorted(result.table.column("source_file").to_pylist()) == ["a.xml", "b.json"]
