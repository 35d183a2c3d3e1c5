import Foundation
import HomewardModel
import Testing

@Suite("Event ids and span ids from the buffered system generator")
struct RandomIDsTests {
    @Test func eventIDsAreLowerCaseVersion4UUIDsAndDoNotRepeat() throws {
        let ids = (0..<5_000).map { _ in EventID().rawValue }  // several refills of the pool
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(200) {
            let uuid = try #require(UUID(uuidString: id), "\(id)")
            #expect(uuid.uuidString.lowercased() == id)
            let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4, "version 4: \(id)")
            #expect(bytes[8] >> 6 == 0b10, "RFC 4122 variant: \(id)")
        }
    }

    @Test func aChildSpanKeepsTheTraceAndDrawsANewSpan() {
        let parent = Traceparent.start()
        let fields = parent.split(separator: "-")
        #expect(fields.map(\.count) == [2, 32, 16, 2] && fields.first == "00" && fields.last == "01", "\(parent)")
        #expect(fields.dropFirst().dropLast().allSatisfy { $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(Traceparent.traceID(of: parent) == String(fields[1]))
        let children = (0..<100).map { _ in Traceparent.child(of: parent) }
        #expect(children.allSatisfy { $0.hasPrefix(String(parent.prefix(36))) && $0.count == 55 })
        #expect(Set(children.map { $0.dropFirst(36).prefix(16) }).count == 100)
    }
}
