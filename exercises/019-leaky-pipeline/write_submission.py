# Paste this cell at the end of your notebook and adapt the variable names on the left to yours.
# It writes the five CSV files Belay reads into SUBMISSION_DIR.
import os
import pandas as pd

SUBMISSION_DIR = globals().get("SUBMISSION_DIR", "submission")  # hand in this folder with your notebook in it
os.makedirs(SUBMISSION_DIR, exist_ok=True)

# Exercise 0: one row per labelled protein kept after cleaning.
#   df          : DataFrame with columns Entry, Sequence and your cleaned label column `location`
#   X_features  : array (n_proteins x 21): length, then counts of ACDEFGHIKLMNPQRSTVWY, rows in df's order
AA = list("ACDEFGHIKLMNPQRSTVWY")
features = pd.DataFrame(X_features, columns=["length"] + AA).astype(int)
features.insert(0, "location", df["location"].to_numpy())
features.insert(0, "protein_id", df["Entry"].to_numpy())
features.to_csv(f"{SUBMISSION_DIR}/features.csv", index=False)

# Exercise 1: the label encoding (e.g. a fitted sklearn LabelEncoder `encoder`).
pd.DataFrame({"location": encoder.classes_, "code": range(len(encoder.classes_))}) \
    .to_csv(f"{SUBMISSION_DIR}/label_encoding.csv", index=False)

# Exercises 2-3: the aligned proteins (`aligned_ids`), their cluster labels (`cluster_labels`, e.g. from
# scipy's connected_components) and the two splits as boolean masks (`random_test_mask`, `clustered_test_mask`).
pd.DataFrame({"protein_id": aligned_ids, "cluster_id": cluster_labels}) \
    .to_csv(f"{SUBMISSION_DIR}/clusters.csv", index=False)
pd.DataFrame({
    "protein_id": aligned_ids,
    "random_split": ["test" if t else "train" for t in random_test_mask],
    "clustered_split": ["test" if t else "train" for t in clustered_test_mask],
}).to_csv(f"{SUBMISSION_DIR}/splits.csv", index=False)

# The figures (fractions, not percentages).
pd.DataFrame({"name": ["leakage_accuracy", "random_split_accuracy", "clustered_split_accuracy",
                       "similarity_threshold", "test_fraction"],
              "value": [leakage_accuracy, random_split_accuracy, clustered_split_accuracy,
                        THRESHOLD, TEST_FRACTION]}) \
    .to_csv(f"{SUBMISSION_DIR}/metrics.csv", index=False)
print("wrote", sorted(os.listdir(SUBMISSION_DIR)))
