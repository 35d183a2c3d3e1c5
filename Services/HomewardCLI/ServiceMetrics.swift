import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One scrape of a service's Prometheus page, as much as the benchmark and the fault run read.
struct ServiceMetrics: Sendable {
    /// `name{labels}` → value, as the page prints them.
    let samples: [String: Double]

    static func scrape(host: String = "127.0.0.1", port: Int) async -> ServiceMetrics? {
        guard let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://\(host):\(port)/metrics")!) else { return nil }
        var samples: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return ServiceMetrics(samples: samples)
    }

    /// The sum of a metric over all its label sets.
    func total(_ name: String) -> Double {
        samples.filter { $0.key == name || $0.key.hasPrefix(name + "{") }.values.reduce(0, +)
    }

    /// The event hop histogram per source topic: upper bound → cumulative count.
    var hopHistograms: [String: [(Double, Double)]] {
        var result: [String: [(Double, Double)]] = [:]
        for (key, value) in samples where key.hasPrefix("homeward_event_hop_seconds_bucket{") {
            guard let topic = key.firstMatch(of: /topic="([^"]+)"/)?.1, let bound = key.firstMatch(of: /le="([^"]+)"/)?.1 else { continue }
            result[String(topic), default: []].append((bound == "+Inf" ? .infinity : Double(bound) ?? .infinity, value))
        }
        return result.mapValues { $0.sorted { $0.0 < $1.0 } }
    }
}

/// A histogram's quantile by linear interpolation inside the bucket that holds it, as
/// Prometheus' `histogram_quantile` does; `buckets` are cumulative, ascending.
func histogramQuantile(_ q: Double, _ buckets: [(Double, Double)]) -> Double? {
    guard let total = buckets.last?.1, total > 0 else { return nil }
    let rank = q * total
    var lower = 0.0, below = 0.0
    for (bound, count) in buckets {
        if count >= rank {
            if bound.isInfinite { return lower }
            let inBucket = count - below
            return inBucket == 0 ? bound : lower + (bound - lower) * (rank - below) / inBucket
        }
        lower = bound.isInfinite ? lower : bound
        below = count
    }
    return lower
}

/// The difference of two cumulative histograms (after minus before), for one run's share.
func histogramDelta(_ after: [(Double, Double)], _ before: [(Double, Double)]?) -> [(Double, Double)] {
    let earlier = Dictionary(before ?? [], uniquingKeysWith: { a, _ in a })
    return after.map { ($0.0, $0.1 - (earlier[$0.0] ?? 0)) }
}

/// A quantile of raw observations (nearest rank).
func quantile(_ q: Double, _ sorted: [Double]) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[index]
}
