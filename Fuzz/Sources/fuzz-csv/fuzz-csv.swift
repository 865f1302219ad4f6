import BelayFormats
import FuzzSupport

/// A student's CSV file (features.csv, splits.csv, ...), as the submission loader reads it: bytes to table.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    _ = try? CSVTable.parse(data: FuzzInput.data(bytes, count), fileName: "features.csv")
    return 0
}
