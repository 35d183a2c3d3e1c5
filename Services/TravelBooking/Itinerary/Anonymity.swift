/// The programme promises anonymity: no ticket or record may mark a traveller as a
/// deportee. Every booking field is checked before it is stored or sent to a carrier.
///
/// Matching is by whole tokens (runs of letters and digits), case-insensitively, so the
/// IATA code DEPA is refused while "DEPART", "DEPARTURE", "INADEQUATE" or "DEPOT" pass.
enum Anonymity {
    /// Deportee codings, upper case: the IATA special service codes DEPA (deportee,
    /// accompanied), DEPU (deportee, unaccompanied), INAD (inadmissible passenger), the
    /// shorthand DEPO, and the words that say the same. A multi-word entry matches
    /// consecutive tokens, whatever separates them; it comes first so that it is the
    /// one reported.
    static let forbidden: [String] = [
        "ESCORTED DEPORTEE",
        "DEPA", "DEPU", "INAD", "DEPO",
        "DEPORTEE", "DEPORTEES", "DEPORTED", "DEPORTATION",
        "INADMISSIBLE", "REMOVAL",
    ]

    /// Throws `deportee-coding` for the first field whose value carries a forbidden
    /// code; the detail names the code, never the value (it may hold personal data).
    static func check(_ fields: [(field: String, value: String)]) throws(ItineraryViolation) {
        for (field, value) in fields {
            let tokens = tokens(of: value)
            for code in forbidden {
                let wanted = code.split(separator: " ").map(String.init)
                if contains(tokens, wanted) {
                    throw ItineraryViolation(
                        rule: "deportee-coding", field: field,
                        detail: "deportee coding '\(code)' is refused: the programme promises anonymity")
                }
            }
        }
    }

    private static func tokens(of value: String) -> [String] {
        value.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.uppercased() }
    }

    private static func contains(_ tokens: [String], _ wanted: [String]) -> Bool {
        guard !wanted.isEmpty, tokens.count >= wanted.count else { return false }
        return (0...(tokens.count - wanted.count)).contains { start in
            Array(tokens[start..<(start + wanted.count)]) == wanted
        }
    }
}
