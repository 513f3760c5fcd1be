"""
The reference segmint is measured against: what a data scientist writes in a notebook for the
same job on the same events file — pandas reads the CSV, per-user features by groupby
(volume, active days, sessions, recency, tenure, event shares, hour-of-day shares), then
StandardScaler + PCA (90% of variance) + k-means over k = 2..10 chosen by silhouette on a
5,000-user sample, and every user's segment written to a CSV.

    /usr/bin/python3 bench/notebook.py EVENTS.csv OUT.csv

Prints one JSON line: users, events, k, seconds, peak RSS (MB). Needs pandas and scikit-learn
(Debian: apt-get install python3-pandas python3-sklearn).
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

SESSION_GAP = pd.Timedelta(minutes=30)

start = time.perf_counter()
path, out = sys.argv[1], sys.argv[2]
events = pd.read_csv(path, usecols=["user_id", "event", "timestamp"], dtype={"user_id": "category", "event": "category"})
events["timestamp"] = pd.to_datetime(events["timestamp"], utc=True)
end = events["timestamp"].max()

# Integer codes for users make the sort and the groupbys cheap.
events["uid"] = events["user_id"].cat.codes
events = events.sort_values(["uid", "timestamp"], kind="stable")
by_user = events.groupby("uid", sort=True)
gap = by_user["timestamp"].diff()
events["new_session"] = gap.isna() | (gap > SESSION_GAP)
events["day"] = events["timestamp"].dt.floor("D")
events["hour_band"] = events["timestamp"].dt.hour // 6

features = pd.DataFrame(
    {
        "events": by_user.size(),
        "active_days": by_user["day"].nunique(),
        "sessions": by_user["new_session"].sum(),
        "days_since_last": (end - by_user["timestamp"].max()).dt.days,
        "days_since_first": (end - by_user["timestamp"].min()).dt.days,
    }
)
features["events_per_session"] = features["events"] / features["sessions"]
shares = events.groupby(["uid", "event"], observed=True).size().unstack(fill_value=0)
shares = shares.div(shares.sum(axis=1), axis=0).add_prefix("share_")
hours = events.groupby(["uid", "hour_band"]).size().unstack(fill_value=0)
hours = hours.div(hours.sum(axis=1), axis=0).add_prefix("hours_")
features = features.join(shares).join(hours).fillna(0.0)
user_ids = events["user_id"].cat.categories[features.index]

features.columns = [str(c) for c in features.columns]
x = StandardScaler().fit_transform(np.log1p(features.clip(lower=0)))
x = PCA(n_components=0.9, random_state=42).fit_transform(x)

rng = np.random.default_rng(42)
sample = rng.choice(len(x), size=min(5000, len(x)), replace=False)
best = None
for k in range(2, 11):
    model = KMeans(n_clusters=k, n_init=3, random_state=42).fit(x[sample])
    score = silhouette_score(x[sample], model.labels_)
    if best is None or score > best[0]:
        best = (score, k)
k = best[1]
labels = KMeans(n_clusters=k, n_init=3, random_state=42).fit_predict(x)
pd.DataFrame({"user_id": user_ids, "segment": labels}).to_csv(out, index=False)

print(
    json.dumps(
        {
            "users": int(len(features)),
            "events": int(len(events)),
            "k": int(k),
            "ms": round((time.perf_counter() - start) * 1000),
            "maxRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    )
)
