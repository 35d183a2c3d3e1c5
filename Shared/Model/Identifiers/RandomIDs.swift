#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Random bytes from the system, read 4 KiB at a time: every event applied draws an
/// event id and a span id, and drawing each from the system (a `getrandom` call per 8
/// bytes, `UUID` through `sprintf`) was 9 % of the probe stage's consumer thread. The
/// bytes are the system generator's own; only the calls are fewer.
public struct RandomIDs: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 { Self.pool.withLock { $0.next() } }

    /// A version 4 UUID in lower case (`0b5e3c1a-...-4...-[89ab]...`), as
    /// `UUID().uuidString.lowercased()` wrote it.
    public static func uuid() -> String {
        var generator = RandomIDs()
        let (high, low) = (generator.next(), generator.next())
        // Version 4 in the 13th hex digit, variant 10 in the two top bits of the 17th.
        let a = (high & ~0xF000) | 0x4000
        let b = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { bytes in
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    bytes[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? a : b
                bytes[position] = hexDigits[Int((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)]
                position += 1
            }
            return position
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let pool = Mutex(Pool())

    private struct Pool {
        var words = [UInt64]()
        var used = 0

        mutating func next() -> UInt64 {
            if used == words.count {
                words = Self.fromSystem(count: 512)
                used = 0
            }
            defer { used += 1 }
            return words[used]
        }

        /// One read of the system's generator for the lot (the standard generator makes a
        /// `getrandom` call per word).
        static func fromSystem(count: Int) -> [UInt64] {
            var words = [UInt64](repeating: 0, count: count)
            let file = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            let filled = file < 0 ? -1 : words.withUnsafeMutableBytes { buffer in read(file, buffer.baseAddress, buffer.count) }
            if file >= 0 { close(file) }
            if filled != count * 8 {
                var system = SystemRandomNumberGenerator()
                words = words.map { _ in system.next() }
            }
            return words
        }
    }
}
