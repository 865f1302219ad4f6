import ArgumentParser

@main
struct Belay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "belay",
        abstract: "Grade submissions for 'The Leaky Pipeline' (Route 019).")
}
