import BelayFormats
import FuzzSupport

/// A student's Jupyter notebook (.ipynb JSON).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotebook(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if let notebook = try? Notebook.parse(FuzzInput.data(bytes, count), fileName: "submission.ipynb") {
        _ = notebook.codeCells.count
    }
    return 0
}
