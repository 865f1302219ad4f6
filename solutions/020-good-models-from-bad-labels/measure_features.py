"""The measurement behind Route 020's choice of features (the table in the exercise's README).

Standardized logistic regression at C = 1 and C = 0.01 on the hand-made features (length + 20 amino-acid counts) and
on the embeddings; 80/20 stratified splits with seeds 0-4; at each rate round(r x training proteins) training labels
moved to a different class drawn uniformly. Prints the mean test accuracy per rate.

    python3 measure_features.py [DATA_DIR]
"""
import os
os.environ.setdefault("OMP_NUM_THREADS", "1")
import gzip, io, sys
import h5py, numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "Sources", "BelayData", "Resources", "mtb-h37rv")
CLASSES = ["cytoplasm", "membrane", "secreted"]
sheet = pd.read_excel(os.path.join(DATA, "mtb_with_localization.xlsx"))
sheet = sheet[sheet["location"].isin(CLASSES)].drop_duplicates("Entry").reset_index(drop=True)
AA = "ACDEFGHIKLMNPQRSTVWY"
hand = np.array([[len(s)] + [s.count(a) for a in AA] for s in sheet["Sequence"].astype(str)], float)
with h5py.File(io.BytesIO(gzip.open(os.path.join(DATA, "mtb_full.h5.gz")).read()), "r") as h:
    emb = np.stack([np.asarray(h[i], float) for i in sheet["Entry"]])
y = pd.Categorical(sheet["location"], categories=CLASSES).codes
rates = [k / 20 for k in range(10)]
scores = {}
for seed in range(5):
    train, test = train_test_split(np.arange(len(y)), test_size=0.2, random_state=seed, stratify=y)
    rng = np.random.default_rng(seed)
    majority = np.bincount(y[train]).argmax()
    scores.setdefault(("majority", "-"), []).append([(y[test] == majority).mean()] * len(rates))
    per_rate = {}
    for r in rates:
        noisy = y[train].copy()
        flip = rng.choice(len(train), int(round(r * len(train))), replace=False)
        noisy[flip] = (noisy[flip] + rng.integers(1, len(CLASSES), len(flip))) % len(CLASSES)
        for name, x in (("hand-made", hand), ("embeddings", emb)):
            for c in (1.0, 0.01):
                model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=3000)).fit(x[train], noisy)
                per_rate.setdefault((name, c), []).append((model.predict(x[test]) == y[test]).mean())
    for key, values in per_rate.items():
        scores.setdefault(key, []).append(values)
print("features, C: " + " ".join(f"{r:5.2f}" for r in rates))
for (name, c), runs in scores.items():
    print(f"{name}, C = {c}: " + " ".join(f"{v:5.3f}" for v in np.mean(runs, axis=0)))
