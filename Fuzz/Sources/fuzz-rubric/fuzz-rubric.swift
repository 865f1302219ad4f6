import BelayGrading
import FuzzSupport

/// An instructor's rubric YAML.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRubric(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let text = String(validating: FuzzInput.data(bytes, count), as: UTF8.self) else { return 0 }
    _ = try? Rubric.parse(text, fileName: "rubric.yaml")
    return 0
}
