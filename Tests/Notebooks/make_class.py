# Writes the honest notebooks of the test class (Tests/Notebooks/class/*.ipynb; run once, the files are committed).
# With course_steps.ipynb and the six hostile_*.ipynb of make_fixtures.py they make the class of 20 that
# NotebookClassTests grades with `belay grade`. Each is a legitimate way of doing the course in an ordinary student
# style (different classifiers, seeds, thresholds 0.8-0.95, train_test_split or masks or index arrays or id lists,
# DataFrames or arrays, with or without the starter's submission cell), and each must score full marks: when one
# does not, Belay is wrong, not the notebook.
import os

import nbformat
from nbformat.v4 import new_code_cell as code, new_markdown_cell as md, new_notebook

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "class")
os.makedirs(OUT, exist_ok=True)

REFLECTIONS = [
    [
        "Data leakage is when information about the answer reaches the model during training, for example the "
        "encoded label itself as a feature. The test accuracy is then inflated and no longer measures generalisation.",
        "Homology leakage is sneaky because nothing looks wrong in the code. Similar proteins from the same family land "
        "on both sides of a random split, so the model recognises relatives instead of learning biology.",
        "I would ask how the test set was split from the training data. Were homologous or similar sequences clustered "
        "and kept together, and what does a clustered split give compared with a majority baseline?",
        "A random split is fine when the examples are independent and the new data come from the same distribution. "
        "There must be no clusters of similar sequences shared between train and test.",
    ],
    [
        "Leakage means the model sees, during training, information it would not have when predicting unseen data. "
        "My leaked label feature made the test accuracy almost perfect, which is misleading.",
        "It is hidden: homologs are related by evolution, and a random split puts members of one family in train and "
        "test. The model memorises families and the accuracy looks good without any general rule being learned.",
        "I would ask whether the test proteins share homology with the training proteins, i.e. how they split the data. "
        "I would also ask for a baseline and an evaluation on clusters of similar sequences held out together.",
        "When the data points are independent, for example no homologs between them, a random split is fine. "
        "It also has to match the intended use: future data should look like the data we split randomly.",
    ],
    [
        "Data leakage happens when the test set or the label leaks into training, so information about the answer is "
        "available to the model. The evaluation is then optimistic and overestimates performance.",
        "Homology leakage is subtle because related sequences look like different proteins in the table. A random "
        "split keeps similar proteins in train and test, so the model can recognise them and seems to generalise.",
        "I would ask which split they used and whether similar sequences (clusters by identity) were kept on one side. "
        "I would ask for the test accuracy on a clustered split and a comparison with the majority class baseline.",
        "A random split is fine for independent samples drawn from the same distribution as the new data. "
        "If there are clusters of similar proteins or homologs, it is not, and a clustered split is needed.",
    ],
]


def reflection(variant):
    return [md(f"## Q{i + 1}\n{text}") for i, text in enumerate(REFLECTIONS[variant % len(REFLECTIONS)])]


def save(name, cells, variant):
    nb = new_notebook(cells=cells + reflection(variant))
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"  # stable ids: regenerating changes nothing
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, os.path.join(OUT, name + ".ipynb"))


LOAD_DF = ("df = pd.read_excel('mtb_with_localization.xlsx')\n"
           "df = df.dropna(subset=['location']).reset_index(drop=True)\n"
           "print(df.shape)")

# The starter's submission cell, as the course hands it out (README.md of the exercise).
SUBMISSION = """import os
import pandas as pd

SUBMISSION_DIR = globals().get("SUBMISSION_DIR", "submission")
os.makedirs(SUBMISSION_DIR, exist_ok=True)
AA = list("ACDEFGHIKLMNPQRSTVWY")
features = pd.DataFrame(X_features, columns=["length"] + AA).astype(int)
features.insert(0, "location", df["location"].to_numpy())
features.insert(0, "protein_id", df["Entry"].to_numpy())
features.to_csv(f"{SUBMISSION_DIR}/features.csv", index=False)
pd.DataFrame({"location": encoder.classes_, "code": range(len(encoder.classes_))}) \\
    .to_csv(f"{SUBMISSION_DIR}/label_encoding.csv", index=False)
pd.DataFrame({"protein_id": aligned_ids, "cluster_id": cluster_labels}) \\
    .to_csv(f"{SUBMISSION_DIR}/clusters.csv", index=False)
pd.DataFrame({
    "protein_id": aligned_ids,
    "random_split": ["test" if t else "train" for t in random_test_mask],
    "clustered_split": ["test" if t else "train" for t in clustered_test_mask],
}).to_csv(f"{SUBMISSION_DIR}/splits.csv", index=False)
pd.DataFrame({"name": ["leakage_accuracy", "random_split_accuracy", "clustered_split_accuracy",
                       "similarity_threshold", "test_fraction"],
              "value": [leakage_accuracy, random_split_accuracy, clustered_split_accuracy,
                        THRESHOLD, TEST_FRACTION]}) \\
    .to_csv(f"{SUBMISSION_DIR}/metrics.csv", index=False)
print("wrote", sorted(os.listdir(SUBMISSION_DIR)))"""

