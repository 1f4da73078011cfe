"""Reply tables published apart from the messages are joined to them by message id.

The real 附件4 (messages with their replies) is split in tmp into a messages file and a reply
table; joined, they must say what the whole file says about closure.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import shared_path
from exports import save_rows, sheet_rows, write_csv
from hotline import ingest
from hotline.errors import HotlineError

REAL = ("data", "real")


def _split(rows: list[tuple], folder: Path, replies=None) -> list[Path]:
    """A messages file without 答复意见/答复时间, and a reply table of id, reply, reply time."""
    replies = rows[1:] if replies is None else replies
    messages = save_rows(folder / "留言.xlsx", [row[:5] for row in rows])
    table = save_rows(
        folder / "答复.xlsx", [(rows[0][0], *rows[0][5:7])] + [(r[0], *r[5:7]) for r in replies]
    )
    return [messages, table]


def _closure(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["status", "replied_at", "reply"]
    return frame.set_index("order_id")[columns].sort_index().astype(object)


def test_a_split_reply_table_gives_the_closure_of_the_whole_file(tmp_path: Path) -> None:
    whole = shared_path(*REAL, "taidi2020c-full", "附件4.xlsx")
    rows = sheet_rows(whole)
    assert rows[0][5:7] == ("答复意见", "答复时间")  # the premise of the split
    joined = ingest(_split(rows, tmp_path), write=False, progress=False)
    alone = ingest([whole], write=False, progress=False)
    pd.testing.assert_frame_equal(
        _closure(joined.table.to_pandas()), _closure(alone.table.to_pandas())
    )
    n = len(rows) - 1
    messages, replies = joined.reports
    assert (messages.role, replies.role) == ("orders", "replies")
    assert (replies.rows_in, replies.written, replies.merged) == (n, 0, {"reply_joined": n})
    assert joined.totals.balanced
    assert "答复表" in joined.account()


def test_unanswered_messages_are_open_and_stray_replies_rejected(tmp_path: Path) -> None:
    rows = sheet_rows(shared_path(*REAL, "taidi2020c-sample", "附件4.xlsx"))[:41]
    stray = ("999999999", "与本批留言无关的答复", "2019/5/1 10:00:00")
    files = _split(rows, tmp_path, replies=[*rows[1:31], stray])
    result = ingest(files, write=False, progress=False)
    status = result.table.to_pandas().set_index("order_id")["status"]
    answered = {str(r[0]) for r in rows[1:31]}
    assert {i for i, s in status.items() if s == "replied"} == answered
    assert {i for i, s in status.items() if s == "received"} == {str(r[0]) for r in rows[31:]}
    replies = result.reports[1]
    assert replies.rejected == {"reply_without_message": 1}
    assert replies.merged == {"reply_joined": 30}
    rejects = result.rejects.to_pylist()
    assert [(r["source_row"], r["reason"], r["detail"]) for r in rejects] == [
        (32, "reply_without_message", "999999999")
    ]
    assert result.totals.balanced


def test_a_csv_reply_table_with_a_department_and_a_repeated_id(tmp_path: Path) -> None:
    messages = write_csv(
        tmp_path / "留言.csv",
        [
            ["留言编号", "留言时间", "留言详情"],
            ["1", "2021/3/1 9:00", "路灯坏了"],
            ["2", "2021/3/2 9:00", "噪音"],
        ],
    )
    replies = write_csv(
        tmp_path / "答复.csv",
        [
            ["留言编号", "答复单位", "答复意见", "答复时间"],
            ["1", "县住建局", "已转办", "2021/3/3 9:00"],
            ["1", "县城管局", "已修复", "2021/3/5 9:00"],  # the later row of an id wins
        ],
    )
    result = ingest([messages, replies], write=False, progress=False)
    table = result.table.to_pandas().set_index("order_id")
    assert table.loc["1", ["status", "reply", "department"]].tolist() == [
        "replied",
        "已修复",
        "县城管局",
    ]
    assert table.loc["2", "status"] == "received"
    assert result.reports[1].merged == {"duplicate": 1, "reply_joined": 1}


def test_a_reply_table_alone_is_refused(tmp_path: Path) -> None:
    replies = write_csv(tmp_path / "答复.csv", [["留言编号", "答复意见"], ["1", "已转办"]])
    with pytest.raises(HotlineError, match="reply tables only"):
        ingest([replies], write=False, progress=False)


def test_a_table_with_message_fields_but_no_time_is_still_an_error(tmp_path: Path) -> None:
    # 留言详情 is a message field: this is a broken messages file, not a reply table.
    broken = write_csv(
        tmp_path / "留言.csv", [["留言编号", "留言详情", "答复意见"], ["1", "x", "y"]]
    )
    with pytest.raises(HotlineError, match="received_at"):
        ingest([broken], write=False, progress=False)
