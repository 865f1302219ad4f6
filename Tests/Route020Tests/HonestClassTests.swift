import BelayFormats
import BelayGrading
import BelayTestSupport
import BelayRoute
import Foundation
import Route020
import Testing

// A class of honest students made with scikit-learn, graded by Belay: the tolerances must never fail them.
//
// Each student reads the course files as a student would (the sheet with pandas, the HDF5 with gzip + h5py, the
// `location` column as labels), splits at random (stratified or not, test share 0.2 to 0.3), corrupts the training
// labels in one of the legitimate ways (an exact count overall, an exact count per class, or each label with
// probability r), always to another class drawn uniformly, and trains one of the classifiers a course's students
// reach for, on the hand-made features or the embeddings. Every labels check and the curve's rerun must pass. A
// student who reports training accuracy (`model.score(X_train, y_train)`) must fail the rerun.

struct GeneratedStudent: Decodable, Sendable {
    var name: String
    var directory: String
    var features: String
    var model: String
    /// The mistaken curve: accuracy on the training proteins against their noisy labels.
    var trainCurve: [Double]
    /// scikit-learn's standardized logistic regression (C = 1 and C = 0.01) on this student's labels and split.
    var sklearnLogistic: [Double]
    var sklearnLogisticStrong: [Double]
}

private let studentsScript = #"""
import os
os.environ.setdefault("OMP_NUM_THREADS", "1")
import gzip, io, json, sys, warnings
import h5py, numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
warnings.filterwarnings("ignore")
data, out = sys.argv[1], sys.argv[2]
classes = ["cytoplasm", "membrane", "secreted"]
sheet = pd.read_excel(os.path.join(data, "mtb_with_localization.xlsx"))
sheet = sheet[sheet["location"].isin(classes)].drop_duplicates("Entry").reset_index(drop=True)
ids = sheet["Entry"].astype(str).to_numpy()
y = sheet["location"].to_numpy()
aa = "ACDEFGHIKLMNPQRSTVWY"
hand = np.array([[len(s)] + [s.count(a) for a in aa] for s in sheet["Sequence"].astype(str)], float)
with h5py.File(io.BytesIO(gzip.open(os.path.join(data, "mtb_full.h5.gz")).read()), "r") as h:
    emb = np.stack([np.asarray(h[i], float) for i in ids])
rates = [k / 20 for k in range(10)]

def std(m): return make_pipeline(StandardScaler(), m)
models = {
    "logistic": lambda: std(LogisticRegression(max_iter=3000)),
    "random forest": lambda: RandomForestClassifier(n_estimators=100, random_state=0),
    "gradient boosting": lambda: HistGradientBoostingClassifier(random_state=0),
    "5-NN unscaled": lambda: KNeighborsClassifier(5),
    "gaussian naive bayes": lambda: GaussianNB(),
    "svm": lambda: std(SVC()),
    "logistic C=0.01": lambda: std(LogisticRegression(C=0.01, max_iter=3000)),
}
students = [
    # name, features, model, noise, stratified, test share, seed
    ("lr-emb", "embeddings", "logistic", "count", True, 0.2, 1),
    ("rf-emb", "embeddings", "random forest", "bernoulli", False, 0.2, 2),
    ("hgb-hand", "hand-made", "gradient boosting", "per-class", True, 0.25, 3),
    ("knn-emb", "embeddings", "5-NN unscaled", "bernoulli", True, 0.2, 4),
    ("rf-hand", "hand-made", "random forest", "count", False, 0.3, 5),
    ("nb-emb", "embeddings", "gaussian naive bayes", "count", True, 0.2, 6),
    ("svm-emb", "embeddings", "svm", "per-class", True, 0.2, 7),
    ("lr-strong-emb", "embeddings", "logistic C=0.01", "bernoulli", False, 0.2, 8),
]
result = []
for name, features, model, noise, stratified, share, seed in students:
    x = emb if features == "embeddings" else hand
    pos = np.arange(len(ids))
    train, test = train_test_split(pos, test_size=share, random_state=seed, stratify=y if stratified else None)
    rng = np.random.default_rng(seed)
    folder = os.path.join(out, name)
    os.makedirs(folder)
    rows, curve, train_curve, lr1, lr2 = [], [], [], [], []
    for r in rates:
        noisy = y.copy()
        if noise == "count":
            chosen = rng.choice(train, size=int(round(r * len(train))), replace=False)
        elif noise == "per-class":
            chosen = np.concatenate([rng.choice(train[y[train] == c], size=int(round(r * (y[train] == c).sum())), replace=False) for c in classes])
        else:
            chosen = train[rng.random(len(train)) < r]
        for i in chosen:
            noisy[i] = rng.choice([c for c in classes if c != y[i]])
        fitted = models[model]().fit(x[train], noisy[train])
        curve.append(float((fitted.predict(x[test]) == y[test]).mean()))
        train_curve.append(float((fitted.predict(x[train]) == noisy[train]).mean()))
        lr1.append(float((models["logistic"]().fit(x[train], noisy[train]).predict(x[test]) == y[test]).mean()) if name == "lr-emb" else 0)
        lr2.append(float((models["logistic C=0.01"]().fit(x[train], noisy[train]).predict(x[test]) == y[test]).mean()) if name == "lr-emb" else 0)
        rows.append(pd.DataFrame({"noise_rate": r, "protein_id": ids, "label": noisy}))
    side = np.where(np.isin(pos, test), "test", "train")
    pd.DataFrame({"protein_id": ids, "split": side}).to_csv(os.path.join(folder, "split.csv"), index=False)
    pd.concat(rows).to_csv(os.path.join(folder, "noisy_labels.csv"), index=False)
    pd.DataFrame({"noise_rate": rates, "accuracy": curve}).to_csv(os.path.join(folder, "curve.csv"), index=False)
    pd.DataFrame({"setting": ["features", "classifier"], "value": [features, model]}).to_csv(os.path.join(folder, "setup.csv"), index=False)
    result.append({"name": name, "directory": folder, "features": features, "model": model, "trainCurve": train_curve,
                   "sklearnLogistic": lr1, "sklearnLogisticStrong": lr2})
