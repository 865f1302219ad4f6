# Belay's search for Route 019's work in a notebook's kernel, run after the notebook's last cell (same kernel).
# It writes the CSV contract into `belay_found/` and `belay_found.json`, which says, per artefact, where it came
# from ("file", a variable name), or what was looked for when nothing (or more than one different thing) fitted.
# Nothing is guessed: a match is either verified (row alignment checked against the sequences, splits classified by
# whether they cut clusters) or unique; several different matches are reported as ambiguous.
def _belay_find():
    import csv
    import json
    import os
    import re

    import numpy as np

    try:
        import pandas as pd
    except Exception:  # noqa: BLE001
        pd = None

    AA = "ACDEFGHIKLMNPQRSTVWY"
    CLASSES = {"cytoplasm", "membrane", "secreted"}
    CONTRACT = ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv"]
    OUT = "belay_found"
    os.makedirs(OUT, exist_ok=True)
    report = {"artefacts": {}, "notes": []}

    def record(key, status, source="", message=""):
        report["artefacts"][key] = {"status": status, "source": source, "message": message[:1500]}

    def write_csv(name, header, rows):
        with open(os.path.join(OUT, name), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)

    # ---- 1. Files of the contract the notebook wrote itself (the starter's submission cell).
    written = {}
    for root, dirs, files in os.walk("."):
        depth = root.count(os.sep)
        dirs[:] = [d for d in dirs if d not in (OUT, ".ipynb_checkpoints") and not d.startswith(".") and depth < 3]
        for name in files:
            if name.lower() in CONTRACT:
                written.setdefault(name.lower(), []).append(os.path.join(root, name))
    from_files = set()
    for name, paths in written.items():
        contents = {open(p, "rb").read() for p in paths if os.path.getsize(p) < 64 << 20}
        if len(contents) == 1:
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(contents.pop())
            from_files.add(name)
            record(name, "found", "file " + os.path.normpath(paths[0]) + " written by the notebook")
        elif len(contents) > 1:
            record(name, "ambiguous", "", "the notebook wrote different files of this name: " + ", ".join(paths))
            from_files.add(name)
    if all(n in from_files for n in CONTRACT):
        return report

    # ---- 2. The kernel's namespace.
    skip = {"In", "Out", "exit", "quit", "get_ipython", "_belay_find"}
    ns = {}
    for k, v in list(globals().items()):
        if k.startswith("_") or k in skip or type(v).__name__ in ("module", "function", "type", "builtin_function_or_method"):
            continue
        ns[k] = v
        if isinstance(v, tuple) and len(v) <= 8:
            for i, item in enumerate(v):
                ns[f"{k}[{i}]"] = item

    def vector(v):
        """A 1-D numpy array for arrays, Series, Index and plain lists of scalars; else None."""
        try:
            if pd is not None and isinstance(v, (pd.Series, pd.Index)):
                a = v.to_numpy()
            elif isinstance(v, np.ndarray):
                a = v
            elif isinstance(v, list) and 0 < len(v) < 10_000_000 and all(isinstance(x, (str, int, float, bool, np.generic)) for x in v[:50]):
                a = np.asarray(v)
            else:
                return None
        except Exception:  # noqa: BLE001
            return None
        return a if a.ndim == 1 and a.size > 0 else None

    def matrix(v):
        try:
            if pd is not None and isinstance(v, pd.DataFrame):
                a = v.to_numpy()
            elif isinstance(v, np.ndarray):
                a = v
            else:
                return None
        except Exception:  # noqa: BLE001
            return None
        return a if a.ndim == 2 and a.size > 0 else None

    def is_strings(a):
        return a.dtype.kind in "US" or (a.dtype.kind == "O" and all(isinstance(x, str) for x in a[:200]))

    def is_ints(a):
        if a.dtype.kind in "iu":
            return True
        if a.dtype.kind == "f":
            with np.errstate(invalid="ignore"):
                return bool(np.all(np.isfinite(a)) and np.all(a == np.round(a)))
        return False

    def distinct(cands, key):
        """Candidates with different content (by `key`), keeping the first name of each."""
        seen = {}
        for name, value in cands:
            seen.setdefault(key(value), (name, value))
        return list(seen.values())

    def prefer(cands, names):
        """The candidate whose name is one of the course's `names` (in that order), when the others differ."""
        for n in names:
            for c in cands:
                if c[0] == n:
                    return c
        return None

    def col(df, names):
        lower = {str(c).strip().lower(): c for c in df.columns}
        for n in names:
            if n in lower:
                return lower[n]
        return None

    ID_COLUMNS = ["entry", "protein_id", "id", "accession", "uniprot", "protein"]
    LABEL_COLUMNS = ["location", "label", "localization", "localisation", "class", "y"]
    frames = [(k, v) for k, v in ns.items() if pd is not None and isinstance(v, pd.DataFrame) and 0 < len(v)]

    def expected_features(seqs):
        return np.array([[len(s)] + [s.count(a) for a in AA] for s in seqs], dtype=np.int64)

    # ---- Exercise 0: features, ids, labels.
    feature_cands = []  # (source, ids, labels or None, matrix in standard order)
    problems = []

    def align(X, frame_name, frame, source):
        idc = col(frame, ID_COLUMNS)
        ids = frame[idc].astype(str).to_numpy() if idc is not None else (
            frame.index.astype(str).to_numpy() if frame.index.dtype.kind == "O" else None)
        if ids is None:
            return
        seqc = col(frame, ["sequence", "seq"])
        order = list(range(21))
        if seqc is not None:
            exp = expected_features(frame[seqc].astype(str))
            order = []
            for j in range(21):
                hits = [i for i in range(X.shape[1]) if np.array_equal(X[:, i], exp[:, j])]
                if not hits:
                    problems.append(f"{source}: its rows do not match {frame_name}[{seqc!r}] (length and counts) in column order")
                    return
                order.append(hits[0])
        labc = col(frame, LABEL_COLUMNS)
        labels = frame[labc].astype("string").fillna("").str.strip().to_numpy() if labc is not None else None
        ident = f"{source} with ids {frame_name}[{idc!r}]" if idc is not None else f"{source} with ids {frame_name}.index"
        if labc is not None:
            ident += f", labels {frame_name}[{labc!r}]"
        feature_cands.append((ident, ids, labels, X[:, order]))

    for k, v in frames:
        lower = {str(c).strip().lower(): c for c in v.columns}
        if all(a.lower() in lower for a in AA) and any(n in lower for n in ("length", "len", "seq_length", "sequence_length")):
            lc = next(lower[n] for n in ("length", "len", "seq_length", "sequence_length") if n in lower)
            X = v[[lc] + [lower[a.lower()] for a in AA]].to_numpy()
            if is_ints(X):
                align(X.astype(np.int64), k, v, f"`{k}`")
    for k, v in ns.items():
        X = matrix(v)
        if X is None or X.shape[1] != 21 or X.dtype.kind not in "iuf" or not is_ints(X) or (X < 0).any():
            continue
        tables = [(fk, f) for fk, f in frames if len(f) == X.shape[0] and fk != k]
        for fk, f in tables:
            align(X.astype(np.int64), fk, f, f"`{k}`")
    feature_cands = distinct(
        [(c[0], c) for c in feature_cands],
        key=lambda c: (c[1].tobytes() if c[1].dtype.kind != "O" else "\0".join(c[1]).encode(), c[3].tobytes(),
                       None if c[2] is None else "\0".join(c[2]).encode()))
    def covers(big, small):
        # `small` is a slice of `big` (a train or test part, the rows with an embedding): every row of `small` is
        # the row of `big` with the same id, label included.
        where = {}
        for n, i in enumerate(big[1]):
            where.setdefault(str(i), n)
        if len(where) != len(big[1]) or len(small[1]) > len(big[1]):
            return False
        rows = [where.get(str(i)) for i in small[1]]
        if any(r is None for r in rows):
            return False
        if not np.array_equal(big[3][rows], small[3]):
            return False
        if small[2] is not None and big[2] is not None and not all(big[2][r] == l for r, l in zip(rows, small[2])):
            return False
        return True

    features = None
    if len(feature_cands) == 1:
        features = feature_cands[0][1]
    elif len(feature_cands) > 1:
        chosen = [c for c in feature_cands if c[0].startswith("`X_features`") and "`df`" in c[0]]
        whole = [c for c in feature_cands if all(o is c or covers(c[1], o[1]) for o in feature_cands)]
        if len(whole) > 1:
            # Tables with the same proteins and the same rows (one with its labels, one without): the first
            # that has labels.
            whole = [c for c in whole if c[1][2] is not None][:1] or whole[:1]
        if len(chosen) == 1:
            features = chosen[0][1]
        elif len(whole) == 1:
            features = whole[0][1]
            report["notes"].append(f"features: {whole[0][0]} holds the rows of the other tables that fit ("
                                   + ", ".join(o[0] for o in feature_cands if o is not whole[0]) + ")")
        else:
            record("features.csv", "ambiguous", "", "several different feature tables fit: "
                   + "; ".join(c[0] for c in feature_cands[:5]))
    if features is not None and features[2] is None:
        # Labels outside the table: one string vector of the same length with the course's classes.
        labs = [(k, a) for k, v in ns.items() if (a := vector(v)) is not None and a.size == len(features[1]) and is_strings(a)
                and set(map(str, a)) <= CLASSES | {""}]
        labs = distinct(labs, key=lambda a: "\0".join(map(str, a)))
        if len(labs) == 1:
            features = (features[0] + f", labels `{labs[0][0]}`", features[1], np.array([str(x) for x in labs[0][1]]), features[3])
        else:
            record("features.csv", "missing" if not labs else "ambiguous", "",
                   "found the feature matrix (" + features[0] + ") but " + (
                       "no label for its rows: keep the cleaned label in a `location` column of the same DataFrame"
                       if not labs else "several label vectors: " + ", ".join(f"`{n}`" for n, _ in labs)))
            features = None
    if "features.csv" not in from_files and "features.csv" not in report["artefacts"]:
        if features is not None:
            ident, ids, labels, X = features
            write_csv("features.csv", ["protein_id", "location", "length"] + list(AA),
                      [[i, l] + [int(x) for x in row] for i, l, row in zip(ids, labels, X)])
            record("features.csv", "found", ident)
        else:
            record("features.csv", "missing", "", "looked for a DataFrame with columns `length` and the 20 amino acids, or a "
                   "(proteins x 21) array of whole numbers (like `X_features`) whose rows line up with a DataFrame "
                   "holding the protein ids (`Entry`) and the cleaned `location`"
                   + ("; " + "; ".join(problems[:3]) if problems else "")
                   + ". Keep them in variables at the notebook's top level.")

    # ---- Exercise 1: the label encoding.
    enc = []
    for k, v in ns.items():
        classes = getattr(v, "classes_", None)
        if classes is not None and type(v).__name__ == "LabelEncoder":
            cl = [str(c) for c in np.asarray(classes)]
            enc.append((f"`{k}` (LabelEncoder)", tuple((c, i) for i, c in enumerate(cl))))
        elif isinstance(v, dict) and 2 <= len(v) <= 20 and all(isinstance(a, str) for a in v) \
                and all(isinstance(b, (int, np.integer)) and not isinstance(b, bool) for b in v.values()) \
                and set(v) & CLASSES:
            enc.append((f"`{k}` (dict)", tuple(sorted(((a, int(b)) for a, b in v.items()), key=lambda p: p[1]))))
    enc = distinct(enc, key=lambda p: p)
    if "label_encoding.csv" not in from_files:
        if len(enc) == 1 or prefer(enc, ["`encoder` (LabelEncoder)"]):
            name, pairs = enc[0] if len(enc) == 1 else prefer(enc, ["`encoder` (LabelEncoder)"])
            write_csv("label_encoding.csv", ["location", "code"], [list(p) for p in pairs])
            record("label_encoding.csv", "found", name)
        elif enc:
            record("label_encoding.csv", "ambiguous", "", "several different encodings: " + ", ".join(n for n, _ in enc))
        else:
            record("label_encoding.csv", "missing", "", "looked for a fitted sklearn LabelEncoder or a dict from location to "
                   "integer code; keep it in a top-level variable (the course calls it `encoder`)")

    # ---- Exercises 2-3: aligned ids, clusters, splits.
    known = set(map(str, features[1])) if features is not None else None
    id_cands = []
    for k, v in ns.items():
        a = vector(v)
        if a is not None and a.size >= 5 and is_strings(a):
            ids = np.array([str(x) for x in a])
            if len(set(ids)) == ids.size and (known is None or np.mean([i in known for i in ids]) >= 0.9):
                if known is not None or k in ("aligned_ids", "ids", "emb_ids"):
                    id_cands.append((f"`{k}`", ids))
    for k, f in frames:
        idc = col(f, ID_COLUMNS)
        if idc is not None:
            ids = f[idc].astype(str).to_numpy()
            if len(set(ids)) == ids.size and known is not None and np.mean([i in known for i in ids]) >= 0.9:
                id_cands.append((f"`{k}[{idc!r}]`", ids))
        elif f.index.dtype.kind == "O" and known is not None:
            # Indexed by protein id (`pd.DataFrame(vectors, index=ids)`, `.T` of a dict of vectors).
            ids = f.index.astype(str).to_numpy()
            if len(set(ids)) == ids.size and np.mean([i in known for i in ids]) >= 0.9:
                id_cands.append((f"`{k}.index`", ids))

    def own_ids(k):
        # A Series indexed by protein id carries its own alignment.
        v = ns.get(k)
        if pd is None or not isinstance(v, pd.Series) or v.index.dtype.kind != "O" or known is None:
            return None
        ids = v.index.astype(str).to_numpy()
        return ids if len(set(ids)) == ids.size and np.mean([i in known for i in ids]) >= 0.9 else None
    cl_cands = []
    for k, v in ns.items():
        a = vector(v)
        if a is None or a.size < 5 or not is_ints(a) or a.dtype.kind == "b" or (a < 0).any():
            continue
        uniq = np.unique(a)
        named = bool(re.search(r"clust|comp|group|^labels$", k.split("[")[0], re.I))
        contiguous = uniq[0] == 0 and uniq[-1] == uniq.size - 1 and 3 < uniq.size < a.size
        if named and uniq.size > 1 and re.search(r"test|train|idx|index|mask|size", k, re.I) is None and (contiguous or uniq.size < a.size):
            cl_cands.append((f"`{k}`", a.astype(np.int64)))
        elif contiguous and not named and re.search(r"^y|label|code|test|train|idx|index", k, re.I) is None:
            cl_cands.append((f"`{k}`", a.astype(np.int64)))
    cl_cands = distinct(cl_cands, key=lambda a: a.tobytes())
    aligned = None
    clusters = None
    pairs = []
    for cn, c in cl_cands:
        own = own_ids(cn.strip("`"))
        if own is not None:
            pairs.append((f"{cn}.index", own, cn, c))
            continue
        for iname, ids in distinct(id_cands, key=lambda a: "\0".join(a)):
            if ids.size == c.size:
                pairs.append((iname, ids, cn, c))
    if len(pairs) > 1:
        # The course's names settle it when they are among the candidates.
        course = [p for p in pairs if p[0] == "`aligned_ids`" and p[2] in ("`cluster_labels`",)]
        if len(course) == 1:
            pairs = course
        else:
            named = [p for p in pairs if re.search(r"clust", p[2], re.I)]
            if len({(p[0], p[2]) for p in named}) == 1 or (len(named) >= 1 and len({(p[1].tobytes(), p[3].tobytes()) for p in named}) == 1):
                pairs = named[:1]
    if len(pairs) == 1:
        aligned, clusters = pairs[0][1], pairs[0][3]
        if "clusters.csv" not in from_files:
            write_csv("clusters.csv", ["protein_id", "cluster_id"], [[i, int(c)] for i, c in zip(aligned, clusters)])
            record("clusters.csv", "found", f"ids {pairs[0][0]}, clusters {pairs[0][2]}")
    elif "clusters.csv" not in from_files:
        if pairs:
            record("clusters.csv", "ambiguous", "", "several (ids, cluster labels) pairs fit: "
                   + "; ".join(f"{p[0]} with {p[2]}" for p in pairs[:5]))
        else:
            record("clusters.csv", "missing", "", "looked for the cluster labels (an integer array such as the second "
                   "value `connected_components` returns; the course calls it `cluster_labels`) and, of the same length, "
                   "the ids of the labelled proteins that have an embedding (`aligned_ids`): "
                   + (f"{len(cl_cands)} cluster-like array(s), {len(id_cands)} id list(s) found, none of matching length"
                      if cl_cands or id_cands else "none found") + ". Keep both in top-level variables.")

    # Splits: test sets over the aligned proteins, from masks, index arrays, id lists or rows of the embeddings.
    if aligned is not None:
        m = aligned.size
        pos = {i: n for n, i in enumerate(aligned)}
        emb = [(k, X) for k, v in ns.items() if (X := matrix(v)) is not None and X.shape[0] == m and X.dtype.kind == "f"
               and X.shape[1] != m and X.shape[1] >= 8]
        emb = distinct(emb, key=lambda X: X.tobytes())
        # Row lookups of each embedding-like matrix (raw, scaled, normalised), so that the test rows
        # train_test_split returned can be traced back to positions over the aligned proteins.
        row_maps = []
        for _, E in emb[:6]:
            rows = {}
            for n, r in enumerate(np.ascontiguousarray(E)):
                rows.setdefault(r.tobytes(), []).append(n)
            row_maps.append((E, rows))

        def rows_mask(X):
            masks = []
            for E, rows in row_maps:
                if X.shape[1] != E.shape[1] or X.shape[0] >= m:
                    continue
                # Identical vectors (identical sequences) are interchangeable: they take their rows in order.
                used = {}
                mask = np.zeros(m, bool)
                for r in X:
                    key_ = np.ascontiguousarray(r, dtype=E.dtype).tobytes()
                    group = rows.get(key_)
                    n_used = used.get(key_, 0)
                    if group is None or n_used >= len(group):
                        mask = None
                        break
                    mask[group[n_used]] = True
                    used[key_] = n_used + 1
                if mask is not None:
                    masks.append(mask)
            return masks[0] if masks and all(np.array_equal(masks[0], x) for x in masks) else None
        tests = []  # (name, is_test_side, mask)
        for k, v in ns.items():
            a = vector(v)
            base = k.lower()
            side = "test" if "test" in base else ("train" if "train" in base else None)
            if a is not None and a.size == m and a.dtype.kind == "b":
                if side:
                    tests.append((k, a if side == "test" else ~a))
                continue
            if side is None:
                continue
            mask = None
            if a is not None and is_ints(a) and a.size < m and a.size >= max(5, 0.02 * m) and a.min() >= 0 \
                    and a.max() < m and np.unique(a).size == a.size \
                    and (re.search(r"idx|ind|index|pos|rows", base)
                         or (a.dtype.kind in "iu" and not re.search(r"clust|group|comp|label|class|^y|_y", base))):
                mask = np.zeros(m, bool)
                mask[a.astype(np.int64)] = True
            elif a is not None and is_strings(a) and a.size < m and all(str(x) in pos for x in a):
                mask = np.zeros(m, bool)
                mask[[pos[str(x)] for x in a]] = True
            else:
                X = matrix(v)
                if X is not None and X.shape[0] < m:
                    mask = rows_mask(X)
            if mask is not None:
                tests.append((k, mask if side == "test" else ~mask))
        tests.sort(key=lambda t: "test" not in t[0].lower())
        tests = distinct(tests, key=lambda a: a.tobytes())
        random, clustered = [], []
        for name, mask in tests:
            if mask.all() or not mask.any():
                continue
            cut = np.intersect1d(np.unique(clusters[mask]), np.unique(clusters[~mask])).size
            (random if cut > 0 else clustered).append((name, mask))

        def pick(cands, words):
            if len(cands) == 1:
                return cands[0], None
            named = [c for c in cands if re.search(words, c[0], re.I)]
            if len(named) >= 1 and len({c[1].tobytes() for c in named}) == 1:
                return named[0], None
            return None, ("several different ones fit: " + ", ".join(f"`{c[0]}`" for c in cands[:6])) if cands else None

        r, r_problem = pick(random, r"rand")
        c, c_problem = pick(clustered, r"clust|group|homol")
        if "splits.csv" not in from_files:
            if r and c:
                write_csv("splits.csv", ["protein_id", "random_split", "clustered_split"],
                          [[i, "test" if a else "train", "test" if b else "train"] for i, a, b in zip(aligned, r[1], c[1])])
                record("splits.csv", "found", f"random test set from `{r[0]}`, clustered test set from `{c[0]}` "
                       f"(told apart by whether they cut clusters of {pairs[0][2]})")
            else:
                what = []
                if not r:
                    what.append("the random split: " + (r_problem or "no test set over the aligned proteins that cuts clusters"))
                if not c:
                    what.append("the clustered split: " + (c_problem or "no test set over the aligned proteins that keeps clusters whole"))
                record("splits.csv", "ambiguous" if (r_problem or c_problem) else "missing", "",
                       "; ".join(what) + ". Belay looks for boolean masks over `aligned_ids` (named like `random_test_mask`, "
                       "`clustered_test_mask`), test/train index arrays, test id lists, or the test rows train_test_split "
                       "returns from the embedding matrix, in top-level variables.")
    elif "splits.csv" not in from_files:
        record("splits.csv", "missing", "", "the splits are read over the aligned proteins, which were not found (see clusters.csv)")

    # ---- Figures.
    def numbers(pattern, exclude=None, lo=0.0, hi=1.0):
        out = []
        for k, v in ns.items():
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
                continue
            if re.search(pattern, k, re.I) and not (exclude and re.search(exclude, k, re.I)) and lo <= float(v) <= hi:
                out.append((f"`{k}`", float(v)))
        return out

    figures = {
        "leakage_accuracy": (numbers(r"leak", r"thresh|frac|size|seed"), "leakage_accuracy"),
        "random_split_accuracy": (numbers(r"rand.*(acc|score)|(acc|score).*rand", r"clust"), "random_split_accuracy"),
        "clustered_split_accuracy": (numbers(r"(clust|group|homol).*(acc|score)|(acc|score).*(clust|group|homol)", r"rand"), "clustered_split_accuracy"),
        "similarity_threshold": (numbers(r"thresh|cutoff|cut_off", None, -1.0, 1.0), "THRESHOLD"),
        "test_fraction": (numbers(r"test.*(frac|size|ratio|share)|(frac|size|ratio|share).*test", r"acc|score", 0.0, 0.99), "TEST_FRACTION"),
    }
    metric_rows = []
    random_share = None
    if aligned is not None and "splits.csv" in report["artefacts"] and report["artefacts"]["splits.csv"]["status"] == "found" \
            and "splits.csv" not in from_files:
        random_share = round(float(r[1].mean()), 2)
    for metric, (cands, course) in figures.items():
        values = {}
        for name, value in cands:
            values.setdefault(value, []).append(name)
        exact = [c for c in cands if c[0].strip("`").lower() == course.lower()]
        if len(values) == 1:
            value, names = next(iter(values.items()))
            metric_rows.append((metric, value, ", ".join(names)))
        elif len(exact) == 1:
            metric_rows.append((metric, exact[0][1], exact[0][0]))
        elif values:
            report["artefacts"]["metrics.csv:" + metric] = {
                "status": "ambiguous", "source": "",
                "message": f"several different values could be {metric}: " + ", ".join(f"{c[0]} = {c[1]:.4g}" for c in cands[:6])}
        else:
            derived = None
            if metric == "similarity_threshold":
                # A literal in the cell that links pairs (`S > 0.9`), when it is the only one.
                # Or the variable compared there (`S > thr`), when it is a top-level number.
                found, named = set(), set()
                for source in globals().get("In", []) or []:
                    if re.search(r"connected_components|cosine", source):
                        found |= {float(x) for x in re.findall(r">=?\s*(0?\.\d+|1\.0)\b", source)}
                        for word in re.findall(r">=?\s*([A-Za-z_]\w*)\b", source):
                            value = ns.get(word)
                            if isinstance(value, (float, np.floating)) and -1.0 <= float(value) <= 1.0:
                                found.add(float(value))
                                named.add(word)
                if len(found) == 1:
                    derived = (found.pop(), f"`{named.pop()}`, compared in the cell that links pairs" if len(named) == 1
                               else "the literal in the cell that links pairs")
            if metric == "test_fraction" and random_share is not None:
                derived = (random_share, "the random split's test share (no variable named like TEST_FRACTION)")
            if derived:
                metric_rows.append((metric, derived[0], derived[1]))
            else:
                report["artefacts"]["metrics.csv:" + metric] = {
                    "status": "missing", "source": "",
                    "message": f"looked for a top-level number named like `{course}` (for {metric}); none found"}
    if "metrics.csv" not in from_files:
        if metric_rows:
            write_csv("metrics.csv", ["name", "value"], [[n, repr(float(v))] for n, v, _ in metric_rows])
        record("metrics.csv", "found" if metric_rows else "missing",
               "; ".join(f"{n} from {s}" for n, _, s in metric_rows),
               "" if metric_rows else "no figure found (looked for `leakage_accuracy`, `random_split_accuracy`, "
               "`clustered_split_accuracy`, `THRESHOLD`, `TEST_FRACTION` and names like them)")
    return report


try:
    _belay_report = _belay_find()
except Exception as _belay_error:  # noqa: BLE001 - report, never crash the driver
    import traceback as _belay_tb
    _belay_report = {"artefacts": {}, "notes": ["Belay's search failed: " + "".join(_belay_tb.format_exception_only(type(_belay_error), _belay_error))[-1500:]]}
import json as _belay_json
with open("belay_found.json", "w") as _belay_f:
    _belay_json.dump(_belay_report, _belay_f)
del _belay_find, _belay_report, _belay_json, _belay_f
