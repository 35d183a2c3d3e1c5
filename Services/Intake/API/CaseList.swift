/// A page of the case list, newest registration first.
public struct CaseList: Codable, Sendable {
    public var total: Int
    public var cases: [CaseSummary]
    /// `after` for the next page; absent on the last.
    public var next: String?
    public init(total: Int, cases: [CaseSummary], next: String? = nil) { self.total = total; self.cases = cases; self.next = next }
}
