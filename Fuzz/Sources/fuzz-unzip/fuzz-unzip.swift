import BelayFormats
import Foundation
import FuzzSupport

/// A student's zipped submission, extracted the way the class grader extracts it (with a 1 MiB content limit,
/// so a fuzzed archive cannot fill the disk; the grader's own limit is larger, the checks are the same).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUnzip(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let zip = FuzzInput.file("submission.zip", FuzzInput.data(bytes, count))
    let destination = FuzzInput.freshDirectory("unzipped")
    try? SafeUnzip.extract(zip, to: destination, maxTotalBytes: 1 << 20, maxEntries: 1_000)
    return 0
}
