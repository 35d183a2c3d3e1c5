import Foundation

// The libFuzzer entry points of `homeward-fuzz`, one binary for every target.
//
// The target is chosen by HOMEWARD_FUZZ_TARGET; HOMEWARD_FUZZ_LIST=1 prints the targets,
// HOMEWARD_FUZZ_SEEDS=<dir> writes the chosen target's seed inputs there. Both then exit
// without fuzzing. `Tests/Fuzz/fuzz.sh` builds the binary and drives it.

/// One decoder under fuzzing: what runs on each input, and the inputs to start from.
struct FuzzTarget: Sendable {
    let name: String
    /// Valid inputs, built from the same typed examples the tests and the catalogue use.
    let seeds: @Sendable () throws -> [Data]
    /// Runs the input through the decoder (and the pure checks that follow it in the service).
    let run: @Sendable (Data) -> Outcome
}

/// What became of one input. Refusals are the expected answer to most fuzz inputs;
/// only a crash, a hang or runaway memory is a finding.
enum Outcome {
    /// Decoded (and passed the checks that follow, where the target runs them).
    case accepted
    /// Decoded, but refused by a check after decoding (validation, itinerary rules...).
    case rejected
    /// Refused while decoding: malformed, too deep, wrong shape, missing field...
    case refused
    /// An event of a type this consumer does not apply (the registry skips it).
    case skipped
}

let allTargets: [FuzzTarget] = eventTargets + intakeTargets + healthTargets + travelTargets + reintegrationTargets + documentTargets

nonisolated(unsafe) var selected: FuzzTarget?
nonisolated(unsafe) var counts: [Outcome: Int] = [:]

/// The repository, for the configuration files the services ship (programmes, survey).
let repository: URL = ProcessInfo.processInfo.environment["HOMEWARD_FUZZ_REPO"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A configuration file a service ships, loaded, or a stop: targets run against anything
/// else would prove nothing about what ships.
func shipped<Document>(_ what: String, _ load: () throws -> Document) -> Document {
    do {
        return try load()
    } catch {
        fatalError("homeward-fuzz: the shipped \(what) did not load: \(error)")
    }
}

private func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("homeward-fuzz: \(message)\n".utf8))
    exit(2)
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    let names = allTargets.map(\.name)
    precondition(Set(names).count == names.count, "two targets share a name")
    if environment["HOMEWARD_FUZZ_LIST"] != nil {
        print(names.joined(separator: "\n"))
        exit(0)
    }
    guard let name = environment["HOMEWARD_FUZZ_TARGET"] else { fail("set HOMEWARD_FUZZ_TARGET to one of: \(names.joined(separator: " "))") }
    guard let target = allTargets.first(where: { $0.name == name }) else { fail("no target \(name); known: \(names.joined(separator: " "))") }
    if let directory = environment["HOMEWARD_FUZZ_SEEDS"] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (index, seed) in try target.seeds().enumerated() {
                // Every seed must get through, or the fuzzer starts from inputs that teach it nothing.
                guard target.run(seed) == .accepted else { fail("seed \(index) of \(name) is not accepted") }
                try seed.write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-\(index).json"))
            }
        } catch {
            fail("cannot write the seeds of \(name): \(error)")
        }
        exit(0)
    }
    selected = target
    atexit {
        guard let target = selected else { return }
        let line = "homeward-fuzz: \(target.name): \(counts.values.reduce(0, +)) inputs: \(counts[.accepted, default: 0]) accepted, "
            + "\(counts[.rejected, default: 0]) rejected after decoding, \(counts[.refused, default: 0]) refused by the decoder, "
            + "\(counts[.skipped, default: 0]) skipped\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let target = selected else { return 0 }
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    counts[target.run(data), default: 0] += 1
    return 0
}