# 1. Random forest, boolean masks from a permutation, gzip read in memory, threshold 0.85, course names.
save("rf_masks", [
    md("# Leaky pipeline - random forest"),
    code("import gzip, io\nimport numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.ensemble import RandomForestClassifier\n"
         "from sklearn.preprocessing import LabelEncoder\n"
         "from scipy.sparse.csgraph import connected_components\n"
         "THRESHOLD = 0.85\nTEST_FRACTION = 0.2\nSEED = 3"),
    code(LOAD_DF),
    code("AA = 'ACDEFGHIKLMNPQRSTVWY'\n"
         "X_features = np.array([[len(s)] + [s.count(a) for a in AA] for s in df['Sequence']])\n"
         "encoder = LabelEncoder()\ny = encoder.fit_transform(df['location'])"),
    code("rng = np.random.default_rng(SEED)\n"
         "perm = rng.permutation(len(df))\nn_test = int(TEST_FRACTION * len(df))\n"
         "X_leaky = np.column_stack([X_features, y])\n"
         "rf = RandomForestClassifier(n_estimators=100, random_state=SEED)\n"
         "rf.fit(X_leaky[perm[n_test:]], y[perm[n_test:]])\n"
         "leakage_accuracy = rf.score(X_leaky[perm[:n_test]], y[perm[:n_test]])\n"
         "print(f'Leakage accuracy: {leakage_accuracy:.3f}')"),
    code("with gzip.open('mtb_full.h5.gz', 'rb') as fh:\n"
         "    h5 = h5py.File(io.BytesIO(fh.read()), 'r')\n"
         "aligned_ids = [p for p in df['Entry'] if p in h5]\n"
         "E = np.stack([h5[p][:] for p in aligned_ids])\n"
         "y_e = encoder.transform(df.set_index('Entry').loc[aligned_ids, 'location'])\n"
         "Z = E / np.linalg.norm(E, axis=1, keepdims=True)\n"
         "n_clusters, cluster_labels = connected_components(Z @ Z.T > THRESHOLD, directed=False)\n"
         "print(n_clusters, 'clusters')"),
    code("m = len(aligned_ids)\n"
         "random_test_mask = np.zeros(m, dtype=bool)\n"
         "random_test_mask[rng.permutation(m)[:int(TEST_FRACTION * m)]] = True\n"
         "order = rng.permutation(n_clusters)\n"
         "clustered_test_mask = np.zeros(m, dtype=bool)\n"
         "for c in order:\n"
         "    if clustered_test_mask.mean() >= TEST_FRACTION:\n"
         "        break\n"
         "    clustered_test_mask |= cluster_labels == c\n"
         "def fit_score(test):\n"
         "    model = RandomForestClassifier(n_estimators=100, random_state=SEED).fit(E[~test], y_e[~test])\n"
         "    return model.score(E[test], y_e[test])\n"
         "random_split_accuracy = fit_score(random_test_mask)\n"
         "clustered_split_accuracy = fit_score(clustered_test_mask)\n"
         "print(f'Random split accuracy: {random_split_accuracy:.3f}')\n"
         "print(f'Clustered split accuracy: {clustered_split_accuracy:.3f}')"),
], 0)

# 2. k-NN, a DataFrame of features merged into df, `!gunzip` without -f, index arrays from train_test_split,
#    GroupShuffleSplit for the clustered split, threshold 0.95.
save("knn_dataframe", [
    code("import numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.neighbors import KNeighborsClassifier\n"
         "from sklearn.linear_model import LogisticRegression\n"
         "from sklearn.preprocessing import LabelEncoder, StandardScaler\n"
         "from sklearn.pipeline import make_pipeline\n"
         "from sklearn.model_selection import train_test_split, GroupShuffleSplit\n"
         "from sklearn.metrics import accuracy_score\n"
         "from sklearn.metrics.pairwise import cosine_similarity\n"
         "from scipy.sparse.csgraph import connected_components"),
    code(LOAD_DF),
    code("amino = list('ACDEFGHIKLMNPQRSTVWY')\n"
         "feats = pd.DataFrame({'length': df['Sequence'].str.len()})\n"
         "for a in amino:\n"
         "    feats[a] = df['Sequence'].str.count(a)\n"
         "data = pd.concat([df[['Entry', 'location']], feats], axis=1)\n"
         "data.head()"),
    md("Leakage: I add the encoded label as a column."),
    code("enc = LabelEncoder().fit(data['location'])\n"
         "data['label_code'] = enc.transform(data['location'])\n"
         "cols = ['length'] + amino + ['label_code']\n"
         "tr, te = train_test_split(data, test_size=0.2, random_state=11)\n"
         "leak_model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))\n"
         "leak_model.fit(tr[cols], tr['label_code'])\n"
         "leaky_acc = accuracy_score(te['label_code'], leak_model.predict(te[cols]))\n"
         "print('leaky accuracy', leaky_acc)"),
    code("!gunzip mtb_full.h5.gz"),
    code("f = h5py.File('mtb_full.h5', 'r')\n"
         "have = data['Entry'].isin(list(f.keys()))\n"
         "emb_df = data[have].reset_index(drop=True)\n"
         "E = np.vstack([f[i][()] for i in emb_df['Entry']])\n"
         "f.close()\n"
         "sim_threshold = 0.95\n"
         "n_comp, comp = connected_components(cosine_similarity(E) > sim_threshold, directed=False)\n"
         "print(n_comp, 'components')"),
    code("idx = np.arange(len(emb_df))\n"
         "idx_train, idx_test = train_test_split(idx, test_size=0.2, random_state=11)\n"
         "knn = KNeighborsClassifier(n_neighbors=5).fit(E[idx_train], emb_df['label_code'][idx_train])\n"
         "knn_random_acc = knn.score(E[idx_test], emb_df['label_code'][idx_test])\n"
         "gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=11)\n"
         "train_idx, test_idx = next(gss.split(E, groups=comp))\n"
         "knn2 = KNeighborsClassifier(n_neighbors=5).fit(E[train_idx], emb_df['label_code'][train_idx])\n"
         "knn_cluster_acc = knn2.score(E[test_idx], emb_df['label_code'][test_idx])\n"
         "print('random', knn_random_acc, 'clustered', knn_cluster_acc)"),
], 1)

