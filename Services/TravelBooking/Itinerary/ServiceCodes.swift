import HomewardModel
import TravelBookingAPI

/// Turns health's travel requirements into booking items, so the movement officer books
/// exactly what health asked for without learning why.
enum ServiceCodes {
    /// One item per distinct requirement, in the order each requirement first appears
    /// (requirements of several travellers may repeat; the output does not).
    static func items(for requirements: [TravelRequirement]) -> [BookingItem] {
        var seen: Set<TravelRequirement> = []
        var items: [BookingItem] = []
        for requirement in requirements where seen.insert(requirement).inserted {
            items.append(item(for: requirement))
        }
        return items
    }

    private static func item(for requirement: TravelRequirement) -> BookingItem {
        switch requirement {
        case .wheelchair:
            BookingItem(kind: "service", code: "WCHR", escort: nil, description: "Wheelchair assistance (WCHR)")
        case .stretcher:
            BookingItem(kind: "service", code: "STCR", escort: nil, description: "Stretcher (STCR)")
        case .oxygen:
            BookingItem(kind: "service", code: "OXYG", escort: nil, description: "Medical oxygen on board (OXYG)")
        case .medicalEscort:
            BookingItem(kind: "escort", code: "MEDA", escort: .medical, description: "Medical escort (MEDA)")
        case .nonMedicalEscort:
            BookingItem(kind: "escort", code: nil, escort: .operational, description: "Operational (non-medical) escort")
        }
    }
}
