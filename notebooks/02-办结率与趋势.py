# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python (hotline)
#     language: python
#     name: hotline
# ---

# %% [markdown]
# # 02 办结率与趋势
#
# 本笔记本计算年度核心指标：受理量、办结率、按时办结率、满意率，每个比率都给出分子、分母和
# 95% 置信区间（Wilson 区间），并按月看趋势、环比和同比。最后用数据核对已发布报告中的热线数字。
#
# 所有口径都是显式的：`metrics.preset("default")` 是默认口径，也可以换成 `strict`、`beijing`
# 或本地口径，数字会随口径变化，但总能说清用的是哪一个。

# %% tags=["parameters"]
dataset = None  # 数据集目录；None：本单位的 data/processed，没有时用示例数据 data/sample/processed
year = None  # 统计年度；None 表示数据中最近的完整年度
preset = "default"  # 指标口径：default、strict、beijing

# %%
import pandas as pd

import hotline
from hotline import claims, metrics, plotting
from hotline.labels import column_title, definitions_title, label
from hotline.metrics.display import for_display
from hotline.notebooks import choose_dataset, choose_year

plotting.use_style()
dataset = choose_dataset(dataset)  # 说明所用数据是否为示例数据
orders = hotline.load(dataset)
year = choose_year(orders, year)
definitions = metrics.preset(preset)
print(f"口径：{definitions.explain()}")

# %% [markdown]
# ## 1. 年度总量与办结率
#
# 话务（12345 热线来电）与网络投诉分开统计，再合计。

# %%
for_display(metrics.headline(orders, definitions, year=year).reset_index())

# %% [markdown]
# ## 2. 按时办结率、满意率及其置信区间
#
# 区间越窄，数字越可靠；分母很小的比率（例如某个月的网络投诉）区间会很宽，不宜单独比较。

# %%
by_kind = metrics.summary(orders, by="source_kind", definitions=definitions, year=year)
rates = ["closure_rate", "on_time_rate", "satisfaction_rate", "revisit_rate"]
for_display(by_kind, columns=["accepted", *rates], intervals=True)

# %% [markdown]
# 同一批数据在不同口径下的办结率和满意率（各地口径不同，见 `docs/metrics.md`）：

# %%
pd.DataFrame(
    {
        definitions_title(name): {
            label("closure_rate"): metrics.closure_rate(orders, name, year=year),
            label("on_time_rate"): metrics.on_time_rate(orders, name, year=year),
            label("satisfaction_rate"): metrics.satisfaction_rate(orders, name, year=year),
        }
        for name in metrics.PRESETS
    }
).map(str)

# %% [markdown]
# ## 3. 月度趋势、环比与同比
#
# 空月份保留为 0 件，比率记为缺失；环比、同比对件数是相对变化，对比率是百分点变化。

# %%
trend = metrics.monthly_trend(orders, definitions=definitions, year=year)
trend[
    ["month", "accepted", "accepted_mom", "closure_rate", "closure_rate_mom_pp", "on_time_rate"]
].rename(columns=column_title).style.format(
    {
        column_title("accepted_mom"): "{:+.1%}",
        column_title("closure_rate"): "{:.2%}",
        column_title("closure_rate_mom_pp"): "{:+.2f}",
        column_title("on_time_rate"): "{:.2%}",
    },
    na_rep="—",
    escape="html",
)

# %%
plotting.trend_chart(trend)

# %%
peak = trend.loc[trend["accepted"].idxmax()]
low = trend.loc[trend["accepted"].idxmin()]
print(f"受理量最高：{peak['month']}（{peak['accepted']} 件）；最低：{low['month']}（{low['accepted']} 件）")

# %% [markdown]
# ## 4. 核对已发布的数字
#
# 县政府 2021 年法治政府建设报告中关于热线的表述（节选，原文照录，含 OCR 误字「平合」）。报告的数字
# 是 2021 年全年的，只能与 2021 年的数据核对：核对年度取自文中（开头的「2021年」），与上面的
# 统计年度参数无关。数据不含该年度时，各项显示「无法核对：数据不含该年度」，而不是「不符」；
# 数据只覆盖该年的一部分时，每条结论都注明数据覆盖的日期。

# %%
report_text = (
    "2021年,在市委、市政府正确领导下,我县切实将法治政府建设与履行政府职能有机结合。"
    "12345便民热线受理诉求案件办结率达到95%。"
    "12345政务服务便民热线平合运行稳中有序,受理群众话务诉求9383件,办结9268件;"
    "受理网络投诉192件,办结182件。"
)
results = claims.check_claims(report_text, orders, definitions)
print(claims.render_text(results))

# %% [markdown]
# 开头两行是核对年度（及其来由）和数据对该年度的覆盖。每条表述给出引文、解读（对象、指标、
# 限定词）、由数据计算的值（公式、分子、分母）和结论。「达到」是下限：成立，但如果数据明显更高，
# 核对结果会指出报告的表述偏保守。