# 3. The starter notebook completed, with its submission cell (files written next to the notebook).
save("starter_completed", [
    code("import gzip, io, os\nimport numpy as np\nimport pandas as pd\nimport h5py\n"
         "DATA_DIR = '.'\nSUBMISSION_DIR = '.'\nTEST_FRACTION = 0.2\nSEED = 42\nTHRESHOLD = 0.8"),
    code("sheet = pd.read_excel(os.path.join(DATA_DIR, 'mtb_with_localization.xlsx'))\n"
         "df = sheet[sheet['location'].notna()].reset_index(drop=True)\n"
         "AA = 'ACDEFGHIKLMNPQRSTVWY'\n"
         "X_features = np.array([[len(s)] + [s.count(a) for a in AA] for s in df['Sequence']])"),
    code("from sklearn.preprocessing import LabelEncoder\n"
         "from sklearn.linear_model import LogisticRegression\n"
         "from sklearn.model_selection import train_test_split\n"
         "encoder = LabelEncoder()\ncodes = encoder.fit_transform(df['location'])\n"
         "X_leak = np.hstack([X_features, codes[:, None]])\n"
         "a, b, c, d = train_test_split(X_leak, codes, test_size=TEST_FRACTION, random_state=SEED)\n"
         "leakage_accuracy = LogisticRegression(max_iter=5000).fit(a, c).score(b, d)\n"
         "print(f'Leakage accuracy: {leakage_accuracy}')"),
    code("from scipy.sparse.csgraph import connected_components\n"
         "with gzip.open(os.path.join(DATA_DIR, 'mtb_full.h5.gz')) as g, h5py.File(io.BytesIO(g.read()), 'r') as h:\n"
         "    aligned_ids = [e for e in df['Entry'] if e in h]\n"
         "    emb = np.array([h[e][:] for e in aligned_ids], dtype=np.float64)\n"
         "unit = emb / np.linalg.norm(emb, axis=1, keepdims=True)\n"
         "n_clusters, cluster_labels = connected_components(unit @ unit.T > THRESHOLD, directed=False)\n"
         "print(n_clusters, np.bincount(cluster_labels).max())"),
    code("rng = np.random.default_rng(SEED)\nm = len(aligned_ids)\n"
         "yy = encoder.transform(df.set_index('Entry').loc[aligned_ids, 'location'])\n"
         "random_test_mask = rng.random(m) < TEST_FRACTION\n"
         "chosen = rng.choice(n_clusters, size=int(round(TEST_FRACTION * n_clusters)), replace=False)\n"
         "clustered_test_mask = np.isin(cluster_labels, chosen)\n"
         "def acc(mask):\n"
         "    return LogisticRegression(max_iter=5000).fit(emb[~mask], yy[~mask]).score(emb[mask], yy[mask])\n"
         "random_split_accuracy = acc(random_test_mask)\nclustered_split_accuracy = acc(clustered_test_mask)\n"
         "print(f'Random split accuracy: {random_split_accuracy}')\n"
         "print(f'Clustered split accuracy: {clustered_split_accuracy}')"),
    code(SUBMISSION.replace('globals().get("SUBMISSION_DIR", "submission")', "SUBMISSION_DIR")),
], 2)

# 4. The submission cell writing into a `submission/` folder; a scaled logistic regression pipeline, seed 2024.
save("submission_folder", [
    code("import numpy as np, pandas as pd, h5py, subprocess\n"
         "from sklearn.preprocessing import LabelEncoder, StandardScaler\n"
         "from sklearn.pipeline import make_pipeline\n"
         "from sklearn.linear_model import LogisticRegression\n"
         "from sklearn.model_selection import train_test_split\n"
         "from scipy.sparse.csgraph import connected_components\n"
         "TEST_FRACTION = 0.2\nTHRESHOLD = 0.9"),
    code(LOAD_DF + "\nX_features = np.array([[len(s)] + [s.count(a) for a in 'ACDEFGHIKLMNPQRSTVWY'] "
         "for s in df.Sequence])"),
    code("encoder = LabelEncoder().fit(df.location)\ny = encoder.transform(df.location)\n"
         "Xtr, Xte, ytr, yte = train_test_split(np.c_[X_features, y], y, test_size=TEST_FRACTION, random_state=2024)\n"
         "clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(Xtr, ytr)\n"
         "leakage_accuracy = clf.score(Xte, yte)\nprint('Leakage accuracy:', leakage_accuracy)"),
    code("subprocess.run(['gunzip', '-k', 'mtb_full.h5.gz'], check=True)\n"
         "with h5py.File('mtb_full.h5') as f:\n"
         "    aligned_ids = np.array([i for i in df.Entry if i in f])\n"
         "    E = np.array([f[i][:] for i in aligned_ids])\n"
         "norms = np.linalg.norm(E, axis=1)\nS = (E @ E.T) / np.outer(norms, norms)\n"
         "_, cluster_labels = connected_components(S > THRESHOLD, directed=False)"),
    code("labels_e = encoder.transform(df.set_index('Entry').location[aligned_ids])\n"
         "tr_i, te_i = train_test_split(np.arange(len(aligned_ids)), test_size=TEST_FRACTION, random_state=2024)\n"
         "random_test_mask = np.isin(np.arange(len(aligned_ids)), te_i)\n"
         "rng = np.random.RandomState(2024)\nclusters = np.unique(cluster_labels)\nrng.shuffle(clusters)\n"
         "sizes = np.bincount(cluster_labels)\ntaken = np.cumsum(sizes[clusters]) <= TEST_FRACTION * len(aligned_ids)\n"
         "clustered_test_mask = np.isin(cluster_labels, clusters[taken])\n"
         "model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))\n"
         "random_split_accuracy = model.fit(E[~random_test_mask], labels_e[~random_test_mask])"
         ".score(E[random_test_mask], labels_e[random_test_mask])\n"
         "clustered_split_accuracy = model.fit(E[~clustered_test_mask], labels_e[~clustered_test_mask])"
         ".score(E[clustered_test_mask], labels_e[clustered_test_mask])\n"
         "print('Random split accuracy:', random_split_accuracy)\n"
         "print('Clustered split accuracy:', clustered_split_accuracy)"),
    code('SUBMISSION_DIR = "submission"\n' + SUBMISSION),
], 0)

