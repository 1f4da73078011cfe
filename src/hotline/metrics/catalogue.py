"""The catalogue of rates: name, formula, numerator and denominator of each.

Every rate is ``numerator / denominator`` of two summed flags (:mod:`hotline.metrics.flags`).
A rate whose data the export does not hold (no return events, no revisit results) has no
denominator and is missing, never 0% or 100%. ``docs/metrics.md`` is written from this table.

Example:
    >>> RATES["closure_rate"].zh, RATES["closure_rate"].formula
    ('办结率', '办结件数 / 受理件数')
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from hotline.metrics.definitions import Definitions

__all__ = ["COUNTS", "COUNT_EVIDENCE", "EVIDENCE", "RATES", "RateSpec", "denominator", "numerator"]


@dataclass(frozen=True)
class RateSpec:
    """One rate of the catalogue.

    Attributes:
        key: Column name in summaries.
        zh: Chinese name.
        en: English name.
        numerator: Flag summed above the line.
        denominator: Flag summed below the line.
        formula: The formula in words (Chinese, as reports write it).
        needs: Information (:data:`hotline.availability.INFORMATION`) the export must carry;
            without it the rate is missing, with the reason, never 0 or 100%.
    """

    key: str
    zh: str
    en: str
    numerator: str
    denominator: str
    formula: str
    needs: tuple[str, ...] = ()


RATES = MappingProxyType(
    {
        spec.key: spec
        for spec in (
            RateSpec(
                "closure_rate",
                "办结率",
                "Closure rate",
                "closed",
                "closure_known",
                "办结件数 / 受理件数",
                ("closure",),
            ),
            RateSpec(
                "direct_answer_rate",
                "直接答复率",
                "Direct-answer rate",
                "direct",
                "dispatch_known",
                "直接答复件数 / 受理件数",
                ("dispatch",),
            ),
            RateSpec(
                "on_time_rate",
                "按时办结率",
                "On-time closure rate",
                "on_time",
                "due_total",
                "按时办结件数 / (按时办结 + 超时办结 + 超期未办结)",
                ("closure",),
            ),
            RateSpec(
                "satisfaction_rate",
                "满意率",
                "Satisfaction rate",
                "satisfied",
                "evaluated",
                "满意件数 / 有效评价件数",
                ("evaluation",),
            ),
            RateSpec(
                "dissatisfaction_rate",
                "不满意率",
                "Dissatisfaction rate",
                "dissatisfied",
                "evaluated",
                "不满意件数 / 有效评价件数",
                ("evaluation",),
            ),
            RateSpec(
                "revisit_rate",
                "回访率",
                "Revisit rate",
                "revisited",
                "revisit_known",
                "已回访件数 / 办结件数",
                ("revisit",),
            ),
            RateSpec(
                "response_rate",
                "响应率",
                "Response rate",
                "responded",
                "response_known",
                "时限内签收或联系件数 / 派单件数",
                ("response",),
            ),
            RateSpec(
                "resolution_rate",
                "解决率",
                "Resolution rate",
                "resolved",
                "resolution_known",
                "群众认为已解决件数 / 回答是否解决件数",
                ("resolution",),
            ),
            RateSpec(
                "return_rate",
                "退单率",
                "Return rate",
                "returned",
                "return_known",
                "退单工单数 / 派单件数",
                ("return",),
            ),
            RateSpec(
                "extension_rate",
                "延期率",
                "Extension rate",
                "extended",
                "extension_known",
                "延期工单数 / 派单件数",
                ("extension",),
            ),
            RateSpec(
                "repeat_rate",
                "重复诉求率",
                "Repeat-request rate",
                "repeats",
                "repeat_known",
                "同一来电人同类诉求 N 天内再次来电件数 / 有来电人标识的受理件数",
                ("caller", "topic"),
            ),
        )
    }
)

#: Counts shown next to the rates, with their Chinese names.
COUNTS = MappingProxyType(
    {
        "accepted": "受理量",
        "closed": "办结量",
        "dispatched": "派单量",
        "direct": "直接答复",
        "on_time": "按时办结",
        "closed_late": "超时办结",
        "open_overdue": "超期未办结",
        "evaluated": "有效评价",
        "satisfied": "满意",
        "dissatisfied": "不满意",
        "revisited": "已回访",
        "repeats": "重复诉求",
    }
)

#: Counts that need information the export may lack: count -> the flag of orders whose export
#: carries it. A group where that flag sums to 0 has the count missing, not 0.
COUNT_EVIDENCE = MappingProxyType(
    {
        "closed": "closure_known",
        "closed_dispatched": "closure_known",
        "on_time": "closure_known",
        "closed_late": "closure_known",
        "open_overdue": "closure_known",
        "closed_with_answer": "closure_known",
        "dispatched": "dispatch_known",
        "direct": "dispatch_known",
        "evaluated": "evaluation_known",
        "satisfied": "evaluation_known",
        "dissatisfied": "evaluation_known",
        "revisited": "revisit_known",
        "responded": "response_known",
        "resolved": "resolution_known",
        "returned": "return_known",
        "extended": "extension_known",
        "repeats": "repeat_known",
    }
)

#: Rates stated of every accepted order or not at all: rate -> the flag that must equal the
#: accepted count. A group where some orders' exports cannot say (a message board without
#: replies beside one with them) has the rate missing: 886 closed of 1,042 accepted is
#: neither 85% (the unknown are not open) nor 100% (the unknown are not closed).
EVIDENCE = MappingProxyType(
    {
        "closure_rate": "closure_known",
        "on_time_rate": "closure_known",
        "direct_answer_rate": "dispatch_known",
    }
)


def numerator(key: str, definitions: Definitions) -> str:
    """The flag above the line of a rate under ``definitions``."""
    if key == "closure_rate" and definitions.closure_base == "dispatched":
        return "closed_dispatched"
    return RATES[key].numerator


def denominator(key: str, definitions: Definitions) -> str:
    """The flag below the line of a rate under ``definitions``."""
    if key == "closure_rate" and definitions.closure_base == "dispatched":
        return "dispatched"
    if key in ("satisfaction_rate", "dissatisfaction_rate") and (
        definitions.satisfaction_base == "closed"
    ):
        return "revisit_known"
    return RATES[key].denominator
