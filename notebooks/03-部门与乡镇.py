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
# # 03 部门与乡镇
#
# 承办单位和乡镇（街道）的办结率、按时办结率、满意率，与全县平均水平比较，并给出综合排名（红黑榜）。
#
# 两条原则：
# - **最低件数**：件数太少的单位不参加排名（2 件办结 2 件不等于全县第一），只列出不排名；
# - **看区间，不只看名次**：与全县平均的差异落在 95% 置信区间之内时，不宜据此评判高低。

# %% tags=["parameters"]
dataset = None  # 数据集目录；None：本单位的 data/processed，没有时用示例数据 data/sample/processed
year = None  # 统计年度；None 表示数据中最近的完整年度
preset = "default"  # 指标口径

# %%
import hotline
from hotline import metrics, plotting
from hotline.labels import column_title
from hotline.metrics.display import for_display, rate_text
from hotline.notebooks import choose_dataset, choose_year

plotting.use_style()
dataset = choose_dataset(dataset)  # 说明所用数据是否为示例数据
orders = hotline.load(dataset)
year = choose_year(orders, year)
definitions = metrics.preset(preset)
county = metrics.summary(orders, definitions=definitions, year=year).iloc[0]
print(
    f"全县：受理 {county['accepted']} 件，办结率 {rate_text(county['closure_rate'])}，"
    f"按时办结率 {rate_text(county['on_time_rate'])}，"
    f"满意率 {rate_text(county['satisfaction_rate'])}；"
    f"参加排名的最低件数 {definitions.min_volume} 件。"
)

# %% [markdown]
# ## 1. 承办单位

# %%
departments = metrics.summary(orders, by="department", definitions=definitions, year=year)
plotting.rates_chart(departments, "closure_rate")

# %%
plotting.rates_chart(departments, "satisfaction_rate")

# %% [markdown]
# 与全县平均比较：区间上限仍低于全县平均的单位「明显偏低」，区间下限高于全县平均的「明显偏高」。

# %%
average = county["satisfaction_rate"]
comparison = for_display(departments, columns=["accepted", "satisfaction_rate"], intervals=True)
comparison["与全县差值(百分点)"] = ((departments["satisfaction_rate"] - average) * 100).round(2)
comparison["判断"] = ""
comparison.loc[departments["satisfaction_rate_high"] < average, "判断"] = "明显偏低"
comparison.loc[departments["satisfaction_rate_low"] > average, "判断"] = "明显偏高"
comparison.sort_values("与全县差值(百分点)")

# %% [markdown]
# ## 2. 承办单位综合排名（红黑榜）
#
# 综合得分 = 各比率 × 权重之和 ÷ 权重之和（默认 办结率 0.3、按时办结率 0.3、满意率 0.4，可按本地方案调整），
# 并按得分分档（优秀、良好、一般、较差）。

# %%
department_ranking = metrics.rank_units(orders, "department", definitions=definitions, year=year)
for_display(department_ranking, columns=["accepted", "closure_rate", "on_time_rate",
                                          "satisfaction_rate", "score", "rank", "band"])

# %%
plotting.ranking_chart(department_ranking)

# %% [markdown]
# ## 3. 乡镇（街道）

# %%
towns = metrics.summary(orders, by="town", definitions=definitions, year=year)
plotting.rates_chart(towns, "closure_rate")

# %%
town_ranking = metrics.rank_units(orders, "town", definitions=definitions, year=year)
plotting.ranking_chart(town_ranking)

# %%
unranked = town_ranking[town_ranking["rank"].isna()]
print(f"件数不足 {definitions.min_volume} 件、不参加排名的乡镇：{len(unranked)} 个")
for_display(unranked, columns=["accepted"])
