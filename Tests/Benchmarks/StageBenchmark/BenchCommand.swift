import ArgumentParser

/// `homeward-bench`: the benchmarks. Figures go to BENCHMARKS.md, never into tests.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward-bench",
        abstract: "Homeward's benchmarks, on the embedded broker.",
        subcommands: [StageThroughput.self, IntakeSearch.self])
}
