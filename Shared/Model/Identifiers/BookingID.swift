/// The id of one itinerary booked by travel booking for the whole family of a case.
public struct BookingID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
