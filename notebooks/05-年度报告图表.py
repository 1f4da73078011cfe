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
# # 05 年度报告图表
#
# 生成年度报告所需的全部图表，保存到 `reports/figures/`：每张图一份 300 dpi PNG（插入 Word）、
# 一份 SVG 和一份嵌入字体的 PDF（排版印刷）。每张图的脚注注明数据来源、统计截止时间和口径。
#
# 本笔记本可用 papermill 带参数运行，例如：
#
# ```bash
# papermill notebooks/05-年度报告图表.ipynb out.ipynb -p dataset data/processed -p year 2021
# ```

# %% tags=["parameters"]
dataset = None  # 数据集目录；None：本单位的 data/processed，没有时用示例数据 data/sample/processed
year = None  # 统计年度；None 表示数据中最近的完整年度
preset = "default"  # 指标口径
figures = None  # 图表输出目录；None 表示默认的 reports/figures

# %%
import hotline
from hotline import metrics, plotting
from hotline.notebooks import choose_dataset, choose_year

plotting.use_style()
dataset = choose_dataset(dataset)  # 说明所用数据是否为示例数据
orders = hotline.load(dataset)
year = choose_year(orders, year)
definitions = metrics.preset(preset)
print(f"口径：{definitions.explain()}")

# %% [markdown]
# 绘制并保存全部图表（与 `hotline report` 写入报告的图表是同一套）：

# %%
charts = plotting.annual_charts(orders, year, definitions=definitions)
saved = plotting.save_annual_charts(orders, year, figures, charts=charts)
for title, files in saved.items():
    print(title, "→", "、".join(path.name for path in files))

# %% [markdown]
# ## 图表预览

# %%
charts.get("trend")  # 数据不支持的图表不绘制

# %%
charts.get("department_ranking")  # 数据不支持的图表不绘制

# %%
charts.get("funnel")  # 数据不支持的图表不绘制

# %%
charts.get("durations")  # 数据不支持的图表不绘制
