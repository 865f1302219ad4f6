import BelayFormats
import FuzzSupport

/// A gzip-compressed course file, decompressed in memory with a 1 MiB limit (a bomb must be refused).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    _ = try? Gzip.decompress(FuzzInput.data(bytes, count), limit: 1 << 20)
    return 0
}