# 5. Plain Python lists and arrays; a dict as the label encoding; id lists from train_test_split; random forest.
save("dict_encoding_id_lists", [
    code("import gzip, io\nimport numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.ensemble import RandomForestClassifier\n"
         "from sklearn.model_selection import train_test_split\n"
         "from scipy.sparse.csgraph import connected_components"),
    code("sheet = pd.read_excel('mtb_with_localization.xlsx')\n"
         "labelled = sheet[sheet.location.notna()]\n"
         "ids = list(labelled['Entry'])\nseqs = list(labelled['Sequence'])\nlocs = list(labelled['location'])\n"
         "print(len(ids), 'labelled proteins')"),
    code("letters = 'ACDEFGHIKLMNPQRSTVWY'\n"
         "rows = []\nfor s in seqs:\n    rows.append([len(s)] + [s.count(ch) for ch in letters])\n"
         "features = np.array(rows)\n"
         "loc_to_int = {name: i for i, name in enumerate(sorted(set(locs)))}\n"
         "y = np.array([loc_to_int[l] for l in locs])"),
    code("Xa, Xb, ya, yb = train_test_split(np.column_stack([features, y]), y, test_size=0.2, random_state=5)\n"
         "forest = RandomForestClassifier(n_estimators=200, random_state=5).fit(Xa, ya)\n"
         "leak_accuracy = forest.score(Xb, yb)\nprint('with leak:', leak_accuracy)"),
    code("raw = gzip.decompress(open('mtb_full.h5.gz', 'rb').read())\n"
         "store = h5py.File(io.BytesIO(raw), 'r')\n"
         "vectors = {k: store[k][()] for k in store.keys()}\n"
         "protein_ids = [i for i in ids if i in vectors]\n"
         "M = np.array([vectors[i] for i in protein_ids])\n"
         "lab = np.array([loc_to_int[locs[ids.index(i)]] for i in protein_ids])\n"
         "M_unit = M / np.sqrt((M ** 2).sum(axis=1))[:, None]\n"
         "SIM_THRESHOLD = 0.9\n"
         "n_groups, cluster_of = connected_components(M_unit @ M_unit.T > SIM_THRESHOLD, directed=False)"),
    code("train_ids, test_ids = train_test_split(protein_ids, test_size=0.2, random_state=5)\n"
         "where = {p: n for n, p in enumerate(protein_ids)}\n"
         "te = [where[p] for p in test_ids]; tr = [where[p] for p in train_ids]\n"
         "acc_rand = RandomForestClassifier(n_estimators=200, random_state=5).fit(M[tr], lab[tr]).score(M[te], lab[te])\n"
         "rng = np.random.default_rng(5)\nperm = rng.permutation(n_groups)\n"
         "held = set()\ncount = 0\nfor g in perm:\n"
         "    if count >= 0.2 * len(protein_ids):\n        break\n"
         "    held.add(g)\n    count += int((cluster_of == g).sum())\n"
         "cluster_test_ids = [p for p, g in zip(protein_ids, cluster_of) if g in held]\n"
         "te2 = [where[p] for p in cluster_test_ids]\n"
         "tr2 = [n for n in range(len(protein_ids)) if cluster_of[n] not in held]\n"
         "acc_clust = RandomForestClassifier(n_estimators=200, random_state=5).fit(M[tr2], lab[tr2]).score(M[te2], lab[te2])\n"
         "print('random split:', acc_rand)\nprint('clustered split:', acc_clust)"),
], 1)

# 6. Normalised dot products, a sparse graph with connected_components' default (directed, weak), k-NN with k=7,
#    test size 0.25, ShuffleSplit indices.
save("knn_sparse_shufflesplit", [
    code("import numpy as np\nimport pandas as pd\nimport h5py, gzip, shutil\n"
         "from scipy.sparse import csr_matrix\nfrom scipy.sparse.csgraph import connected_components\n"
         "from sklearn.model_selection import ShuffleSplit, train_test_split\n"
         "from sklearn.neighbors import KNeighborsClassifier\n"
         "from sklearn.tree import DecisionTreeClassifier\n"
         "from sklearn.preprocessing import LabelEncoder\n"
         "TEST_SIZE = 0.25\nRANDOM_STATE = 99\nthreshold = 0.8"),
    code("table = pd.read_excel('mtb_with_localization.xlsx')\n"
         "table = table.loc[table['location'].notnull()].copy()\n"
         "table.index = table['Entry']\n"
         "AA = 'ACDEFGHIKLMNPQRSTVWY'\n"
         "X21 = np.zeros((len(table), 21))\n"
         "for r, s in enumerate(table['Sequence']):\n"
         "    X21[r, 0] = len(s)\n"
         "    for c, a in enumerate(AA):\n"
         "        X21[r, c + 1] = s.count(a)"),
    code("le = LabelEncoder()\ntarget = le.fit_transform(table['location'])\n"
         "Xl = np.concatenate([X21, target[:, None]], axis=1)\n"
         "xtr, xte, ttr, tte = train_test_split(Xl, target, test_size=TEST_SIZE, random_state=RANDOM_STATE)\n"
         "leakage_acc = DecisionTreeClassifier(random_state=0).fit(xtr, ttr).score(xte, tte)\n"
         "print('leakage:', leakage_acc)"),
    code("with gzip.open('mtb_full.h5.gz', 'rb') as src, open('mtb_full.h5', 'wb') as dst:\n"
         "    shutil.copyfileobj(src, dst)\n"
         "h = h5py.File('mtb_full.h5', 'r')\n"
         "emb_ids = np.array([p for p in table.index if p in h])\n"
         "V = np.array([h[p][:] for p in emb_ids])\nh.close()\n"
         "U = V / np.linalg.norm(V, axis=1)[:, None]\n"
         "graph = csr_matrix(U @ U.T > threshold)\n"
         "n_comp, components = connected_components(graph)\n"
         "print('clusters:', n_comp)"),
    code("t = le.transform(table.loc[emb_ids, 'location'])\n"
         "ss = ShuffleSplit(n_splits=1, test_size=TEST_SIZE, random_state=RANDOM_STATE)\n"
         "train_index, test_index = next(ss.split(V))\n"
         "random_acc = KNeighborsClassifier(7).fit(V[train_index], t[train_index]).score(V[test_index], t[test_index])\n"
         "rs = np.random.RandomState(RANDOM_STATE)\n"
         "comp_ids = rs.permutation(n_comp)\n"
         "cum = np.cumsum(np.bincount(components)[comp_ids])\n"
         "test_comps = comp_ids[: np.searchsorted(cum, TEST_SIZE * len(V)) + 1]\n"
         "cluster_test = np.isin(components, test_comps)\n"
         "cluster_acc = KNeighborsClassifier(7).fit(V[~cluster_test], t[~cluster_test]).score(V[cluster_test], t[cluster_test])\n"
         "print(f'random {random_acc:.3f} / clustered {cluster_acc:.3f}')"),
], 2)