print(json.dumps(result))
"""#

/// The generated class, made once per test process (nil when Python's stack is missing outside CI).
let honestClass: (directory: TemporaryDirectory, students: [GeneratedStudent])? = {
    guard Python.isAvailable("numpy", "sklearn", "h5py", "openpyxl", "pandas") else { return nil }
    let data = repositoryRoot.appendingPathComponent("Sources/BelayData/Resources/mtb-h37rv").path
    do {
        let directory = try TemporaryDirectory(prefix: "belay-020-class")
        let json = try Python.output(script: studentsScript, arguments: [data, directory.path])
        return (directory, try JSONDecoder().decode([GeneratedStudent].self, from: Data(json.utf8)))
    } catch {
        Issue.record("the class generator failed: \(error)")
        return nil
    }
}()

@Suite("Route 020: honest students made with scikit-learn", .serialized,
       .enabled(if: Python.isAvailable("numpy", "sklearn", "h5py", "openpyxl", "pandas")))
struct HonestClassTests {
    @Test func everyHonestStudentPassesTheLabelChecksAndTheRerun() async throws {
        let generated = try #require(honestClass)
        let reflection = solutionDirectory.appendingPathComponent("reflection.md")
        for student in generated.students {
            let folder = SubmissionFolder(url: URL(fileURLWithPath: student.directory))
            if !FileManager.default.fileExists(atPath: folder.path("reflection.md").path) {
                try FileManager.default.copyItem(at: reflection, to: folder.path("reflection.md"))
            }
            let report = await grade(folder)
            for result in report.results where result.outcome != .passed {
                Issue.record("\(student.name) (\(student.model), \(student.features)): \(result.id) \(result.outcome) — \(result.message)\n\(result.details)")
            }
        }
    }

    @Test func reportingTrainingAccuracyFailsTheRerun() async throws {
        let generated = try #require(honestClass)
        let student = try #require(generated.students.first { $0.name == "rf-emb" })
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        for name in ["split.csv", "noisy_labels.csv", "setup.csv"] {
            try folder.remove(name)
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: student.directory).appendingPathComponent(name), to: folder.path(name))
        }
        let rates = Route020Submission.rateGrid
        try folder.write(
            "curve.csv",
            "noise_rate,accuracy\n" + zip(rates, student.trainCurve).map { "\($0),\($1)" }.joined(separator: "\n") + "\n")
        let report = await grade(folder)
        let result = try #require(report.result("curve.rerun"))
        #expect(result.outcome == .failed, "\(result.message)\n\(result.details)")
        #expect(result.pointsEarned <= result.pointsPossible * 0.2, "\(result.details)")
    }

    @Test func belaysLogisticRegressionMatchesScikitLearnOnTheStudentsLabels() throws {
        let generated = try #require(honestClass)
        let student = try #require(generated.students.first { $0.name == "lr-emb" })
        let directory = URL(fileURLWithPath: student.directory)
        let split = try CSVTable.read(contentsOf: directory.appendingPathComponent("split.csv"))
        let labels = try CSVTable.read(contentsOf: directory.appendingPathComponent("noisy_labels.csv"))
        let rows = split.rows.map { sharedReference.indexByID[$0[0]]! }
        let isTest = split.rows.map { $0[1] == "test" }
        let n = isTest.filter { $0 }.count
        for (k, rate) in Route020Submission.rateGrid.enumerated() {
            var byID: [String: String] = [:]
            for row in labels.rows where abs(Double(row[0])! - rate) < 1e-9 { byID[row[1]] = row[2] }
            let codes = rows.map { sharedReference.code(of: byID[sharedReference.ids[$0]]!)! }
            let rerun = sharedReference.rerun(set: .embeddings, rows: rows, trainCodes: codes, isTest: isTest)
            #expect(rerun.testCount == n)
            // Two solvers stop at slightly different optima: at most two test proteins may land differently.
            #expect(abs(rerun.accuracy(.standardizedLogistic) - student.sklearnLogistic[k]) <= 2.0 / Double(n) + 1e-9,
                    "rate \(rate): Belay \(rerun.accuracy(.standardizedLogistic)), scikit-learn \(student.sklearnLogistic[k])")
            #expect(abs(rerun.accuracy(.regularizedLogistic) - student.sklearnLogisticStrong[k]) <= 2.0 / Double(n) + 1e-9,
                    "rate \(rate): Belay \(rerun.accuracy(.regularizedLogistic)), scikit-learn \(student.sklearnLogisticStrong[k])")
        }
    }
}
