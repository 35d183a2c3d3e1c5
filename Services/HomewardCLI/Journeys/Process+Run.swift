public import Foundation

extension Process {
    /// Runs `command` (its first element a path, or a name found on the PATH) to its end, in
    /// `directory` when given: its exit status and its output and errors together.
    /// `deadline`: the longest wait; the status of a process still running then is -1.
    public static func runToEnd(_ command: [String], in directory: URL? = nil,
                                deadline: TimeInterval = .infinity) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0].hasPrefix("/") ? command[0] : "/usr/bin/env")
        process.arguments = command[0].hasPrefix("/") ? Array(command.dropFirst()) : command
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Polled: Foundation's waitUntilExit, called off the thread that started a process, was seen to hang.
        let ends = Date().addingTimeInterval(deadline)
        while process.isRunning, Date() < ends { usleep(2_000) }
        return (process.isRunning ? -1 : process.terminationStatus, output)
    }

    /// Sends the process's output and errors to the end of `file`, made if missing: a
    /// process started again appends to the log of its earlier runs.
    public func appendOutput(to file: URL) throws {
        if !FileManager.default.fileExists(atPath: file.path) { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: file)
        handle.seekToEndOfFile()
        standardOutput = handle
        standardError = handle
    }
}
