import ExerciseKit
import FuzzSupport
import Route019

/// A student's reflection Markdown: the CSV route's `reflection.md` (or markdown cells) and the Swift route's
/// `Reflection.md`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReflection(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: FuzzInput.data(bytes, count), as: UTF8.self)
    _ = Route019Submission.reflectionAnswers(markdown: text)
    _ = ExerciseKit.Reflection(markdown: text)
    return 0
}
