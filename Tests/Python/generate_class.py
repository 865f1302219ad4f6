#!/usr/bin/env python3
"""Generates a class of Route 019 submissions the way students write them, with scikit-learn and pandas.

Usage: generate_class.py DATA_DIR OUT_DIR REFLECTION_MD [--legit N] [--flawed N] [--seed S]

DATA_DIR holds the course's two files (mtb_with_localization.xlsx, mtb_full.h5.gz). Every submission is a folder of
OUT_DIR written by pandas with its default options. OUT_DIR/manifest.json lists them:
  {"name": ..., "legit": true|false, "exercise": "ex0"|"ex1"|"ex3"|"ex4"|null, "flaw": "...", "recipe": {...}}

Legitimate submissions vary what students legitimately vary: the classifier (logistic regression with and without
scaling, random forest, k-NN, SVM, gradient boosting), the seed, the threshold (0.8 to 0.95), the test fraction (0.2
to 0.3), the clustered split (by cluster ids, by protein share, sklearn's GroupShuffleSplit), the random split
(plain or stratified), the label source (the sheet's `location` column or the student's own cleaning of the text)
and the label encoding (LabelEncoder, pandas.factorize, a hand-written dict). Each flawed submission makes one
mistake a student makes, in one exercise, and must fail there.
"""
import argparse
import gzip
import multiprocessing
import io
import json
import os
import re
import shutil
import sys
import warnings

import h5py
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import KMeans
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.model_selection import GroupShuffleSplit, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.svm import SVC

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one BLAS thread per worker process
warnings.filterwarnings("ignore")
AA = "ACDEFGHIKLMNPQRSTVWY"

# ----------------------------------------------------------------------------------------------- classifiers
CLASSIFIERS = {
    "logreg_scaled": lambda seed: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
    "logreg": lambda seed: LogisticRegression(max_iter=1000),
    "random_forest": lambda seed: RandomForestClassifier(n_estimators=60, random_state=seed, n_jobs=1),
    "knn_scaled": lambda seed: make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5)),
    "svm_scaled": lambda seed: make_pipeline(StandardScaler(), SVC()),
    "hist_gradient_boosting": lambda seed: HistGradientBoostingClassifier(max_iter=40, random_state=seed),
    "gradient_boosting": lambda seed: GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=seed),
}


# ----------------------------------------------------------------------------------------------- labels
GO = {"extracellular region": "secreted", "extracellular space": "secreted", "plasma membrane": "membrane",
      "membrane": "membrane", "cell outer membrane": "membrane", "cytosol": "cytoplasm", "cytoplasm": "cytoplasm"}
UNIPROT = {"cytoplasm": "cytoplasm", "cytosol": "cytoplasm", "secreted": "secreted",
           "extracellular space": "secreted", "cell membrane": "membrane", "membrane": "membrane",
           "cell inner membrane": "membrane", "cell outer membrane": "membrane",
           "multi-pass membrane protein": "membrane", "single-pass membrane protein": "membrane",
           "single-pass type i membrane protein": "membrane", "single-pass type ii membrane protein": "membrane",
           "peripheral membrane protein": "membrane", "lipid-anchor": "membrane"}


def clean_go(text):
    classes = set()
    for term in str(text).split(";"):
        name = term.rsplit("[GO:", 1)[0].strip().lower()
        if name in GO:
            classes.add(GO[name])
    return classes.pop() if len(classes) == 1 else None


def clean_uniprot(text):
    """A student's cleaning of UniProt text: drop {evidence} and notes, split terms, vote by the top location."""
    text = re.sub(r"\{[^}]*\}", "", str(text))
    classes = set()
    for block in text.split("SUBCELLULAR LOCATION:"):
        block = block.split("Note=")[0]
        block = re.sub(r"^\s*\[[^\]]*\]:", "", block)
        for term in re.split(r"[.;]", block):
            term = term.strip().lower()
            if not term:
                continue
            key = term if term in UNIPROT else term.split(",")[0].strip()
            if key in UNIPROT:
                classes.add(UNIPROT[key])
    return classes.pop() if len(classes) == 1 else None


