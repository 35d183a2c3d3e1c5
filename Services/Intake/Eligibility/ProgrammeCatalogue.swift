import Foundation
import HomewardModel
import HomewardRuntime

/// The programmes intake can decide under, read at start-up from a directory with one
/// JSON file per programme: adding a programme is adding a file.
///
/// Loading is all or nothing. A file that does not decode or validate, or two files with
/// the same programme id, stop the load with an error naming the file and the problem,
/// so a bad deployment fails at start-up and never decides a case under a half-read rule.
struct ProgrammeCatalogue: Sendable {
    /// Programmes by id.
    let programmes: [String: Programme]

    init(programmes: [String: Programme]) {
        self.programmes = programmes
    }

    func programme(_ id: String) -> Programme? {
        programmes[id]
    }

    /// A programme file (or the directory) that cannot be used, and why.
    struct LoadError: Error, CustomStringConvertible {
        /// The file's name, or the directory's path when the problem is the directory.
        let file: String
        let problem: String
        var description: String { "programme file \(file): \(problem)" }
    }

    /// Reads every `*.json` file directly in `directory` (hidden files and subdirectories
    /// are ignored), in name order.
    static func load(directory: URL) throws -> ProgrammeCatalogue {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
                .sorted()
        } catch {
            throw LoadError(file: directory.path, problem: "cannot list the directory (\(error.localizedDescription))")
        }
        guard !names.isEmpty else {
            throw LoadError(file: directory.path, problem: "the directory holds no *.json programme file")
        }
        var programmes: [String: Programme] = [:]
        var files: [String: String] = [:]  // programme id -> file name
        for name in names {
            let data: Data
            do {
                data = try Data(contentsOf: directory.appendingPathComponent(name))
            } catch {
                throw LoadError(file: name, problem: "cannot be read (\(error.localizedDescription))")
            }
            let programme: Programme
            do {
                programme = try JSONDecoder().decode(Programme.self, from: data)
            } catch let error as DecodingError {
                throw LoadError(file: name, problem: describe(error))
            } catch {
                throw LoadError(file: name, problem: "\(error)")
            }
            if let other = files[programme.id] {
                throw LoadError(file: name, problem: "programme id \"\(programme.id)\" is already defined by \(other)")
            }
            programmes[programme.id] = programme
            files[programme.id] = name
        }
        return ProgrammeCatalogue(programmes: programmes)
    }

    /// "tiers[1].tier: ..." rather than DecodingError's debug dump.
    private static func describe(_ error: DecodingError) -> String {
        let (field, problem) = ConfigurationFile.locate(error)
        return field.isEmpty ? problem : "\(field): \(problem)"
    }
}
