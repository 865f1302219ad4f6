"""Reference solution of Route 020, "Good Models from Bad Labels".

Reads the course files (the protein sheet and the embeddings), splits the cleaned proteins into train and test,
corrupts the training labels at 0, 5, ... 45% (each corrupted label moved to a different class, uniformly at
random), trains the same classifier at every rate, scores each model on the untouched test labels, and writes the
five files of the contract into OUT:

    python3 good_models_from_bad_labels.py [DATA_DIR] [OUT_DIR] [--features embeddings|hand-made] [--seed N]

DATA_DIR holds mtb_with_localization.xlsx and mtb_full.h5.gz (default: Belay's embedded copy); OUT_DIR defaults to
the folder of this script. Needs numpy, pandas, openpyxl, h5py and scikit-learn.
"""
import argparse
import gzip
import io
import os
import sys

import h5py
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "Sources", "BelayData", "Resources", "mtb-h37rv")
CLASSES = ["cytoplasm", "membrane", "secreted"]
RATES = [k / 20 for k in range(10)]  # 0, 0.05, ... 0.45
AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"


def load(data_dir, features):
    """The cleaned proteins (the sheet's `location` column, blanks dropped), their labels and features."""
    sheet = pd.read_excel(os.path.join(data_dir, "mtb_with_localization.xlsx"))
    sheet = sheet.drop_duplicates("Entry")
    sheet = sheet[sheet["location"].isin(CLASSES)].reset_index(drop=True)
    ids = sheet["Entry"].astype(str).to_numpy()
    labels = sheet["location"].to_numpy()
    if features == "hand-made":
        sequences = sheet["Sequence"].astype(str).str.upper()
        x = np.array([[len(s)] + [s.count(a) for a in AMINO_ACIDS] for s in sequences], dtype=float)
    else:
        with gzip.open(os.path.join(data_dir, "mtb_full.h5.gz")) as f:
            raw = f.read()
        with h5py.File(io.BytesIO(raw), "r") as h5:
            x = np.stack([np.asarray(h5[i], dtype=float) for i in ids])
    return ids, labels, x


def corrupt(labels, train_positions, rate, rng):
    """A copy of `labels` with round(rate x training proteins) training labels moved to another class."""
    noisy = labels.copy()
    count = int(round(rate * len(train_positions)))
    for i in rng.choice(train_positions, size=count, replace=False):
        noisy[i] = rng.choice([c for c in CLASSES if c != labels[i]])
    return noisy


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.01, max_iter=2000))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", default=DEFAULT_DATA)
    parser.add_argument("out", nargs="?", default=HERE)
    parser.add_argument("--features", choices=["embeddings", "hand-made"], default="embeddings")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    ids, labels, x = load(args.data, args.features)
    positions = np.arange(len(ids))
    train, test = train_test_split(positions, test_size=0.2, stratify=labels, random_state=args.seed)
    is_test = np.zeros(len(ids), dtype=bool)
    is_test[test] = True

    rng = np.random.default_rng(args.seed)
    label_rows, curve_rows = [], []
    for rate in RATES:
        noisy = corrupt(labels, train, rate, rng)
        assert (noisy[test] == labels[test]).all()  # the test labels stay clean
        fitted = model().fit(x[train], noisy[train])
        accuracy = float((fitted.predict(x[test]) == labels[test]).mean())
        flipped = int((noisy[train] != labels[train]).sum())
        print(f"noise {rate:4.2f}: {flipped:4d} of {len(train)} training labels flipped, test accuracy {accuracy:.3f}")
        label_rows.append(pd.DataFrame({"noise_rate": rate, "protein_id": ids, "label": noisy}))
        curve_rows.append({"noise_rate": rate, "accuracy": round(accuracy, 6)})

    majority = pd.Series(labels[train]).mode()[0]
    print(f"majority class ({majority}) on the test set: {(labels[test] == majority).mean():.3f}")

    os.makedirs(args.out, exist_ok=True)
    pd.DataFrame({"protein_id": ids, "split": np.where(is_test, "test", "train")}).to_csv(
        os.path.join(args.out, "split.csv"), index=False)
    pd.concat(label_rows).to_csv(os.path.join(args.out, "noisy_labels.csv"), index=False, float_format="%.2f")
    pd.DataFrame(curve_rows).to_csv(os.path.join(args.out, "curve.csv"), index=False)
    pd.DataFrame(
        {"setting": ["features", "classifier", "seed", "test_fraction"],
         "value": [args.features, "StandardScaler + LogisticRegression(C=0.01, max_iter=2000)", args.seed, 0.2]}
    ).to_csv(os.path.join(args.out, "setup.csv"), index=False)


if __name__ == "__main__":
    sys.exit(main())