class Course:
    """The course files, read the way the course text says, once."""

    def __init__(self, data_dir):
        sheet = pd.read_excel(os.path.join(data_dir, "mtb_with_localization.xlsx"))
        sheet = sheet.drop_duplicates("Entry").reset_index(drop=True)
        sheet["Entry"] = sheet["Entry"].astype(str)
        self.sheet = sheet
        if "Subcellular location [CC]" in sheet.columns:
            self.text = sheet["Subcellular location [CC]"].fillna("").map(clean_uniprot)
        else:
            self.text = sheet["Gene Ontology (cellular component)"].fillna("").map(clean_go)
        column = sheet["location"].astype("string").str.strip().str.lower()
        self.column = column.where(column.notna() & (column != ""), None)
        with h5py.File(io.BytesIO(gzip.open(os.path.join(data_dir, "mtb_full.h5.gz")).read()), "r") as f:
            self.vectors = {k: f[k][()].astype(np.float32).ravel() for k in f.keys()}
        self._frames = {}
        self._similarity = {}
        self._components = {}

    def frame(self, source):
        """Labelled proteins (sheet order) with their features, for one label source."""
        if source not in self._frames:
            labels = self.column if source == "column" else self.text
            df = self.sheet.assign(location=labels)
            df = df[df["location"].notna()].reset_index(drop=True)
            X = np.array([[len(s)] + [s.count(a) for a in AA] for s in df["Sequence"].astype(str)])
            aligned = [i for i, e in enumerate(df["Entry"]) if e in self.vectors]
            E = np.stack([self.vectors[df["Entry"][i]] for i in aligned])
            self._frames[source] = (df, X, np.array(aligned), E)
        return self._frames[source]

    def similarity(self, source):
        if source not in self._similarity:
            self._similarity[source] = cosine_similarity(self.frame(source)[3])
        return self._similarity[source]

    def components(self, source, threshold):
        key = (source, threshold)
        if key not in self._components:
            adjacency = csr_matrix(self.similarity(source) > threshold)
            self._components[key] = connected_components(adjacency, directed=False)[1]
        return self._components[key]


# ----------------------------------------------------------------------------------------------- one student
def encode(labels, how):
    if how == "sklearn":
        encoder = LabelEncoder().fit(labels)
        return encoder.transform(labels), list(encoder.classes_)
    if how == "factorize":
        codes, uniques = pd.factorize(pd.Series(labels))
        return codes, list(uniques)
    mapping = {"cytoplasm": 1, "membrane": 2, "secreted": 3}  # a hand-written dict, codes from 1
    classes = sorted(set(labels), key=lambda c: mapping.get(c, 99))
    return np.array([mapping[c] for c in labels]), classes, mapping


def clustered_test_mask(labels, fraction, seed, how):
    n = len(labels)
    ids = np.unique(labels)
    if how == "cluster_ids":
        rng = np.random.default_rng(seed)
        chosen = rng.choice(ids, size=int(round(fraction * len(ids))), replace=False)
        return np.isin(labels, chosen)
    if how == "protein_share":
        rng = np.random.RandomState(seed)
        order = rng.permutation(ids)
        sizes = np.bincount(labels)
        chosen, total = [], 0
        for c in order:
            if total >= fraction * n:
                break
            chosen.append(c)
            total += sizes[c]
        return np.isin(labels, chosen)
    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    _, test = next(splitter.split(np.zeros(n), groups=labels))
    mask = np.zeros(n, dtype=bool)
    mask[test] = True
    return mask


def solve(course, r):
    """Does the route as recipe `r` says; returns everything a submission holds."""
    df, X, aligned, E = course.frame(r["labels"])
    labels = df["location"].to_numpy()
    encoded = encode(labels, r["encoding"])
    y, classes = encoded[0], encoded[1]
    code_of = encoded[2] if len(encoded) > 2 else {c: i for i, c in enumerate(classes)}
    clf = CLASSIFIERS[r["classifier"]]
    seed, fraction, threshold = r["seed"], r["fraction"], r["threshold"]

    leaky = np.column_stack([X, y])
    stratify = y if r["stratify"] else None
    a, b, ya, yb = train_test_split(leaky, y, test_size=fraction, random_state=seed, stratify=stratify)
    leakage_accuracy = clf(seed).fit(a, ya).score(b, yb)

    ya_all = y[aligned]
    cluster_labels = course.components(r["labels"], threshold)
    idx = np.arange(len(aligned))
    _, test_idx = train_test_split(idx, test_size=fraction, random_state=seed,
                                   stratify=ya_all if r["stratify"] else None)
    random_mask = np.isin(idx, test_idx)
    clustered_mask = clustered_test_mask(cluster_labels, fraction, seed, r["split"])

    def accuracy(mask):
        return clf(seed).fit(E[~mask], ya_all[~mask]).score(E[mask], ya_all[mask])

    return {
        "df": df, "X": X, "y": y, "classes": classes, "code_of": code_of, "aligned": aligned, "E": E,
        "aligned_ids": df["Entry"].to_numpy()[aligned],
        "ya": ya_all, "clusters": cluster_labels, "random": random_mask, "clustered": clustered_mask,
        "metrics": {"leakage_accuracy": leakage_accuracy, "random_split_accuracy": accuracy(random_mask),
                    "clustered_split_accuracy": accuracy(clustered_mask), "similarity_threshold": threshold,
                    "test_fraction": fraction},
    }


