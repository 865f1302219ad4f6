import BelayFormats
import FuzzSupport

/// An instructor's course spreadsheet (.xlsx), whole: zip container, relationships, workbook, sheets.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let url = FuzzInput.file("course.xlsx", FuzzInput.data(bytes, count))
    _ = try? XLSXReader.sheetNames(at: url)
    _ = try? XLSXReader.read(at: url)
    return 0
}
