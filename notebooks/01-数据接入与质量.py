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
# # 01 数据接入与质量
#
# 本笔记本回答两个问题：**数据从哪里来**，以及**数据可信到什么程度**。
#
# - 每一个原始导出文件读入了多少行、写入多少条工单、合并多少行（重复行或同一工单的较新快照）、拒收多少行，三者之和必须等于读入行数；
# - 被拒收的行逐行列出原因；
# - 数据质量检查：已办结却无办结时间、办结早于受理、受理后几分钟内的批量办结、无法识别的值。
#
# 数据由 `hotline ingest` 从 `data/raw/` 中的原始导出生成；原始文件从不修改。`make demo` 的示例数据（虚构县）
# 另放在 `data/sample/`，不会混进本单位的数据。

# %% tags=["parameters"]
dataset = None  # 数据集目录；None：本单位的 data/processed，没有时用示例数据 data/sample/processed
year = None  # 统计年度；None 表示数据中最近的完整年度

# %%
import hotline
from hotline import quality
from hotline.dataset import ACCOUNT_COLUMNS, account_table, read_rejects
from hotline.labels import column_title
from hotline.notebooks import choose_dataset, choose_year

dataset = choose_dataset(dataset)  # 说明所用数据是否为示例数据
orders = hotline.load(dataset)
year = choose_year(orders, year)
manifest = orders.attrs["manifest"]
print(
    f"数据集共 {len(orders)} 条工单，来自 {len(manifest['inputs'])} 个原始文件，"
    f"生成于 {manifest['created_at']}（hotline {manifest['hotline_version']}）。"
)

# %% [markdown]
# ## 1. 导入核对：每一行都有去处
#
# 「合并」指同一文件内的重复行，或同一工单在更晚的月度导出中再次出现（保留最新快照）；
# 「拒收」指合计行、表尾说明等不是工单的行。最后一行为合计。

# %%
account = account_table(orders)
account.rename(columns=ACCOUNT_COLUMNS)

# %%
total = account.iloc[-1]
balanced = total["rows_in"] == total["written"] + total["merged"] + total["rejected"]
print(
    f"读入 {total['rows_in']} 行 = 写入 {total['written']} + 合并 {total['merged']} "
    f"+ 拒收 {total['rejected']}：{'平衡' if balanced else '不平衡，请检查'}"
)
assert balanced

# %% [markdown]
# ## 2. 拒收的行
#
# 每一行拒收记录都指向原始文件和行号，可以回到原文件核对。

# %%
rejects = read_rejects(dataset)
rejects.groupby(["explanation", "source_file"]).size().rename("count").to_frame().rename(
    columns=column_title
).rename_axis(index=column_title)

# %% [markdown]
# ## 3. 数据质量检查
#
# 下表每一行是一项检查：检查规则、命中工单数、检查范围（基数）、占比和示例工单号。
# 命中并不等于错误，但在发布数字之前应当逐项核实。

# %%
checks = quality.quality_checks(orders, year=year)
checks[["label", "rule", "count", "base", "share"]].rename(columns=column_title)

# %% [markdown]
# 命中最多的一项检查，列出示例工单（只含工单号、来源文件与行号、时间和承办单位，不含诉求内容和来电人信息）：

# %%
worst = checks.sort_values("count", ascending=False).iloc[0]
print(f"{worst['label']}：{worst['count']} 件")
quality.quality_examples(orders, worst["check"], limit=10).rename(columns=column_title)

# %% [markdown]
# ## 4. 无法识别的值
#
# 无法识别的日期、时间等值在导入时置空并逐列计数，而不是悄悄变成缺失值：

# %%
quality.quality_examples(orders, "unparseable").rename(columns=column_title)
