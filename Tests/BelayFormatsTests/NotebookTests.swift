import BelayFormats
import BelayTestSupport
import Foundation
import Testing

@Suite("Notebooks")
struct NotebookTests {
    @Test(.enabled(if: Python.isAvailable("nbformat"), "needs Python's nbformat (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func readsNotebooksWrittenByNbformat() throws {
        let json = try Python.output(script: """
            import sys, nbformat
            from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell, new_raw_cell, new_output
            nb = new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
            nb.cells = [
                new_markdown_cell("# Ex0\\nBuild the features."),
                new_code_cell("import pandas as pd\\nX = pd.read_excel('mtb.xlsx')\\nprint(X.shape)", execution_count=1,
                              outputs=[new_output("stream", name="stdout", text="(2443, 7)\\n"),
                                       new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
                                       new_output("display_data", data={"text/plain": "<Figure>", "image/png": "AAAA"})]),
                new_code_cell("1/0", execution_count=2,
                              outputs=[new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                                  traceback=["Traceback", "ZeroDivisionError: division by zero"])]),
                new_code_cell(""),
                new_raw_cell("raw text"),
            ]
            nbformat.validate(nb)
            sys.stdout.write(nbformat.writes(nb))
            """)
        let notebook = try Notebook.parse(Data(json.utf8), fileName: "ex0.ipynb")
        #expect(notebook.nbformat == 4)
        #expect(notebook.kernelLanguage == "python")
        #expect(notebook.cells.map(\.kind) == [.markdown, .code, .code, .code, .raw])
        #expect(notebook.cells.map(\.index) == [0, 1, 2, 3, 4])
        #expect(notebook.cells[0].source == "# Ex0\nBuild the features.")
        #expect(notebook.cells[1].source == "import pandas as pd\nX = pd.read_excel('mtb.xlsx')\nprint(X.shape)")
        #expect(notebook.cells[1].executionCount == 1)
        #expect(notebook.cells[1].outputs == [
            .stream(name: "stdout", text: "(2443, 7)\n"), .executeResult(executionCount: 1, text: "42"), .displayData(text: "<Figure>"),
        ])
        #expect(notebook.cells[2].outputs == [
            .error(ename: "ZeroDivisionError", evalue: "division by zero", traceback: ["Traceback", "ZeroDivisionError: division by zero"]),
        ])
        #expect(notebook.cells[3].executionCount == nil && notebook.cells[3].outputs.isEmpty)
        #expect(notebook.codeCells.count == 3)
    }

    @Test func toleratesStringsListsAndMissingFields() throws {
        let json = """
            {"cells": [
              {"cell_type": "code", "source": ["a = 1\\n", "b = 2"], "outputs": [{"output_type": "stream", "name": "stderr", "text": ["x", "y"]},
                                                                            {"output_type": "update_display_data"}]},
              {"cell_type": "markdown", "source": "plain string"},
              {"cell_type": "code"}
            ], "metadata": {"language_info": {"name": "python"}}}
            """
        let notebook = try Notebook.parse(Data(json.utf8), fileName: "loose.ipynb")
        #expect(notebook.nbformat == 4)
        #expect(notebook.kernelLanguage == "python")
        #expect(notebook.cells[0].source == "a = 1\nb = 2")
        #expect(notebook.cells[0].outputs == [.stream(name: "stderr", text: "xy")])
        #expect(notebook.cells[1].source == "plain string")
        #expect(notebook.cells[2].source == "" && notebook.cells[2].outputs.isEmpty)
    }

    @Test(arguments: [
        ("{\"cells\": [", "loose.ipynb: not valid JSON"),
        ("[1, 2]", "the top level is not a JSON object"),
        ("{\"nbformat\": 3, \"worksheets\": []}", "nbformat 3 is not supported"),
        ("{\"cells\": {}}", "\"cells\" is not a list"),
        ("{\"cells\": [{\"cell_type\": \"code\"}, {\"cell_type\": \"heading\"}]}", "loose.ipynb: cell 2: has unknown cell_type \"heading\""),
        ("{\"cells\": [3]}", "cell 1: is not a JSON object"),
    ])
    func refusesMalformedNotebooks(json: String, message: String) throws {
        let error = try #require(throws: NotebookError.self) { try Notebook.parse(Data(json.utf8), fileName: "loose.ipynb") }
        #expect(error.description.contains(message), "\(error)")
    }
}
