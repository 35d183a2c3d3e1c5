import Foundation

/// A process's memory and CPU, read from /proc.
struct ProcessSample: Sendable {
    /// Resident now, and the peak resident size so far (VmHWM), in bytes.
    let resident: Int
    let peakResident: Int
    /// User plus system CPU time so far.
    let cpuSeconds: Double

    static func read(pid: Int32) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        func kilobytes(_ field: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let cpu = ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks
        return ProcessSample(resident: kilobytes("VmRSS"), peakResident: kilobytes("VmHWM"), cpuSeconds: cpu)
    }
}

/// A store's size on disk: the database, its WAL and its shared-memory file.
/// Bytes of every store file in a service's store directory, WAL included.
func storeSize(_ directory: String) -> Int {
    storeFiles(in: directory).reduce(0) { total, path in
        total + ["", "-wal", "-shm"].reduce(0) { sum, suffix in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
        }
    }
}

/// A service's store files: `service.sqlite` and `partition-NN.sqlite`, in that order.
func storeFiles(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0 == "service.sqlite" || ($0.hasPrefix("partition-") && $0.hasSuffix(".sqlite")) }
        .sorted { ($0 == "service.sqlite" ? "" : $0) < ($1 == "service.sqlite" ? "" : $1) }
        .map { "\(directory)/\($0)" }
}

func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
