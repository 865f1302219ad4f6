# Writes the notebooks Belay's notebook-run tests hand in (run once; the .ipynb files are committed).
import nbformat
from nbformat.v4 import new_code_cell as code, new_markdown_cell as md, new_notebook


def save(name, cells):
    nb = new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"  # stable ids: regenerating changes nothing
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, name)


# A notebook written from the course page's steps only, in ordinary student style: no submission cell, no
# Belay names beyond what the course text uses.
save("course_steps.ipynb", [
    md("# The Leaky Pipeline\nMy notebook for the course."),
    code("import numpy as np\nimport pandas as pd\nimport h5py\n"
         "from sklearn.linear_model import LogisticRegression\n"
         "from sklearn.model_selection import train_test_split\n"
         "from sklearn.preprocessing import LabelEncoder, StandardScaler\n"
         "from sklearn.metrics.pairwise import cosine_similarity\n"
         "from scipy.sparse.csgraph import connected_components"),
    md("## Exercise 0"),
    code("df = pd.read_excel('mtb_with_localization.xlsx')\n"
         "df = df[df['location'].notna()].reset_index(drop=True)\n"
         "df.head()"),
    code("amino_acids = 'ACDEFGHIKLMNPQRSTVWY'\n"
         "def featurize(seq):\n"
         "    return [len(seq)] + [seq.count(aa) for aa in amino_acids]\n"
         "X = np.array([featurize(s) for s in df['Sequence']])\n"
         "X.shape"),
    md("## Exercise 1"),
    code("le = LabelEncoder()\n"
         "y = le.fit_transform(df['location'])\n"
         "X_leak = np.hstack([X, y.reshape(-1, 1)])\n"
         "Xtr, Xte, ytr, yte = train_test_split(X_leak, y, test_size=0.2, random_state=0)\n"
         "clf = LogisticRegression(max_iter=5000).fit(StandardScaler().fit(Xtr).transform(Xtr), ytr)\n"
         "leak_acc = clf.score(StandardScaler().fit(Xtr).transform(Xte), yte)\n"
         "print('accuracy with the leaked label:', round(leak_acc, 3))"),
    md("## Exercises 2 and 3"),
    code("!gunzip -f mtb_full.h5.gz"),
    code("with h5py.File('mtb_full.h5', 'r') as f:\n"
         "    keep = [pid for pid in df['Entry'] if pid in f]\n"
         "    emb = np.array([f[pid][:] for pid in keep])\n"
         "sub = df.set_index('Entry').loc[keep]\n"
         "y_emb = le.transform(sub['location'])\n"
         "print(len(keep), 'proteins with an embedding')"),
    code("sim = cosine_similarity(emb)\n"
         "n_comp, labels = connected_components(sim > 0.9, directed=False)\n"
         "print(n_comp, 'clusters; largest', np.bincount(labels).max())"),
    code("# random split\n"
         "E_train, E_test, y_train, y_test = train_test_split(emb, y_emb, test_size=0.2, random_state=1)\n"
         "model = LogisticRegression(max_iter=5000).fit(E_train, y_train)\n"
         "acc_random = model.score(E_test, y_test)\n"
         "print('random split accuracy', round(acc_random, 3))"),
    code("# clustered split: whole clusters go to test\n"
         "rng = np.random.default_rng(7)\n"
         "test_clusters = rng.choice(n_comp, size=int(0.2 * n_comp), replace=False)\n"
         "is_test = np.isin(labels, test_clusters)\n"
         "model2 = LogisticRegression(max_iter=5000).fit(emb[~is_test], y_emb[~is_test])\n"
         "acc_cluster = model2.score(emb[is_test], y_emb[is_test])\n"
         "print('cluster split accuracy', round(acc_cluster, 3))"),
    md("## Q1\nData leakage is when information about the answer reaches the model during training, for example the "
       "encoded label itself as a feature, so the test accuracy no longer measures generalisation."),
    md("## Q2\nHomology leakage is sneaky because nothing looks wrong: similar proteins end up on both sides of a random "
       "split, so the model recognises relatives instead of learning the biology, and accuracy is inflated."),
    md("## Q3\nI would ask how the test set was separated from training: were homologs or similar sequences clustered "
       "and split by cluster, and what accuracy a clustered or time-based split gives."),
    md("## Q4\nA random split is fine when the examples are independent and new data comes from the same distribution, "
       "with no groups such as families of similar sequences shared between train and test."),
])

# Hostile notebooks: each must be contained and reported as that student's result.
hostile = {
    "hostile_loop.ipynb": "while True:\n    pass",
    "hostile_network.ipynb": "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=5).read()",
    "hostile_rubric.ipynb": "import glob\nprint(glob.glob('/work/**/rubric.yaml', recursive=True) + glob.glob('/root/**/*.yaml', recursive=True))\n"
                            "print(open('/etc/hostname').read())\n"
                            # Up from the working folder (whose parents a private /tmp covers only by name), then
                            # everywhere: the rubric, other students' notebooks, the grader's home.
                            "import os\nseen = []\nfor top in ('..', '/tmp', '/home', '/root', os.path.expanduser('~')):\n"
                            "    for root, dirs, files in os.walk(top):\n"
                            "        seen += [os.path.join(root, f) for f in files if f.endswith(('.yaml', '.ipynb', '.csv', '.txt'))\n"
                            "                 and 'belay_' not in f and f != 'notebook.ipynb']\n"
                            "print('FOUND', sorted(set(seen))[:20])\n"
                            "for path in seen[:5]:\n    print(open(path).read()[:200])",
    "hostile_rm.ipynb": "import os\nos.system('rm -rf ~ / 2>/dev/null')\nprint(os.listdir('.'))",
    "hostile_memory.ipynb": "blocks = []\nwhile True:\n    blocks.append(bytearray(256 << 20))",
    "hostile_kill.ipynb": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
}
for name, source in hostile.items():
    save(name, [code("print('hello')"), code(source), code("print('after')")])