def write(folder, s, reflection):
    """Writes a solution the way the starter's submission cell does: pandas, default options."""
    os.makedirs(folder, exist_ok=True)
    df = s["df"]
    features = pd.DataFrame(s["X"], columns=["length"] + list(AA)).astype(int)
    features.insert(0, "location", df["location"].to_numpy())
    features.insert(0, "protein_id", df["Entry"].to_numpy())
    features.to_csv(os.path.join(folder, "features.csv"), index=False)
    pd.DataFrame({"location": list(s["code_of"].keys()), "code": list(s["code_of"].values())}) \
        .to_csv(os.path.join(folder, "label_encoding.csv"), index=False)
    ids = s["aligned_ids"]
    pd.DataFrame({"protein_id": ids, "cluster_id": s["clusters"]}).to_csv(os.path.join(folder, "clusters.csv"), index=False)
    pd.DataFrame({"protein_id": ids,
                  "random_split": np.where(s["random"], "test", "train"),
                  "clustered_split": np.where(s["clustered"], "test", "train")}) \
        .to_csv(os.path.join(folder, "splits.csv"), index=False)
    m = s["metrics"]
    pd.DataFrame({"name": list(m.keys()), "value": list(m.values())}).to_csv(os.path.join(folder, "metrics.csv"), index=False)
    with open(os.path.join(folder, "reflection.md"), "w") as f:
        f.write(reflection)


