import Foundation

/// The bytes of one JSON text as ``DirectJSONEncoder`` writes them, and what it needs to
/// finish each object and array: the values being written (frames, innermost last) and the
/// members written so far of the containers among them.
///
/// A member is written in place, `"key":value` after a comma, as it comes. When its object
/// ends, nothing more is done if its keys came in `JSONEncoder`'s order (their UTF-8 bytes
/// compared, as swift-foundation sorts them), which is declaration order for most types;
/// otherwise the members are copied out in that order (the last of equal keys wins, as in
/// `JSONEncoder`'s dictionary) and put back. A nested container or super encoder may be
/// written to after later members, so it writes into its own ``JSONOutput``, joined in when
/// its parent ends.
final class JSONOutput {
    /// One value being written: what shape it took and where it starts.
    struct Frame {
        enum Shape { case nothing, single, object, array }
        var shape = Shape.nothing
        /// Where the value's bytes start in ``JSONOutput/bytes``.
        let start: Int
        /// Its first member in ``JSONOutput/members``.
        let firstMember: Int
        /// False once a member came out of order or is deferred: the container is rebuilt when it ends.
        var inPlace = true
    }

    /// A member of an object or an element of an array (`key` empty).
    struct Member {
        let key: String
        /// `"key":value`, or the element, in ``JSONOutput/bytes``.
        let start: Int
        var end: Int
        /// A nested container's or super encoder's own output, joined in when the parent ends.
        var deferred: JSONOutput?
    }

    var bytes: [UInt8] = []
    private(set) var frames: [Frame] = []
    private(set) var members: [Member] = []
    /// The coding path to the value being written, for errors and `Encoder.codingPath`.
    var path: [any CodingKey]

    init(path: [any CodingKey]) {
        self.path = path
        bytes.reserveCapacity(256)
    }

    // MARK: Values

    /// Writes `value` and returns true, or writes nothing and returns false when it
    /// encodes nothing at all. Dates, data, URLs and decimals as `JSONEncoder` writes them
    /// (it checks for them before their own `encode(to:)` too); strings without a frame, as
    /// the commonest array elements.
    func write<T: Encodable>(_ value: T) throws -> Bool {
        // Compared by type, not cast: five failed casts per value cost more than the rest of
        // writing a short one. (`Optional<Date>` needs no case: its `encode(to:)` comes back
        // here with the date.)
        if T.self == String.self {
            appendString(value as! String)
        } else if T.self == Date.self {
            appendString(Instant.format(value as! Date))
        } else if T.self == Data.self {
            appendString((value as! Data).base64EncodedString())
        } else if T.self == URL.self {
            appendString((value as! URL).absoluteString)
        } else if T.self == Decimal.self {
            appendASCII((value as! Decimal).description)
        } else {
            let frame = open()
            try value.encode(to: JSONValueEncoder(output: self, frame: frame))
            return close()
        }
        return true
    }

    /// A value inside a container: one that encodes nothing is `{}`, as in `JSONEncoder`.
    func writeNested<T: Encodable>(_ value: T) throws {
        if try !write(value) { appendASCII("{}") }
    }

    func appendASCII(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func appendASCII(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    func appendString(_ text: String) {
        EnvelopeWriter.appendQuoted(text, to: &bytes)
    }

    func appendBool(_ value: Bool) {
        value ? appendASCII("true") : appendASCII("false")
    }

    func appendInteger(_ value: some FixedWidthInteger) {
        appendASCII(value.description)
    }

    /// As `JSONEncoder`: the number's `description` without a trailing `.0` (1.0 → `1`,
    /// 1e+16 stays); NaN and the infinities throw, named by the path and `key`.
    func appendFloat<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, key: (any CodingKey)? = nil) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: path + (key.map { [$0] } ?? []), debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        appendASCII(text)
    }

    // MARK: Frames

    func open() -> Int {
        frames.append(Frame(start: bytes.count, firstMember: members.count))
        return frames.count - 1
    }

