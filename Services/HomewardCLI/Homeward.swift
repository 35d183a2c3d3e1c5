import ArgumentParser

/// `homeward`: the staff and operators' command line.
@main
struct Homeward: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward",
        abstract: "Work Homeward from the command line.",
        subcommands: [UpCommand.self, Demo.self, CaseCommand.self, CasesCommand.self, CounselCommand.self, OrientCommand.self, ReportCommand.self, ReferralsCommand.self, TopicsCommand.self, LagCommand.self, DeadLetterCommand.self, BackupCommand.self, BenchCommand.self, FaultRunCommand.self, TokenCommand.self, KeysCommand.self, AuditCommand.self, SubjectExportCommand.self, DocumentsCommand.self])
}
