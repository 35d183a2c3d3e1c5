public import Foundation

extension Recipient {
    /// The fields that may go to this recipient, as paths into what is sent
    /// (`passengers.items.code`: a key, its parent keys, arrays looked through). What
    /// builds a payload for it goes through ``Dataset/encode(_:for:)``, which drops any
    /// other field; a test checks every outward payload against the list.
    public var dataset: Set<String> {
        switch self {
        case .airline:
            // A flight manifest: who flies, where, and the services and escorts the airline
            // provides, never why (no health detail, no name: ids the office resolves).
            ["flightNumber", "date", "passengers", "passengers.bookingID", "passengers.caseID", "passengers.travellerID", "passengers.familyRole",
             "passengers.from", "passengers.to", "passengers.departsLocal", "passengers.items", "passengers.items.kind", "passengers.items.code",
             "passengers.items.escort", "passengers.items.description", "passengers.itemsBasis", "passengers.itemsWithheld"]
        case .reintegrationPartner:
            // The handover: the arrival to meet, what to provide on it, the referrals made;
            // never the assessments, the plan's descriptions, the ledger or the visits.
            ["caseID", "returnCountry", "expectedArrival", "expectedArrival.arrivalAt", "expectedArrival.arrivalAirport", "expectedArrival.flightNumber",
             "reception", "reception.needs", "reception.note", "referrals", "referrals.referralID", "referrals.partnerID", "referrals.service",
             "referrals.status"]
        case .receivingAuthorities:
            // Nothing goes to them today.
            []
        }
    }
}

/// Builds what goes to a third party from its recipient's ``Recipient/dataset``.
public enum Dataset {
    /// `payload` as JSON (instants as events write them) holding only the recipient's fields.
    public static func encode(_ payload: some Encodable, for recipient: Recipient) throws -> Data {
        let json = try JSONSerialization.jsonObject(with: try EventCoding.encoder().encode(payload), options: .fragmentsAllowed)
        return try JSONSerialization.data(withJSONObject: keep(json, recipient.dataset, under: ""), options: [.sortedKeys, .fragmentsAllowed])
    }

    /// Every field path of a JSON value (arrays looked through), as ``Recipient/dataset`` names them.
    public static func paths(of json: Any, under prefix: String = "") -> Set<String> {
        switch json {
        case let object as [String: Any]:
            object.reduce(into: Set<String>()) { paths, field in
                let path = prefix.isEmpty ? field.key : "\(prefix).\(field.key)"
                paths.insert(path)
                paths.formUnion(Self.paths(of: field.value, under: path))
            }
        case let array as [Any]: array.reduce(into: Set<String>()) { $0.formUnion(paths(of: $1, under: prefix)) }
        default: []
        }
    }

    private static func keep(_ json: Any, _ allowed: Set<String>, under prefix: String) -> Any {
        switch json {
        case let object as [String: Any]:
            object.reduce(into: [String: Any]()) { kept, field in
                let path = prefix.isEmpty ? field.key : "\(prefix).\(field.key)"
                if allowed.contains(path) { kept[field.key] = keep(field.value, allowed, under: path) }
            }
        case let array as [Any]: array.map { keep($0, allowed, under: prefix) }
        default: json
        }
    }
}
