import BelayFormats
import FuzzSupport

/// A FASTA file of the course data.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFASTA(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    _ = try? FASTA.parse(String(decoding: FuzzInput.data(bytes, count), as: UTF8.self), fileName: "course.fasta")
    return 0
}
