#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (Fuzz/Corpus/<target>/) from the repository's tests, fixtures and
solution files. Run it again when a parser's tests change; scripts/fuzz only reads the seeds (it fuzzes into a
scratch copy, so the committed corpus stays small)."""
import gzip, io, json, os, pathlib, re, shutil, zipfile

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "Fuzz" / "Corpus"
solution = root / "solutions" / "019-leaky-pipeline"


def head(path, lines=12):
    return b"".join(open(path, "rb").readlines()[:lines])


def seeds(target, items):
    folder = corpus / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in items.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# CSV: the CSV fixtures of BelayFormatsTests and the head of each solution CSV.
csv = {p.name: p.read_bytes() for p in (root / "Tests/BelayFormatsTests/Fixtures/csv").iterdir()}
csv.update({f"solution-{p.name}": head(p) for p in solution.glob("*.csv")})
seeds("fuzz-csv", csv)

# Notebooks: the handout, the solution, and the loose notebook of NotebookTests.
loose = '{"cells": [{"cell_type": "code", "source": ["a = 1\\n", "b = 2"], "outputs": [{"output_type": "stream", "name": "stderr", "text": ["x", "y"]}, {"output_type": "update_display_data"}]}, {"cell_type": "markdown", "source": "plain string"}, {"cell_type": "code"}], "metadata": {"language_info": {"name": "python"}}}'
errors = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    {"cell_type": "code", "execution_count": 1, "source": "print(1)", "metadata": {}, "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "1\n"},
        {"output_type": "execute_result", "execution_count": 1, "data": {"text/plain": ["2"]}, "metadata": {}},
        {"output_type": "display_data", "data": {"text/plain": "<Figure>"}, "metadata": {}},
        {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": ["Traceback"]}]},
    {"cell_type": "markdown", "source": ["## Q1\n", "Leakage."], "metadata": {}},
    {"cell_type": "raw", "source": "", "metadata": {}}]}
seeds("fuzz-notebook", {
    "handout.ipynb": (root / "exercises/019-leaky-pipeline/leaky_pipeline.ipynb").read_bytes(),
    "solution.ipynb": (solution / "notebook/leaky_pipeline.ipynb").read_bytes(),
    "loose.ipynb": loose, "outputs.ipynb": json.dumps(errors)})

# Reflections: the solutions', the handout's, and the shapes Route019Tests write.
reflection = {
    "solution.md": (solution / "reflection.md").read_bytes(),
    "swift.md": (solution / "swift/Reflection.md").read_bytes(),
    "handout.md": (root / "exercises/019-leaky-pipeline/swift/Reflection.md").read_bytes(),
    "levels.md": "# Answers\n### Question 1\nA <!-- prompt -->\n## Q 2\nB\n# Other\n## q.3\nC\n## Q4\nD\n## Q44\n<!-- open",
    "escapes.md": "## Q1\nLeakage \x1b[31m]]> is when test data reach training.\x07\n## Q2\n",
}
seeds("fuzz-reflection", reflection)

# Submissions: the solution's files (heads), NUL-separated in the fuzz target's order; variants leave files out.
files = [head(solution / n) for n in ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv"]]
md = (solution / "reflection.md").read_bytes()
nb = json.dumps(errors).encode()
seeds("fuzz-submission", {
    "solution": b"\0".join(files + [md, b"-"]),
    "notebook-only-reflection": b"\0".join(files + [b"-", nb]),
    "missing-files": b"\0".join([files[0], b"-", b"-", files[3], b"metric,value\nx,1\n"]),
})


# Zips: the shapes SafeUnzipTests builds (nested folders, __MACOSX, zip slip, absolute paths, links, duplicates).
def make_zip(entries, links=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in entries:
            z.writestr(name, text)
        for name, target in links:
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            z.writestr(info, target)
    return buffer.getvalue()


seeds("fuzz-unzip", {
    "nested.zip": make_zip([("alice/", ""), ("alice/features.csv", "protein_id,length\nRv0001,507\n"),
                            ("alice/reflection.md", "## Q1\nA\n"), ("__MACOSX/alice/._features.csv", "x")]),
    "slip.zip": make_zip([("../evil.txt", "x")]),
    "absolute.zip": make_zip([("/tmp/evil.txt", "x"), ("C:\\evil.txt", "y")]),
    "link.zip": make_zip([("a.txt", "a")], links=[("link", "/etc/passwd")]),
    "duplicate.zip": make_zip([("a.csv", "1"), ("./a.csv", "2")]),
    "stored.zip": (lambda: (lambda b: (zipfile.ZipFile(b, "w", zipfile.ZIP_STORED).writestr("s.csv", "a,b\n1,2\n"), b)[1].getvalue())(io.BytesIO()))(),
    # The input that hung ZIPFoundation's reader (a deflate stream cut short), now refused by ZipReader.
    "regression-inflate-hang.zip": (root / "Tests/BelayFormatsTests/Fixtures/zip/xlsx-inflate-hang.xlsx").read_bytes(),
})

# Harness replies (first byte: the task, in ExerciseTask.allCases order), from HostileReplyTests and one per task.
def reply(task_index, task, output):
    body = {"nonce": "real", "task": task, "seconds": 0.25, "output": {task: {"_0": output}}}
    return bytes([task_index]) + json.dumps(body, sort_keys=True).encode()


reflection_value = {"q1": "Leakage.", "q2": "Homologs.", "q3": "Clusters.", "q4": "Report."}
seeds("fuzz-harness-reply", {
    "features": reply(0, "features", [[507, 1, 2], [0]]),
    "cleanLocation": reply(1, "cleanLocation", ["Cytoplasm", None]),
    "encodeLabels": reply(2, "encodeLabels", {"Cytoplasm": 0, "Membrane": 1}),
    "cosineSimilarity": reply(3, "cosineSimilarity", {"counts": [2, 2], "data": "AACAPwAAAD8AAAA/AACAPw=="}),
    "cosine-overflow": reply(3, "cosineSimilarity", {"counts": [9223372036854775807, 1], "data": "AAAAAA=="}),
    "clusters": reply(4, "clusters", [0, 0, 1]),
    "clusteredSplit": reply(5, "clusteredSplit", [True, False]),
    "randomSplit": reply(6, "randomSplit", [False, True]),
    "accuracy": reply(7, "accuracy", "NaN"),
    "reflection": reply(8, "reflection", reflection_value),
    "deep": bytes([3]) + b'{"nonce":"real","task":"cosineSimilarity","seconds":0,"output":' + b"[" * 200 + b"]" * 200 + b"}",
})

# Rubrics: the route's rubric and the small one of BelayGradingTests.
grading_fixture = (root / "Tests/BelayGradingTests/Fixtures.swift").read_text()
small = re.search(r'rubricYAML = """\n(.*?)\n\s*"""', grading_fixture, re.S).group(1)
small = "\n".join(line[8:] if line.startswith("        ") else line for line in small.split("\n")) + "\n"
seeds("fuzz-rubric", {"route-019.yaml": (root / "rubrics/019-leaky-pipeline/rubric.yaml").read_bytes(),
                      "grading-tests.yaml": small,
                      "anchors.yaml": "route: r\ntitle: &t T\nversion: 1\nparams: {a: [1, 2.5, x, true], b: *t}\n"
                                      "exercises: [{id: e, title: E}]\nchecks:\n  - {id: c, exercise: e, title: C, points: 1}\n"})


# Workbooks: small ones written with openpyxl (strings, numbers, booleans, formulas, two sheets).
def workbook():
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["protein_id", "length", "location", "ok"])
    ws.append(["Rv0001", 507, "Cytoplasm", True])
    ws.append(["Rv0002", 402.5, None, False])
    ws["E2"] = "=B2*2"
    wb.create_sheet("Other").append(["a"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


xlsx = workbook()
seeds("fuzz-xlsx", {"openpyxl.xlsx": xlsx,
                    "regression-inflate-hang.xlsx": (root / "Tests/BelayFormatsTests/Fixtures/zip/xlsx-inflate-hang.xlsx").read_bytes()})
parts = zipfile.ZipFile(io.BytesIO(xlsx))
order = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
names = set(parts.namelist())
seeds("fuzz-xlsx-parts", {
    "openpyxl": b"\0".join(parts.read(n) if n in names else b"" for n in order),
    "sheet-only": parts.read(order[0]),
    "inline": b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="XFD1" t="b"><v>1</v></c>'
              b'<c r="B1" t="e"><v>#N/A</v></c><c r="C1" t="s"><v>0</v></c></row></sheetData></worksheet>'
              b'\0<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>a</t></r><r><t xml:space="preserve"> b</t></r></si></sst>',
})

# FASTA: the texts of FASTATests.
seeds("fuzz-fasta", {
    "mtb.fasta": "\ufeff;old-style comment\r\n>sp|P9WKJ9|DNAA_MYCTU Chromosomal replication initiator protein DnaA\r\nMTDDP GSGFT\r\nTVWNAVVSEL\r\n\r\n>Rv0002 dnaN\nMKKR\n>empty\n>Rv0003\nM K\tL*\n",
    "before-header.fa": "\nMKKR\n>a\nM\n", "empty-header.fa": ">a\nM\n>  \nK\n",
})

# Gzip: course-like files compressed, two members, and an empty one.
text = head(solution / "features.csv", 6)
seeds("fuzz-gzip", {"features.csv.gz": gzip.compress(text), "two-members.gz": gzip.compress(b"a\n") + gzip.compress(b"b\n"),
                    "empty.gz": gzip.compress(b"")})
