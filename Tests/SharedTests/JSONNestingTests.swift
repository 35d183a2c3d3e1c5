import HomewardRuntime
import Testing

@Suite("JSON nesting depth")
struct JSONNestingTests {
    @Test(arguments: [
        ("{}", 1), ("[]", 1), ("\"{[{[\"", 0), ("{\"a\": [1, {\"b\": []}]}", 4),
        ("{\"a\": \"\\\"[[[\"}", 1), ("[[[[", 4), ("42", 0),
    ])
    func depthCountsBracketsOutsideStrings(_ text: String, _ expected: Int) {
        #expect(JSONNesting.depth(of: Array(text.utf8)) == expected)
    }

    @Test func countingStopsPastTheLimit() {
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(JSONNesting.depth(of: deep) == JSONNesting.limit + 1)
    }
}