# 7. Course names throughout, clusters picked by cluster id (the course notebook's way), threshold 0.88, the
#    embeddings read by iterating over the file, logistic regression with C=0.5.
save("course_names_by_cluster_id", [
    code("import numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.linear_model import LogisticRegression\n"
         "from sklearn.preprocessing import LabelEncoder\n"
         "from sklearn.model_selection import train_test_split\n"
         "from sklearn.metrics.pairwise import cosine_similarity\n"
         "from scipy.sparse.csgraph import connected_components"),
    code("!gunzip -k mtb_full.h5.gz\n!ls"),
    code("df = pd.read_excel('mtb_with_localization.xlsx')\ndf = df[~df.location.isna()].reset_index(drop=True)\n"
         "X_features = np.array([[len(s), *[s.count(a) for a in 'ACDEFGHIKLMNPQRSTVWY']] for s in df.Sequence])"),
    code("encoder = LabelEncoder()\ny = encoder.fit_transform(df.location)\n"
         "X_leak = np.c_[X_features, y]\n"
         "X_train, X_test, y_train, y_test = train_test_split(X_leak, y, test_size=0.2, random_state=42)\n"
         "leakage_accuracy = LogisticRegression(C=0.5, max_iter=5000).fit(X_train, y_train).score(X_test, y_test)\n"
         "print('Leakage accuracy:', leakage_accuracy)"),
    code("embeddings = {}\nwith h5py.File('mtb_full.h5', 'r') as f:\n"
         "    for key in f:\n        embeddings[key] = f[key][:]\n"
         "aligned_ids = [e for e in df.Entry if e in embeddings]\n"
         "emb = np.array([embeddings[e] for e in aligned_ids])\n"
         "THRESHOLD = 0.88\n"
         "n_clusters, cluster_labels = connected_components(cosine_similarity(emb) > THRESHOLD, directed=False)\n"
         "print(n_clusters, 'clusters, largest', np.bincount(cluster_labels).max())"),
    code("y_emb = encoder.transform(df.set_index('Entry').loc[aligned_ids].location)\n"
         "rng = np.random.default_rng(42)\n"
         "random_test_mask = np.zeros(len(aligned_ids), bool)\n"
         "random_test_mask[rng.choice(len(aligned_ids), int(0.2 * len(aligned_ids)), replace=False)] = True\n"
         "test_clusters = rng.choice(n_clusters, int(0.2 * n_clusters), replace=False)\n"
         "clustered_test_mask = np.isin(cluster_labels, test_clusters)\n"
         "lr = LogisticRegression(C=0.5, max_iter=5000)\n"
         "random_split_accuracy = lr.fit(emb[~random_test_mask], y_emb[~random_test_mask]).score(emb[random_test_mask], y_emb[random_test_mask])\n"
         "clustered_split_accuracy = lr.fit(emb[~clustered_test_mask], y_emb[~clustered_test_mask]).score(emb[clustered_test_mask], y_emb[clustered_test_mask])\n"
         "print('Random split accuracy:', round(random_split_accuracy, 4))\n"
         "print('Clustered split accuracy:', round(clustered_split_accuracy, 4))"),
], 0)

