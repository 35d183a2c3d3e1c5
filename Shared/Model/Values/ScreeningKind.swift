/// Why a screening was opened.
public enum ScreeningKind: String, Hashable, Codable, Sendable, ClosedSet {
    /// The traveller's first pre-departure screening.
    case initial
    /// A new screening after a clearance lapsed or a hold ended.
    case rescreen = "re-screen"
}
