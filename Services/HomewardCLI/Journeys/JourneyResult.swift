/// What one journey did and checked.
public struct JourneyResult: Sendable, CustomStringConvertible {
    /// The journey instance (`title [seed N]`).
    public let journey: String
    /// The case intake registered.
    public let caseID: String
    /// The case's travellers, principal first.
    public let travellerIDs: [String]
    /// The bookings travel made for the case, oldest first.
    public let bookingIDs: [String]
    /// Each check that held at the end, in the order made (every service's view, intake's timeline).
    public let verified: [String]
    /// How long the journey took.
    public let elapsed: Duration

    /// A result; journeys make these.
    public init(journey: String, caseID: String, travellerIDs: [String], bookingIDs: [String], verified: [String], elapsed: Duration) {
        self.journey = journey
        self.caseID = caseID
        self.travellerIDs = travellerIDs
        self.bookingIDs = bookingIDs
        self.verified = verified
        self.elapsed = elapsed
    }

    /// One line: journey, case, travellers, checks, time.
    public var description: String {
        "\(journey): case \(caseID), \(travellerIDs.count) traveller\(travellerIDs.count == 1 ? "" : "s"), \(verified.count) checks held, \(elapsed)"
    }
}
