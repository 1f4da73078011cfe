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
# # 06 A 311 export end to end
#
# The questions a 311 analyst asks are the ones a 12345 analyst asks: how long requests take to
# close (as a distribution, not only an average), what share closes within the SLA, how large
# the open backlog is, which agencies and request types make up the load, and how volume moves.
# This notebook answers them for one real export, the Los Angeles MyLA311 2017 portal sample,
# with the same functions as the Chinese notebooks; the profile (`la311`) makes the labels
# English.
#
# The export comes from `../shared/data/real/` (public data, never copied into this repository).

# %% tags=["parameters"]
export = None  # a 311 export; None: the MyLA311 2017 sample in ../shared/data/real
dataset = None  # where the cleaned dataset goes; None: data/processed-311
year = None  # kept for `hotline notebooks --year`; a 311 sample covers days, not a year

# %%
from pathlib import Path

import hotline
from hotline import metrics, plotting, quality
from hotline.dataset import account_table, ingest_facts

shared = hotline.paths.root().parent / "shared" / "data" / "real"
export = Path(export or shared / "la311-hackforla" / "MyLA311_Service_Request_Data_2017_Subset.csv")
if not export.is_file():
    raise FileNotFoundError(f"{export}: 311 export not found (pass -p export PATH)")
dataset = Path(dataset or hotline.paths.processed_dir().with_name("processed-311"))
plotting.use_style("en")

# %% [markdown]
# ## 1. Ingest: which profile, and where every row went
#
# The profile is detected from the headers; the account shows that rows in = written + merged +
# rejected. Closure is decided by **status**, not by the presence of a close date: this export
# has close dates on cancelled requests.

# %%
result = hotline.ingest([export], out=dataset, progress=False)
orders = hotline.load(dataset)
source = orders.attrs["manifest"]["inputs"][0]
print(f"profile {source['profile']} ({source['profile_rule']}), time zone {source['timezone']}")
account_table(orders).drop(columns=["kind", "snapshot_at"])

# %% [markdown]
# What the ingest counted and kept as exported, for the analyst to judge:

# %%
ingest_facts(orders)

# %%
quality.quality_checks(orders, "us311")[["check", "count", "base", "share", "examples"]]

# %% [markdown]
# ## 2. Closure and time to close
#
# The `us311` definitions: a request is closed when its status says so; the SLA share uses the
# export's due dates only (this export has none, so it is missing rather than invented).

# %%
definitions = metrics.preset("us311")
metrics.headline(orders, definitions)

# %%
print("SLA share:", metrics.on_time_rate(orders, definitions))
metrics.handling_time(orders, definitions=definitions)[
    ["closed", "valid", "negative", "zero", "median_hours", "p90_hours", "mean_hours"]
]

# %%
plotting.duration_chart(
    metrics.duration_distribution(orders, definitions=definitions)
)

# %% [markdown]
# ## 3. Open backlog
#
# Requests open at the end of the export, by agency, with their age.

# %%
backlog = metrics.backlog(orders, "agency", definitions=definitions)
print(f"as of {backlog.attrs['as_of']} (the latest time in the export)")
backlog

# %% [markdown]
# ## 4. Composition by agency and request type

# %%
agencies = metrics.summary(orders, by="agency", definitions=definitions)
plotting.rates_chart(agencies, "closure_rate")

# %%
plotting.pareto_chart(metrics.summary(orders, by="topic", definitions=definitions))

# %% [markdown]
# ## 5. Volume over time
#
# The sample covers a few days, so the trend is daily; the heat map shows when requests come in.

# %%
metrics.summary(orders, freq="day", definitions=definitions)[
    ["day", "accepted", "closed", "closure_rate"]
]

# %%
plotting.weekday_hour_chart(metrics.weekday_hour(orders, definitions=definitions))
