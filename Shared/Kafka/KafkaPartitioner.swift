/// Co-partitioning with every other Kafka client: a case keyed "HW-…" lands in the same
/// partition number whoever produced it, and Homeward sets `partitioner=murmur2_random` on
/// librdkafka so that its own records agree.
/// Where Kafka's Java client puts a keyed record: `toPositive(murmur2(key)) % partitions`.
public enum KafkaPartitioner {
    public static func partition(ofKey key: some Collection<UInt8>, partitions: Int) -> Int32 {
        precondition(partitions > 0)
        return Int32(Int(murmur2(key) & 0x7fff_ffff) % partitions)
    }

    /// MurmurHash2 as Kafka's `Utils.murmur2` computes it (seed 0x9747b28c).
    public static func murmur2(_ key: some Collection<UInt8>) -> UInt32 {
        let bytes = Array(key)
        let m: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var i = 0
        while i + 4 <= length {
            var k = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
            i += 4
        }
        let rest = length & 3
        if rest == 3 { h ^= UInt32(bytes[i + 2]) << 16 }
        if rest >= 2 { h ^= UInt32(bytes[i + 1]) << 8 }
        if rest >= 1 {
            h ^= UInt32(bytes[i])
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return h
    }
}
let cases: [(String, Int32)] = [("21", -973932308), ("foobar", -790332482), ("a-little-bit-long-string", -985981536), ("a-little-bit-longer-string", -1486304829), ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971), ("abc", 479470107)]
