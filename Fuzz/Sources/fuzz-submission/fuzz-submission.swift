import Foundation
import FuzzSupport
import Route019

/// A whole CSV-route submission folder, loaded the way `belay grade` loads it: the input is cut at NUL bytes
/// into features.csv, label_encoding.csv, clusters.csv, splits.csv, metrics.csv, reflection.md and a notebook
/// (a piece that is absent, or the single byte `-`, leaves that file out).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSubmission(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let names = ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv", "reflection.md",
                 "submission.ipynb"]
    let directory = FuzzInput.freshDirectory("submission")
    for (name, piece) in zip(names, FuzzInput.pieces(FuzzInput.data(bytes, count), count: names.count))
    where piece != Data("-".utf8) {
        try? piece.write(to: directory.appendingPathComponent(name))
    }
    let submission = Route019Submission.load(directory: directory, name: "fuzz")
    _ = submission.name
    return 0
}