# ----------------------------------------------------------------------------------------------- the class
def legit_recipes(count, seed):
    """`count` recipes covering every dimension: each value recurs, combinations vary (a shuffled grid walk)."""
    rng = np.random.default_rng(seed)
    dims = {
        "classifier": ["logreg_scaled", "logreg", "random_forest", "knn_scaled", "svm_scaled",
                       "hist_gradient_boosting", "logreg_scaled", "random_forest"],
        "seed": [0, 1, 3, 4, 7, 42, 123, 2024, 5, 11],
        "threshold": [0.8, 0.85, 0.88, 0.9, 0.92, 0.95],
        "fraction": [0.2, 0.25, 0.3],
        "split": ["cluster_ids", "protein_share", "group_shuffle"],
        "stratify": [False, True],
        "labels": ["column", "text"],
        "encoding": ["sklearn", "factorize", "dict"],
    }
    recipes = []
    offsets = {k: int(rng.integers(len(v))) for k, v in dims.items()}
    for i in range(count):
        r = {k: v[(i * (1 + j) + offsets[k]) % len(v)] for j, (k, v) in enumerate(dims.items())}
        recipes.append(r)
    # Gradient boosting is slow: two students use it.
    for i in (3, count // 2):
        if i < count:
            recipes[i]["classifier"] = "gradient_boosting"
    return recipes


def flawed_submissions(course, base, reflection, out, limit):
    """Each flaw: (name, exercise, how it changes a correct solution or its files)."""
    answers = re.split(r"^## Q\d.*$", reflection, flags=re.M)[1:]
    answers = [a.strip() for a in answers]
    heads = re.findall(r"^## Q\d.*$", reflection, flags=re.M)

    def md(parts):
        return "\n\n".join(f"{h}\n{a}" for h, a in zip(heads, parts)) + "\n"

    df, X, aligned, E = course.frame("column")
    flaws = []

    def flaw(name, exercise):
        def register(fn):
            flaws.append((name, exercise, fn))
            return fn
        return register

    # Exercise 0
    @flaw("length_counts_newline", "ex0")
    def _(s):
        s["X"] = s["X"].copy(); s["X"][:, 0] += 1

    @flaw("forgot_tryptophan", "ex0")
    def _(s):
        s["X"] = s["X"].copy(); s["X"][:, AA.index("W") + 1] = 0

    @flaw("labels_flipped_10pct", "ex0")
    def _(s):
        d = s["df"].copy()
        swap = {"membrane": "cytoplasm", "cytoplasm": "secreted", "secreted": "membrane"}
        d.loc[d.index % 10 == 0, "location"] = d.loc[d.index % 10 == 0, "location"].map(swap)
        s["df"] = d

    @flaw("kept_ambiguous_as_first_class", "ex0")
    def _(s):
        extra = course.sheet[course.column.isna() & course.text.isna()].head(200)
        extra = extra.assign(location="membrane")
        Xe = np.array([[len(q)] + [q.count(a) for a in AA] for q in extra["Sequence"].astype(str)])
        s["df"] = pd.concat([s["df"], extra], ignore_index=True)
        s["X"] = np.vstack([s["X"], Xe])

    @flaw("dropped_a_tenth_of_rows", "ex0")
    def _(s):
        keep = np.arange(len(s["df"])) % 10 != 5  # a bad merge: the rows are gone from every file
        s["df"] = s["df"][keep].reset_index(drop=True); s["X"] = s["X"][keep]
        kept = np.isin(s["aligned_ids"], s["df"]["Entry"].to_numpy())
        for key in ("aligned_ids", "random", "clustered", "E", "ya"):
            s[key] = s[key][kept]
        # The student clusters the proteins they kept.
        t = s["metrics"]["similarity_threshold"]
        sim = course.similarity("column")[np.ix_(kept, kept)]
        s["clusters"] = connected_components(csr_matrix(sim > t), directed=False)[1]

    @flaw("ids_with_prefix", "ex0")
    def _(s):
        d = s["df"].copy(); d["Entry"] = "MTB_" + d["Entry"]; s["df"] = d

    # Exercise 1
    @flaw("leak_feature_forgotten", "ex1")
    def _(s):
        clf = CLASSIFIERS["logreg_scaled"](42)
        a, b, ya, yb = train_test_split(s["X"], s["y"], test_size=0.2, random_state=42)
        s["metrics"]["leakage_accuracy"] = clf.fit(a, ya).score(b, yb)

    @flaw("leak_drowned_by_unscaled_knn", "ex1")
    def _(s):
        leaky = np.column_stack([s["X"], s["y"]])
        a, b, ya, yb = train_test_split(leaky, s["y"], test_size=0.2, random_state=42)
        s["metrics"]["leakage_accuracy"] = KNeighborsClassifier().fit(a, ya).score(b, yb)

    @flaw("encoding_two_classes_one_code", "ex1")
    def _(s):
        s["code_of"] = {"cytoplasm": 0, "membrane": 1, "secreted": 1}

    @flaw("encoding_lacks_a_class", "ex1")
    def _(s):
        s["code_of"] = {k: v for k, v in s["code_of"].items() if k != "secreted"}

    # Exercises 2-3
    @flaw("kmeans_instead_of_components", "ex3")
    def _(s):
        k = len(np.unique(s["clusters"]))
        s["clusters"] = KMeans(n_clusters=min(k, 50), n_init=1, random_state=0).fit_predict(s["E"])

    @flaw("direct_neighbours_not_components", "ex3")
    def _(s):
        sim = course.similarity("column")
        t = s["metrics"]["similarity_threshold"]
        first = np.argmax(sim > t, axis=1)  # each protein joins its first neighbour's id: not transitive
        s["clusters"] = first

    @flaw("clusters_at_another_threshold", "ex3")
    def _(s):
        s["clusters"] = course.components("column", 0.85)

    @flaw("clustered_split_per_protein", "ex3")
    def _(s):
        rng = np.random.default_rng(9)
        s["clustered"] = rng.random(len(s["clustered"])) < 0.2

    @flaw("random_split_is_the_clustered_one", "ex3")
    def _(s):
        s["random"] = s["clustered"].copy()
        mask = s["random"]
        clf = CLASSIFIERS["logreg_scaled"](42)
        s["metrics"]["random_split_accuracy"] = clf.fit(s["E"][~mask], s["ya"][~mask]).score(s["E"][mask], s["ya"][mask])

    @flaw("random_accuracy_on_training_set", "ex3")
    def _(s):
        mask = s["random"]  # model.score(X_train, y_train): a forest fits its training set perfectly
        clf = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1)
        s["metrics"]["random_split_accuracy"] = clf.fit(s["E"][~mask], s["ya"][~mask]).score(s["E"][~mask], s["ya"][~mask])

    @flaw("clustered_model_saw_test_proteins", "ex3")
    def _(s):
        mask = s["clustered"]  # fit on every protein, test proteins included: a forest remembers them
        clf = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1)
        s["metrics"]["clustered_split_accuracy"] = clf.fit(s["E"], s["ya"]).score(s["E"][mask], s["ya"][mask])

    @flaw("random_accuracy_with_leaked_label", "ex3")
    def _(s):
        mask = s["random"]
        leaky = np.column_stack([s["E"], s["ya"]])
        clf = CLASSIFIERS["logreg_scaled"](42)
        s["metrics"]["random_split_accuracy"] = clf.fit(leaky[~mask], s["ya"][~mask]).score(leaky[mask], s["ya"][mask])

    @flaw("threshold_far_too_low", "ex3")
    def _(s):
        s["metrics"]["similarity_threshold"] = 0.3
        s["clusters"] = course.components("column", 0.3)

    @flaw("random_test_half_not_declared_fraction", "ex3")
    def _(s):
        rng = np.random.default_rng(1)
        s["random"] = rng.random(len(s["random"])) < 0.5

    @flaw("lost_proteins_with_embeddings", "ex3")
    def _(s):
        keep = np.arange(len(s["aligned"])) % 20 != 3
        for key in ("aligned_ids", "clusters", "random", "clustered"):
            s[key] = s[key][keep]

    @flaw("split_value_typo", "ex3")
    def _(s):
        s["_splits_typo"] = True

    @flaw("metrics_without_clustered_accuracy", "ex3")
    def _(s):
        del s["metrics"]["clustered_split_accuracy"]

    # Exercise 4
    @flaw("reflection_without_q3", "ex4")
    def _(s):
        s["_reflection"] = md(answers[:2] + [""] + answers[3:]).replace(heads[2], "Q3")

    @flaw("reflection_copies_the_questions", "ex4")
    def _(s):
        s["_reflection"] = md([h.split(".", 1)[1].strip() + " " + h.split(".", 1)[1].strip() for h in heads])

    @flaw("reflection_off_topic", "ex4")
    def _(s):
        off = "I enjoyed this exercise a lot. The plots looked nice and the code ran quickly."
        s["_reflection"] = md([answers[0], off, answers[2], answers[3]])

    @flaw("reflection_one_answer_twice", "ex4")
    def _(s):
        s["_reflection"] = md([answers[0], answers[3], answers[2], answers[3]])

    @flaw("reflection_far_too_long", "ex4")
    def _(s):
        s["_reflection"] = md([answers[0] + " It matters. It really matters. Leakage is common. Check for it. Always.",
                               answers[1], answers[2], answers[3]])

    manifest = []
    for name, exercise, fn in flaws[:limit]:
        s = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
        s["metrics"] = dict(base["metrics"])
        fn(s)
        folder = os.path.join(out, "flawed-" + name)
        write(folder, s, s.get("_reflection", reflection))
        if s.get("_splits_typo"):
            path = os.path.join(folder, "splits.csv")
            lines = open(path).read().split("\n")
            lines[8] = lines[8].replace(",train,", ",tset,").replace(",test,", ",tset,")
            open(path, "w").write("\n".join(lines))
        manifest.append({"name": "flawed-" + name, "legit": False, "exercise": exercise, "flaw": name})
    return manifest


