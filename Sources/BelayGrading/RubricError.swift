/// A rubric that cannot be used: names the file, the 1-based line and what is wrong.
///
/// Prints as `rubric.yaml:42: check 'ex3.x' has points -1; points must be >= 0`.
public struct RubricError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The rubric's file name (as given to ``Rubric/parse(_:fileName:)``).
    public var file: String
    /// 1-based line of the offending node; 0 when no line applies.
    public var line: Int
    /// What is wrong, naming the check id and key where there is one.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message` (or `file: message` without a line).
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
