/// A command that cannot go on, as one line (never a stack trace).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}