# 8. pandas throughout: features by `apply`, the embeddings in a DataFrame indexed by id, splits as id indexes
#    from `sample`, random forest with balanced classes, threshold 0.92.
save("pandas_sample_ids", [
    code("import pandas as pd\nimport numpy as np\nimport h5py, gzip, io\n"
         "from sklearn.ensemble import RandomForestClassifier\n"
         "from sklearn.metrics.pairwise import cosine_similarity\n"
         "from scipy.sparse.csgraph import connected_components\n"
         "from sklearn.preprocessing import LabelEncoder"),
    code("prot = pd.read_excel('mtb_with_localization.xlsx')\n"
         "prot = prot[prot['location'].notna()].reset_index(drop=True)\n"
         "def composition(seq):\n"
         "    return pd.Series({'length': len(seq), **{aa: seq.count(aa) for aa in 'ACDEFGHIKLMNPQRSTVWY'}})\n"
         "comp_table = prot['Sequence'].apply(composition)\n"
         "prot = prot.join(comp_table)\nprot[['Entry', 'location', 'length']].head()"),
    code("label_enc = LabelEncoder()\nprot['code'] = label_enc.fit_transform(prot['location'])\n"
         "leak_cols = ['length'] + list('ACDEFGHIKLMNPQRSTVWY') + ['code']\n"
         "test_part = prot.sample(frac=0.2, random_state=8)\ntrain_part = prot.drop(test_part.index)\n"
         "rf = RandomForestClassifier(random_state=8, class_weight='balanced')\n"
         "rf.fit(train_part[leak_cols], train_part['code'])\n"
         "leak_score = rf.score(test_part[leak_cols], test_part['code'])\nprint('leak score', leak_score)"),
    code("h = h5py.File(io.BytesIO(gzip.open('mtb_full.h5.gz').read()), 'r')\n"
         "emb_df = pd.DataFrame({p: h[p][:] for p in prot['Entry'] if p in h}).T\n"
         "print(emb_df.shape)\n"
         "cutoff = 0.92\n"
         "n, groups = connected_components(cosine_similarity(emb_df.values) > cutoff, directed=False)\n"
         "group_of = pd.Series(groups, index=emb_df.index)"),
    code("codes = prot.set_index('Entry').loc[emb_df.index, 'code']\n"
         "rand_test_ids = emb_df.sample(frac=0.2, random_state=8).index\n"
         "def score(test_ids):\n"
         "    train_ids = emb_df.index.difference(test_ids)\n"
         "    m = RandomForestClassifier(random_state=8, class_weight='balanced')\n"
         "    m.fit(emb_df.loc[train_ids], codes[train_ids])\n"
         "    return m.score(emb_df.loc[test_ids], codes[test_ids])\n"
         "random_score = score(rand_test_ids)\n"
         "shuffled = group_of.drop_duplicates().sample(frac=1, random_state=8)\n"
         "sizes = group_of.value_counts()\n"
         "keep_groups = shuffled[(sizes[shuffled.values].cumsum() <= 0.2 * len(emb_df)).values]\n"
         "clust_test_ids = group_of[group_of.isin(keep_groups.values)].index\n"
         "cluster_score = score(clust_test_ids)\n"
         "print('random split', random_score, 'cluster split', cluster_score)"),
], 1)

# 9. Course names with the starter's submission cell, k-NN with scaling, train_test_split with stratify.
save("knn_submission_stratified", [
    code("import gzip, io, os\nimport numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.neighbors import KNeighborsClassifier\n"
         "from sklearn.ensemble import RandomForestClassifier\n"
         "from sklearn.model_selection import train_test_split\n"
         "from sklearn.preprocessing import LabelEncoder\n"
         "from scipy.sparse.csgraph import connected_components\n"
         "TEST_FRACTION = 0.2\nSEED = 7\nTHRESHOLD = 0.82\nSUBMISSION_DIR = '.'"),
    code(LOAD_DF + "\nX_features = np.array([[len(s)] + [s.count(a) for a in 'ACDEFGHIKLMNPQRSTVWY'] for s in df['Sequence']])"),
    code("encoder = LabelEncoder()\ny = encoder.fit_transform(df['location'])\n"
         "Xtr, Xte, ytr, yte = train_test_split(np.hstack([X_features, y[:, None]]), y, test_size=TEST_FRACTION,\n"
         "                                      random_state=SEED, stratify=y)\n"
         "leakage_accuracy = RandomForestClassifier(random_state=SEED).fit(Xtr, ytr).score(Xte, yte)\n"
         "print(f'Leakage accuracy: {leakage_accuracy:.3f}')"),
    code("with gzip.open('mtb_full.h5.gz') as z:\n    blob = io.BytesIO(z.read())\n"
         "with h5py.File(blob, 'r') as f:\n    aligned_ids = [p for p in df['Entry'] if p in f]\n"
         "    E = np.array([f[p][:] for p in aligned_ids])\n"
         "En = E / np.linalg.norm(E, axis=1, keepdims=True)\n"
         "n_clusters, cluster_labels = connected_components((En @ En.T) > THRESHOLD, directed=False)\n"
         "yE = encoder.transform(df.set_index('Entry').loc[aligned_ids, 'location'])"),
    code("positions = np.arange(len(aligned_ids))\n"
         "tr_pos, te_pos = train_test_split(positions, test_size=TEST_FRACTION, random_state=SEED, stratify=yE)\n"
         "random_test_mask = np.isin(positions, te_pos)\n"
         "rng = np.random.default_rng(SEED)\nclustered_test_mask = np.zeros(len(aligned_ids), bool)\n"
         "for c in rng.permutation(n_clusters):\n"
         "    if clustered_test_mask.sum() + (cluster_labels == c).sum() > TEST_FRACTION * len(aligned_ids):\n"
         "        continue\n"
         "    clustered_test_mask[cluster_labels == c] = True\n"
         "def knn_acc(test):\n"
         "    return KNeighborsClassifier(5).fit(E[~test], yE[~test]).score(E[test], yE[test])\n"
         "random_split_accuracy = knn_acc(random_test_mask)\nclustered_split_accuracy = knn_acc(clustered_test_mask)\n"
         "print(f'Random split accuracy: {random_split_accuracy:.3f}')\n"
         "print(f'Clustered split accuracy: {clustered_split_accuracy:.3f}')"),
    code(SUBMISSION),
], 2)

