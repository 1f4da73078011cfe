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
# # 04 诉求热点
#
# 群众反映最多的是什么、什么时候来电、哪些诉求反复出现：
#
# 1. 业务分类的帕累托图：少数几类诉求占了大部分件数；
# 2. 诉求类型（咨询、求助、投诉、举报、建议……）的月度变化；
# 3. 诉求内容的关键词（jieba 分词，去掉停用词；诉求内容在导入时已脱敏，不含电话、身份证号和姓名）；
# 4. 来电时段：星期 × 小时热力图；
# 5. 重复诉求：同一来电人、同一业务分类在规定天数内再次来电。

# %% tags=["parameters"]
dataset = None  # 数据集目录；None：本单位的 data/processed，没有时用示例数据 data/sample/processed
year = None  # 统计年度；None 表示数据中最近的完整年度
top = 10  # 列出前几名

# %%
import hotline
from hotline import keywords, metrics, plotting
from hotline.labels import column_title
from hotline.metrics.display import for_display
from hotline.notebooks import choose_dataset, choose_year

plotting.use_style()
dataset = choose_dataset(dataset)  # 说明所用数据是否为示例数据
orders = hotline.load(dataset)
year = choose_year(orders, year)
orders = orders[orders["received_at"].dt.year == year]
print(f"{year} 年受理时间在本年度的工单 {len(orders)} 条。")

# %% [markdown]
# ## 1. 业务分类

# %%
topics = metrics.summary(orders, by="topic")
plotting.pareto_chart(topics, top=top)

# %%
for_display(topics.nlargest(top, "accepted"), ["accepted", "closure_rate", "satisfaction_rate"])

# %% [markdown]
# ## 2. 诉求类型的月度变化

# %%
types = metrics.summary(orders, by="type", freq="month")
for_display(types, columns=["accepted"]).pivot_table(
    index=column_title("month"),
    columns=column_title("request_type"),
    values=column_title("accepted"),
    aggfunc="sum",
    fill_value=0,
)

# %% [markdown]
# ## 3. 关键词
#
# 全部诉求内容的高频词（按出现该词的工单数排序），以及前几个业务分类各自的关键词。
# 本地地名、机构名等专有词可以写进用户词典，避免被切开（见 `docs/keywords.md`）。

# %%
keywords.keywords(orders["content"], top=20)

# %%
leading = topics.nlargest(3, "accepted")["topic"]
keywords.keywords_by(orders[orders["topic"].isin(leading)], "topic", top=8)

# %% [markdown]
# ## 4. 来电时段

# %%
plotting.weekday_hour_chart(metrics.weekday_hour(orders))

# %% [markdown]
# ## 5. 重复诉求
#
# 重复诉求率 = 同一来电人（以加密后的来电人标识比对，不使用电话号码本身）、同一业务分类、
# 间隔不超过规定天数的再次来电 ÷ 有来电人标识的受理量。

# %%
print(metrics.repeat_rate(orders))
for_display(topics.nlargest(top, "repeats"), ["accepted", "repeats", "repeat_rate"])