COURSE = None  # set before the worker processes fork, so they share it


def write_legit(job):
    name, recipe, out, reflection = job
    write(os.path.join(out, name), solve(COURSE, recipe), reflection)
    return name


def main():
    global COURSE
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("reflection")
    parser.add_argument("--legit", type=int, default=60)
    parser.add_argument("--flawed", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    reflection = open(args.reflection).read()
    COURSE = Course(args.data)
    os.makedirs(args.out, exist_ok=True)
    manifest, jobs = [], []
    for i, r in enumerate(legit_recipes(args.legit, args.seed)):
        name = f"legit-{i:03d}-{r['classifier']}-s{r['seed']}-t{r['threshold']}-f{r['fraction']}-{r['split']}-{r['labels']}"
        jobs.append((name, r, args.out, reflection))
        manifest.append({"name": name, "legit": True, "exercise": None, "flaw": None, "recipe": r})
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            list(pool.imap_unordered(write_legit, jobs))
    else:
        for job in jobs:
            write_legit(job)
    if args.flawed > 0:
        base = solve(COURSE, {"labels": "column", "encoding": "sklearn", "classifier": "logreg_scaled", "seed": 42,
                              "fraction": 0.2, "threshold": 0.9, "split": "cluster_ids", "stratify": False})
        manifest += flawed_submissions(COURSE, base, reflection, args.out, args.flawed)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print(f"{sum(m['legit'] for m in manifest)} legitimate and {sum(not m['legit'] for m in manifest)} flawed "
          f"submissions in {args.out}")


if __name__ == "__main__":
    main()