# 10. Features as a float DataFrame with capitalised column names, two unrelated DataFrames around, a logistic
#     regression on scaled embeddings, GroupShuffleSplit, threshold 0.8 as a literal in the cell.
save("lr_groupshuffle_literal", [
    code("import numpy as np\nimport pandas as pd\nimport h5py\nimport os\n"
         "from sklearn.linear_model import LogisticRegression\n"
         "from sklearn.preprocessing import LabelEncoder, StandardScaler\n"
         "from sklearn.model_selection import train_test_split, GroupShuffleSplit\n"
         "from sklearn.metrics.pairwise import cosine_similarity\n"
         "from scipy.sparse.csgraph import connected_components"),
    code("raw = pd.read_excel('mtb_with_localization.xlsx')\n"
         "print(raw['location'].value_counts(dropna=False))\n"
         "clean = raw.dropna(subset=['location']).reset_index(drop=True)\n"
         "Xdf = pd.DataFrame([[float(len(s))] + [float(s.count(a)) for a in 'ACDEFGHIKLMNPQRSTVWY'] for s in clean.Sequence],\n"
         "                   columns=['Length'] + list('ACDEFGHIKLMNPQRSTVWY'))\n"
         "counts_per_class = clean.groupby('location').size().reset_index(name='n')\ncounts_per_class"),
    code("label_encoder = LabelEncoder()\ny_all = label_encoder.fit_transform(clean.location)\n"
         "Xdf_leak = Xdf.assign(label=y_all)\n"
         "xa, xb, ya, yb = train_test_split(Xdf_leak, y_all, test_size=0.2, random_state=1)\n"
         "sc = StandardScaler().fit(xa)\n"
         "acc_leak = LogisticRegression(max_iter=5000).fit(sc.transform(xa), ya).score(sc.transform(xb), yb)\n"
         "print('accuracy with leakage', acc_leak)"),
    code("os.system('gunzip -f mtb_full.h5.gz')\n"
         "f = h5py.File('mtb_full.h5', 'r')\n"
         "mask_has = clean.Entry.isin(f.keys()).to_numpy()\n"
         "sub = clean[mask_has].reset_index(drop=True)\n"
         "X_emb = np.stack([f[k][:] for k in sub.Entry])\n"
         "_, cluster_id = connected_components(cosine_similarity(X_emb) > 0.8, directed=False)"),
    code("y_sub = label_encoder.transform(sub.location)\n"
         "X_emb_s = StandardScaler().fit_transform(X_emb)\n"
         "Xr_train, Xr_test, yr_train, yr_test = train_test_split(X_emb_s, y_sub, test_size=0.2, random_state=1)\n"
         "acc_random_split = LogisticRegression(max_iter=5000).fit(Xr_train, yr_train).score(Xr_test, yr_test)\n"
         "g_train, g_test = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=1).split(X_emb_s, y_sub, cluster_id))\n"
         "acc_cluster_split = LogisticRegression(max_iter=5000).fit(X_emb_s[g_train], y_sub[g_train]).score(X_emb_s[g_test], y_sub[g_test])\n"
         "print('random', acc_random_split)\nprint('clustered', acc_cluster_split)"),
], 0)

# 11. Everything inside functions, results kept at top level by the course's names; k-NN with k=3; threshold 0.93.
save("functions_knn", [
    code("import gzip, io\nimport numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.neighbors import KNeighborsClassifier\nfrom sklearn.linear_model import LogisticRegression\n"
         "from sklearn.preprocessing import LabelEncoder\nfrom sklearn.model_selection import train_test_split\n"
         "from scipy.sparse.csgraph import connected_components"),
    code("def load_labelled(path='mtb_with_localization.xlsx'):\n"
         "    t = pd.read_excel(path)\n    return t[t['location'].notna()].reset_index(drop=True)\n\n"
         "def featurize(seqs):\n"
         "    return np.array([[len(s)] + [s.count(a) for a in 'ACDEFGHIKLMNPQRSTVWY'] for s in seqs])\n\n"
         "def load_embeddings(ids, path='mtb_full.h5.gz'):\n"
         "    with gzip.open(path) as g, h5py.File(io.BytesIO(g.read()), 'r') as f:\n"
         "        keep = [i for i in ids if i in f]\n"
         "        return keep, np.array([f[i][:] for i in keep])\n\n"
         "def clusters(vectors, threshold):\n"
         "    u = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)\n"
         "    return connected_components(u @ u.T > threshold, directed=False)[1]\n\n"
         "def evaluate(model, X, y, test):\n"
         "    return model.fit(X[~test], y[~test]).score(X[test], y[test])"),
    code("df = load_labelled()\nX_features = featurize(df['Sequence'])\n"
         "encoder = LabelEncoder()\ny = encoder.fit_transform(df['location'])\n"
         "leak_mask = np.random.default_rng(0).random(len(df)) < 0.2\n"
         "leakage_accuracy = evaluate(LogisticRegression(max_iter=5000), np.c_[X_features, y], y, leak_mask)\n"
         "print('Leakage accuracy', leakage_accuracy)"),
    code("THRESHOLD = 0.93\n"
         "aligned_ids, emb = load_embeddings(df['Entry'])\ncluster_labels = clusters(emb, THRESHOLD)\n"
         "y_emb = encoder.transform(df.set_index('Entry').loc[aligned_ids, 'location'])\n"
         "rng = np.random.default_rng(0)\n"
         "random_test_mask = rng.permutation(len(aligned_ids)) < 0.2 * len(aligned_ids)\n"
         "picked = rng.permutation(cluster_labels.max() + 1)\n"
         "clustered_test_mask = np.isin(cluster_labels, picked[np.cumsum(np.bincount(cluster_labels)[picked]) <= 0.2 * len(aligned_ids)])\n"
         "random_split_accuracy = evaluate(KNeighborsClassifier(3), emb, y_emb, random_test_mask)\n"
         "clustered_split_accuracy = evaluate(KNeighborsClassifier(3), emb, y_emb, clustered_test_mask)\n"
         "print('Random split accuracy', random_split_accuracy)\nprint('Clustered split accuracy', clustered_split_accuracy)"),
], 1)