    /// Ends the innermost value: its container's closing bracket, after putting its members
    /// in order if they are not. False if the value encoded nothing.
    func close() -> Bool {
        let frame = frames.removeLast()
        switch frame.shape {
        case .nothing:
            return false
        case .single:
            return true
        case .object, .array:
            if frame.inPlace {
                bytes.append(frame.shape == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            } else {
                rebuild(frame)
            }
            members.removeSubrange(frame.firstMember...)
            return true
        }
    }

    /// Makes the value at `frame` an object or an array (again: asking twice is allowed).
    func begin(_ shape: Frame.Shape, at frame: Int) {
        if frames[frame].shape == shape { return }
        precondition(frames[frame].shape == .nothing, "A value encoded twice at \(path.map(\.stringValue))")
        frames[frame].shape = shape
        bytes.append(shape == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// Makes the value at `frame` a single value.
    func beginSingle(at frame: Int) {
        precondition(frames[frame].shape == .nothing, "A value encoded twice at \(path.map(\.stringValue))")
        frames[frame].shape = .single
    }

    /// How many members the container at `frame` has.
    func count(at frame: Int) -> Int {
        members.count - frames[frame].firstMember
    }

    // MARK: Members

    /// Starts a member of the container at `frame` (`key` empty for an array's element);
    /// its value follows, then ``endMember()``.
    func beginMember(_ key: String, at frame: Int) {
        if count(at: frame) > 0 {
            bytes.append(UInt8(ascii: ","))
            if frames[frame].shape == .object, !members[members.count - 1].key.utf8.lexicographicallyPrecedes(key.utf8) {
                frames[frame].inPlace = false
            }
        }
        members.append(Member(key: key, start: bytes.count, end: bytes.count))
        if frames[frame].shape == .object {
            appendString(key)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    func endMember() {
        members[members.count - 1].end = bytes.count
    }

    /// A member whose value is written later through its own output (a nested container, a
    /// super encoder), whose path goes on with `codingKey`.
    func deferMember(_ key: String, codingKey: any CodingKey, at frame: Int) -> JSONOutput {
        let nested = JSONOutput(path: path + [codingKey])
        _ = nested.open()
        members.append(Member(key: key, start: bytes.count, end: bytes.count, deferred: nested))
        frames[frame].inPlace = false
        return nested
    }

    /// A deferred member's bytes, once its parent ends: `{}` if nothing was written.
    private func finish() -> ArraySlice<UInt8> {
        if !close() { appendASCII("{}") }
        return bytes[...]
    }

    /// Writes the container at `frame` again, its members in order, each deferred one joined in.
    private func rebuild(_ frame: Frame) {
        var order = Array(frame.firstMember..<members.count)
        if frame.shape == .object {
            // Sorted by key, equal keys in the order written; then only the last of each.
            order.sort { a, b in
                members[a].key == members[b].key ? a < b : members[a].key.utf8.lexicographicallyPrecedes(members[b].key.utf8)
            }
            var kept: [Int] = []
            for index in order {
                if let last = kept.last, members[last].key == members[index].key {
                    kept[kept.count - 1] = index
                } else {
                    kept.append(index)
                }
            }
            order = kept
        }
        var text: [UInt8] = [frame.shape == .object ? UInt8(ascii: "{") : UInt8(ascii: "[")]
        for (n, index) in order.enumerated() {
            if n > 0 { text.append(UInt8(ascii: ",")) }
            let member = members[index]
            if let deferred = member.deferred {
                if frame.shape == .object {
                    EnvelopeWriter.appendQuoted(member.key, to: &text)
                    text.append(UInt8(ascii: ":"))
                }
                text.append(contentsOf: deferred.finish())
            } else {
                text.append(contentsOf: bytes[member.start..<member.end])
            }
        }
        text.append(frame.shape == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        bytes.replaceSubrange(frame.start..., with: text)
    }
}
