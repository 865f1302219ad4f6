/// A route's catalogue of tasks: how the route-neutral harness reaches the route's exercise protocol.
///
/// Each route with a Swift track declares an exercise protocol (the functions a student implements, such as
/// ``LeakyPipelineExercises``) and one catalogue conforming to this protocol: the tasks (one per function), the
/// inputs the grader sends and the answers the student's functions return, and how a task's inputs are answered
/// with a solution. The harness (``ExerciseHarness/main(_:solution:)``), the wire format (``HarnessRequest``,
/// ``HarnessResponse``) and Belay's sandbox know nothing else about a route.
public protocol ExerciseCatalogue {
    /// What answers the tasks: the route's exercise protocol as an existential, e.g. `any LeakyPipelineExercises`.
    associatedtype Solution
    /// The tasks, one per function of the exercise protocol; the raw value is the task's name on the wire.
    associatedtype Task: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where Task.RawValue == String
    /// The inputs of one task (never an expected answer).
    associatedtype Input: Codable, Hashable, Sendable
    /// What a student's function returned for one task, as returned (no checking, no rounding).
    associatedtype Output: Codable, Hashable, Sendable

    /// The exercise protocol's name, e.g. `LeakyPipelineExercises`: the type a student's package must conform to it.
    static var protocolName: String { get }

    /// The function behind `task` and how its answer is encoded.
    static func describe(_ task: Task) -> TaskDescription

    /// The task `input` is for.
    static func task(of input: Input) -> Task

    /// The task `output` answers.
    static func task(of output: Output) -> Task

    /// Calls the function `input` is for.
    static func answer(_ input: Input, with solution: Solution) -> Output
}

/// One entry of a route's catalogue: the function a student implements and how its answer travels.
public struct TaskDescription: Sendable, Hashable {
    /// The Swift name of the function (or property) behind the task, e.g. `features(of:)`.
    public var signature: String
    /// How the function's answer is encoded on the wire, e.g. `[[Int]]: one row per sequence`.
    public var answer: String

    /// Creates a description.
    public init(signature: String, answer: String) {
        self.signature = signature
        self.answer = answer
    }
}

extension ExerciseCatalogue {
    /// Every task with its description, in the order of `Task.allCases`.
    public static var tasks: [(task: Task, description: TaskDescription)] {
        Task.allCases.map { ($0, describe($0)) }
    }
}