# 12. The course steps again with another seed, a 0.8 threshold spelled `>=`, LinearSVC-free: logistic
#     regression, and a test fraction of 0.15 as TEST_FRACTION.
save("lr_fraction_015", [
    code("import numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.linear_model import LogisticRegression\nfrom sklearn.preprocessing import LabelEncoder\n"
         "from sklearn.model_selection import train_test_split\nfrom sklearn.metrics.pairwise import cosine_similarity\n"
         "from scipy.sparse.csgraph import connected_components\nTEST_FRACTION = 0.15\nTHRESHOLD = 0.8"),
    code(LOAD_DF),
    code("X_features = np.array([[len(q)] + [q.count(c) for c in 'ACDEFGHIKLMNPQRSTVWY'] for q in df.Sequence])\n"
         "encoder = LabelEncoder()\nlabels_all = encoder.fit_transform(df.location)\n"
         "a_tr, a_te, b_tr, b_te = train_test_split(np.c_[X_features, labels_all], labels_all,\n"
         "                                          test_size=TEST_FRACTION, random_state=123)\n"
         "leakage_accuracy = LogisticRegression(max_iter=5000).fit(a_tr, b_tr).score(a_te, b_te)\n"
         "print('Leakage accuracy:', leakage_accuracy)"),
    code("!gunzip mtb_full.h5.gz"),
    code("with h5py.File('mtb_full.h5', 'r') as f:\n    aligned_ids = np.array([e for e in df.Entry if e in f])\n"
         "    emb = np.vstack([f[e][:] for e in aligned_ids])\n"
         "n_clusters, cluster_labels = connected_components(cosine_similarity(emb) >= THRESHOLD, directed=False)\n"
         "y_emb = encoder.transform(df.set_index('Entry').loc[aligned_ids, 'location'])"),
    code("rng = np.random.default_rng(123)\n"
         "random_test_mask = rng.random(len(aligned_ids)) < TEST_FRACTION\n"
         "order = rng.permutation(n_clusters)\n"
         "csum = np.cumsum(np.bincount(cluster_labels)[order])\n"
         "clustered_test_mask = np.isin(cluster_labels, order[csum <= TEST_FRACTION * len(aligned_ids)])\n"
         "def acc(test):\n"
         "    return LogisticRegression(max_iter=5000).fit(emb[~test], y_emb[~test]).score(emb[test], y_emb[test])\n"
         "random_split_accuracy, clustered_split_accuracy = acc(random_test_mask), acc(clustered_test_mask)\n"
         "print('Random split accuracy:', random_split_accuracy)\nprint('Clustered split accuracy:', clustered_split_accuracy)"),
], 2)

# 13. Counter-based features into a DataFrame with lowercase columns, a random forest everywhere, the random split
#     as the test rows train_test_split returns from the embeddings (like course_steps, other names).
save("counter_rf_rows", [
    code("from collections import Counter\nimport numpy as np\nimport pandas as pd\nimport h5py, gzip, io\n"
         "from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.preprocessing import LabelEncoder\n"
         "from sklearn.model_selection import train_test_split\n"
         "from sklearn.metrics.pairwise import cosine_similarity\n"
         "from scipy.sparse.csgraph import connected_components"),
    code("proteins = pd.read_excel('mtb_with_localization.xlsx').query('location == location').reset_index(drop=True)\n"
         "rows = []\nfor seq in proteins.Sequence:\n    c = Counter(seq)\n"
         "    rows.append({'length': len(seq), **{a.lower(): c.get(a, 0) for a in 'ACDEFGHIKLMNPQRSTVWY'}})\n"
         "aa_table = pd.DataFrame(rows)\naa_table.describe()"),
    code("le = LabelEncoder()\ny = le.fit_transform(proteins.location)\n"
         "X_tr, X_te, y_tr, y_te = train_test_split(aa_table.assign(leak=y), y, test_size=0.2, random_state=31)\n"
         "leak_rf = RandomForestClassifier(n_estimators=150, random_state=31).fit(X_tr, y_tr)\n"
         "leakage_acc = leak_rf.score(X_te, y_te)\nprint('leakage accuracy:', leakage_acc)"),
    code("with gzip.open('mtb_full.h5.gz', 'rb') as fh:\n    f = h5py.File(io.BytesIO(fh.read()), 'r')\n"
         "    present = [p for p in proteins.Entry if p in f]\n"
         "    vecs = np.array([f[p][:] for p in present])\n"
         "yv = le.transform(proteins.set_index('Entry').loc[present].location)\n"
         "thr = 0.9\nnum, clustering = connected_components(cosine_similarity(vecs) > thr, directed=False)"),
    code("v_train, v_test, yv_train, yv_test = train_test_split(vecs, yv, test_size=0.2, random_state=31)\n"
         "random_accuracy = RandomForestClassifier(n_estimators=150, random_state=31).fit(v_train, yv_train).score(v_test, yv_test)\n"
         "g = np.random.default_rng(31).permutation(num)\n"
         "test_groups = g[np.cumsum(np.bincount(clustering)[g]) <= 0.2 * len(present)]\n"
         "in_test = np.isin(clustering, test_groups)\n"
         "clustered_accuracy = RandomForestClassifier(n_estimators=150, random_state=31).fit(vecs[~in_test], yv[~in_test]).score(vecs[in_test], yv[in_test])\n"
         "print('random split accuracy:', random_accuracy)\nprint('clustered split accuracy:', clustered_accuracy)"),
], 0)

print("wrote", len(os.listdir(OUT)), "notebooks to", OUT)
