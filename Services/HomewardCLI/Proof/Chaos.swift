import Foundation
import HomewardModel
import Kafka
import Logging
import Synchronization

/// A seeded random source (SplitMix64) shared by the fault run's parts, so a run can be repeated.
final class SeededRandom: Sendable {
    private let state: Mutex<UInt64>

    init(seed: UInt64) { state = Mutex(seed) }

    func next() -> UInt64 {
        state.withLock { state in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A uniform value in 0..<1.
    func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    func pause(_ range: ClosedRange<Double>) -> Duration { .seconds(range.lowerBound + unit() * (range.upperBound - range.lowerBound)) }
}

/// The faults a run injects into the stack while journeys go on: SIGKILLs and restarts,
/// broker outages, poison events. Counts what it did; records where each poison landed.
final class Chaos: Sendable {
    struct Poison: Hashable, Sendable {
        let topic: String
        let partition: Int32
        let offset: Int64
        let kind: String
    }

    let stack: LocalStack
    let bootstrap: String
    let random: SeededRandom
    private let counts = Mutex<(kills: Int, outages: Int, outageSeconds: Double, hostLosses: Int)>((0, 0, 0, 0))
    private let poisons = Mutex<[Poison]>([])

    init(stack: LocalStack, bootstrap: String, random: SeededRandom) {
        self.stack = stack
        self.bootstrap = bootstrap
        self.random = random
    }

    var kills: Int { counts.withLock { $0.kills } }
    var outages: (count: Int, seconds: Double) { counts.withLock { ($0.outages, $0.outageSeconds) } }
    var poisoned: [Poison] { poisons.withLock { $0 } }
    var hostLosses: Int { counts.withLock { $0.hostLosses } }

    /// Kills a random replica of a random service with SIGKILL, then starts it again after a
    /// short pause.
    func killOne() async throws {
        let children = stack.serviceChildren
        let child = children[random.int(0..<children.count)]
        await stack.signal(child, SIGKILL)
        counts.withLock { $0.kills += 1 }
        say("SIGKILL \(child)")
        try await Task.sleep(for: random.pause(0.2...1.5))
        try stack.restart(child)
    }

    /// Loses a host whole: every replica on it killed with SIGKILL at once and its data
    /// directories deleted; after a pause, the host comes back empty, as a replacement
    /// machine would, and its replicas restore what they take over from the changelogs.
    func loseHost(_ host: Int) async throws {
        let children = stack.childNames(onHost: host)
        await withTaskGroup(of: Void.self) { group in
            for child in children { group.addTask { await self.stack.signal(child, SIGKILL) } }
        }
        for service in ServiceName.allCases {
            try? FileManager.default.removeItem(at: stack.storeDirectory(service, replica: host))
        }
        counts.withLock { $0.hostLosses += 1 }
        say("host \(host) lost: \(children.count) processes killed, its data directories deleted")
        try await Task.sleep(for: random.pause(2...6))
        for child in children { try stack.restart(child) }
        say("host \(host) back, empty")
    }

    /// Takes the broker down for 2 to `maximum` seconds.
    func brokerOutage(maximum: Double) async throws {
        let length = random.pause(2...max(2, maximum))
        say("broker down for \(String(format: "%.1f", seconds(length))) s")
        stack.tellBroker("down 1")
        try await Task.sleep(for: length)
        stack.tellBroker("up 1")
        counts.withLock {
            $0.outages += 1
            $0.outageSeconds += seconds(length)
        }
    }

    /// Publishes one poison event to a random service's topic, keyed like a case.
    func poison(producer: KafkaProducer) async throws {
        let service = ServiceName.allCases[random.int(0..<4)]
        let key = "POISON-\(random.next() % 1_000_000)"
        let kinds: [(String, Data)] = [
            ("not JSON", Data("\u{01}\u{02} not an event".utf8)),
            ("unknown type", Data(#"{"specversion":"1.0","id":"\#(UUID().uuidString)","source":"/homeward/\#(service.rawValue)","type":"homeward.\#(service.rawValue).no-such-thing.v1","subject":"\#(key)","time":"2026-11-22T00:00:00Z","datacontenttype":"application/json","data":{}}"#.utf8)),
            ("unknown major", Data(#"{"specversion":"1.0","id":"\#(UUID().uuidString)","source":"/homeward/\#(service.rawValue)","type":"homeward.\#(EventCatalogue.published(by: service)[0].eventType.name).v9","subject":"\#(key)","time":"2026-11-22T00:00:00Z","datacontenttype":"application/json","data":{}}"#.utf8)),
        ]
        let (kind, value) = kinds[random.int(0..<kinds.count)]
        let report = try await producer.send(OutgoingMessage(topic: service.topic, key: key, value: value))
        poisons.withLock { $0.append(Poison(topic: report.topic, partition: report.partition, offset: report.offset, kind: kind)) }
        say("poison (\(kind)) on \(service.topic)")
    }

    func say(_ line: String) {
        LocalStack.say("  [chaos \(Instant.format(Date()).dropFirst(11).prefix(8))] \(line)")
    }
}
