import Foundation
import HomewardModel
import HomewardRuntime

/// One return programme's eligibility rules, read from a JSON file: rules are data, so a
/// new programme (or a changed window, area or amount) is a new file, not new code.
///
/// Decoding validates everything the engine relies on (dates exist, the time zone is an
/// IANA zone, tiers are known, non-empty and each reachable, no misspelt keys), so a
/// mistake in a file stops the service at start-up instead of deciding cases wrongly.
/// Unknown keys are refused for the same reason: a misspelt condition would otherwise
/// be ignored and silently widen a tier.
struct Programme: Codable, Sendable, Equatable {
    /// Stable identifier, lower-case letters, digits and hyphens ("canada-gta-pilot").
    let id: String
    let name: String
    /// ISO 4217 code of every budget in the programme ("CAD").
    let currency: String
    /// IANA id of the zone whose calendar the programme's dates are in
    /// ("America/Toronto"); also the zone of the referral date and the departure deadline.
    let timeZone: String
    /// The zone `timeZone` names, resolved (and so validated) once at load.
    let calendarTimeZone: TimeZone
    /// Referrals are accepted on these local dates only; `nil`: at any time.
    let window: Window?
    /// Area codes a person must reside in (matched ignoring case); `nil`: any area.
    let residenceAreas: [String]?
    /// ISO 3166-1 alpha-2 codes of the countries of return covered; `nil`: any country.
    let returnCountries: [String]?
    let requiresFinalNegativeDecision: Bool
    let refusesWithdrawnOrAbandonedClaims: Bool
    /// First contact later than this many hours after the referral is flagged (pilot: 24).
    let contactWithinHours: Int?
    /// The departure target: this many days after the local date of the final negative
    /// decision, to the end of that day (pilot: 30).
    let targetDepartureDaysAfterDecision: Int?
    /// Assistance tiers in order; the first whose conditions all hold applies.
    let tiers: [Tier]
    /// The kinds of documents the case must hold before each gate (``DocumentGate``:
    /// `screening`), e.g. `{"screening": ["signed-declaration"]}`; `nil`: none.
    let requiredDocuments: [String: [DocumentKind]]?
    /// Free text for people editing the file (where a figure comes from, what is a
    /// placeholder); the engine never reads it.
    let notes: String?
    /// Whether a person who has already returned may be registered for reintegration
    /// alone, and on what terms; `nil`: never (the GTA pilot: assistance followed a
    /// departure under it).
    let lateEntry: LateEntry?
    /// Counselling sessions the informed-choice declaration needs first (GTA pilot: 1).
    let counsellingSessionsBeforeDeclaration: Int
    /// Which travellers need a pre-departure orientation before they may depart; `nil`:
    /// orientation is recorded but departure does not wait for it.
    let orientationBeforeDeparture: Orientation?

    /// The terms of a late entry.
    struct LateEntry: Codable, Sendable, Equatable {
        /// How the person came back, as the programme accepts it.
        let reasons: [LateEntryReason]
        /// Registration is accepted up to this many days after the day of return.
        let withinDaysOfReturn: Int

        private enum CodingKeys: String, CodingKey, CaseIterable { case reasons, withinDaysOfReturn }

        init(reasons: [LateEntryReason], withinDaysOfReturn: Int) {
            self.reasons = reasons
            self.withinDaysOfReturn = withinDaysOfReturn
        }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            reasons = try container.decode([LateEntryReason].self, forKey: .reasons)
            withinDaysOfReturn = try ConfigurationFile.wholeNumber(.withinDaysOfReturn, in: container) {
                try container.decode(Int.self, forKey: .withinDaysOfReturn)
            }
        }
    }

    /// Who needs a pre-departure orientation before departing.
    struct Orientation: Codable, Sendable, Equatable {
        /// Travellers this old or older on the day the case is ready for screening; younger
        /// children are oriented with their family and need no session of their own.
        let fromAgeYears: Int

        private enum CodingKeys: String, CodingKey, CaseIterable { case fromAgeYears }

        init(fromAgeYears: Int) { self.fromAgeYears = fromAgeYears }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fromAgeYears = try ConfigurationFile.wholeNumber(.fromAgeYears, in: container) {
                try container.decode(Int.self, forKey: .fromAgeYears)
            }
        }
    }

    /// The inclusive span of local dates on which referrals are accepted.
    struct Window: Codable, Sendable, Equatable {
        let opensOn: LocalDate
        let closesOn: LocalDate

        init(opensOn: LocalDate, closesOn: LocalDate) {
            self.opensOn = opensOn
            self.closesOn = closesOn
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case opensOn, closesOn }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            opensOn = try container.decode(LocalDate.self, forKey: .opensOn)
            closesOn = try container.decode(LocalDate.self, forKey: .closesOn)
        }
    }

    /// An assistance tier and the facts that select it.
    struct Tier: Codable, Sendable, Equatable {
        let tier: AssistanceTier
        /// Conditions that must all hold; none stated: the tier matches every case.
        let when: Conditions
        /// The most that may be disbursed, in minor units of the programme currency.
        let budgetMinor: Int64

        init(tier: AssistanceTier, when: Conditions = Conditions(), budgetMinor: Int64) {
            self.tier = tier
            self.when = when
            self.budgetMinor = budgetMinor
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case tier, when, budgetMinor }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tier = try container.decode(AssistanceTier.self, forKey: .tier)
            when = try container.decodeIfPresent(Conditions.self, forKey: .when) ?? Conditions()
            budgetMinor = try ConfigurationFile.wholeNumber(.budgetMinor, in: container) { try container.decode(Int64.self, forKey: .budgetMinor) }
        }
    }

    /// Stated facts a tier requires; an absent condition does not matter.
    struct Conditions: Codable, Sendable, Equatable {
        var designatedCountryOfOrigin: Bool?
        var leaveApplicationFiled: Bool?
        var appealFiled: Bool?

        init(designatedCountryOfOrigin: Bool? = nil, leaveApplicationFiled: Bool? = nil, appealFiled: Bool? = nil) {
            self.designatedCountryOfOrigin = designatedCountryOfOrigin
            self.leaveApplicationFiled = leaveApplicationFiled
            self.appealFiled = appealFiled
        }

        private enum CodingKeys: String, CodingKey, CaseIterable {
            case designatedCountryOfOrigin, leaveApplicationFiled, appealFiled
        }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            designatedCountryOfOrigin = try container.decodeIfPresent(Bool.self, forKey: .designatedCountryOfOrigin)
            leaveApplicationFiled = try container.decodeIfPresent(Bool.self, forKey: .leaveApplicationFiled)
            appealFiled = try container.decodeIfPresent(Bool.self, forKey: .appealFiled)
        }

        /// Whether every stated condition equals the corresponding fact.
        func hold(designatedCountryOfOrigin dco: Bool, leaveApplicationFiled leave: Bool, appealFiled appeal: Bool) -> Bool {
            (designatedCountryOfOrigin ?? dco) == dco && (leaveApplicationFiled ?? leave) == leave
                && (appealFiled ?? appeal) == appeal
        }
    }

    /// A rule of the programme that does not hold; `field` is the JSON path.
    struct Invalid: Error, CustomStringConvertible {
        let field: String
        let problem: String
        var description: String { "\(field): \(problem)" }
    }

    /// Builds and validates a programme; throws ``Invalid`` naming the field at fault.
    init(
        id: String, name: String, currency: String, timeZone: String, window: Window? = nil,
        residenceAreas: [String]? = nil, returnCountries: [String]? = nil,
        requiresFinalNegativeDecision: Bool, refusesWithdrawnOrAbandonedClaims: Bool,
        contactWithinHours: Int? = nil, targetDepartureDaysAfterDecision: Int? = nil,
        tiers: [Tier], notes: String? = nil, lateEntry: LateEntry? = nil, counsellingSessionsBeforeDeclaration: Int = 0,
        orientationBeforeDeparture: Orientation? = nil, requiredDocuments: [String: [DocumentKind]]? = nil
    ) throws {
        guard let zone = Self.ianaZone(timeZone) else {
            throw Invalid(field: "timeZone", problem: "unknown time zone \"\(timeZone)\" (expected an IANA id such as America/Toronto)")
        }
        self.id = id
        self.name = name
        self.currency = currency
        self.timeZone = timeZone
        self.calendarTimeZone = zone
        self.window = window
        self.residenceAreas = residenceAreas
        self.returnCountries = returnCountries
        self.requiresFinalNegativeDecision = requiresFinalNegativeDecision
        self.refusesWithdrawnOrAbandonedClaims = refusesWithdrawnOrAbandonedClaims
        self.contactWithinHours = contactWithinHours
        self.targetDepartureDaysAfterDecision = targetDepartureDaysAfterDecision
        self.tiers = tiers
        self.notes = notes
        self.lateEntry = lateEntry
        self.counsellingSessionsBeforeDeclaration = counsellingSessionsBeforeDeclaration
        self.orientationBeforeDeparture = orientationBeforeDeparture
        self.requiredDocuments = requiredDocuments
        try validate()
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, currency, timeZone, window, residenceAreas, returnCountries
        case requiresFinalNegativeDecision, refusesWithdrawnOrAbandonedClaims
        case contactWithinHours, targetDepartureDaysAfterDecision, tiers, notes, requiredDocuments
        case lateEntry, counsellingSessionsBeforeDeclaration, orientationBeforeDeparture
    }

    init(from decoder: any Decoder) throws {
        try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                id: container.decode(String.self, forKey: .id),
                name: container.decode(String.self, forKey: .name),
                currency: container.decode(String.self, forKey: .currency),
                timeZone: container.decode(String.self, forKey: .timeZone),
                window: container.decodeIfPresent(Window.self, forKey: .window),
                residenceAreas: container.decodeIfPresent([String].self, forKey: .residenceAreas),
                returnCountries: container.decodeIfPresent([String].self, forKey: .returnCountries),
                requiresFinalNegativeDecision: container.decode(Bool.self, forKey: .requiresFinalNegativeDecision),
                refusesWithdrawnOrAbandonedClaims: container.decode(Bool.self, forKey: .refusesWithdrawnOrAbandonedClaims),
                contactWithinHours: ConfigurationFile.wholeNumber(.contactWithinHours, in: container) {
                    try container.decodeIfPresent(Int.self, forKey: .contactWithinHours)
                },
                targetDepartureDaysAfterDecision: ConfigurationFile.wholeNumber(.targetDepartureDaysAfterDecision, in: container) {
                    try container.decodeIfPresent(Int.self, forKey: .targetDepartureDaysAfterDecision)
                },
                tiers: container.decode([Tier].self, forKey: .tiers),
                notes: container.decodeIfPresent(String.self, forKey: .notes),
                lateEntry: container.decodeIfPresent(LateEntry.self, forKey: .lateEntry),
                counsellingSessionsBeforeDeclaration: ConfigurationFile.wholeNumber(.counsellingSessionsBeforeDeclaration, in: container) {
                    try container.decodeIfPresent(Int.self, forKey: .counsellingSessionsBeforeDeclaration)
                } ?? 0,
                orientationBeforeDeparture: container.decodeIfPresent(Orientation.self, forKey: .orientationBeforeDeparture),
                requiredDocuments: container.decodeIfPresent([String: [DocumentKind]].self, forKey: .requiredDocuments))
        } catch let invalid as Invalid {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: invalid.description))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(currency, forKey: .currency)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encodeIfPresent(window, forKey: .window)
        try container.encodeIfPresent(residenceAreas, forKey: .residenceAreas)
        try container.encodeIfPresent(returnCountries, forKey: .returnCountries)
        try container.encode(requiresFinalNegativeDecision, forKey: .requiresFinalNegativeDecision)
        try container.encode(refusesWithdrawnOrAbandonedClaims, forKey: .refusesWithdrawnOrAbandonedClaims)
        try container.encodeIfPresent(contactWithinHours, forKey: .contactWithinHours)
        try container.encodeIfPresent(targetDepartureDaysAfterDecision, forKey: .targetDepartureDaysAfterDecision)
        try container.encode(tiers, forKey: .tiers)
        try container.encodeIfPresent(notes, forKey: .notes)
        try container.encodeIfPresent(lateEntry, forKey: .lateEntry)
        try container.encode(counsellingSessionsBeforeDeclaration, forKey: .counsellingSessionsBeforeDeclaration)
        try container.encodeIfPresent(orientationBeforeDeparture, forKey: .orientationBeforeDeparture)
        try container.encodeIfPresent(requiredDocuments, forKey: .requiredDocuments)
    }

    // MARK: Validation

    /// An IANA zone id Foundation knows ("UTC" included); abbreviations such as "EST"
    /// and offsets such as "GMT+5" are refused: they do not follow a place's clock changes.
    private static func ianaZone(_ id: String) -> TimeZone? {
        guard id == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(id) else { return nil }
        return TimeZone(identifier: id)
    }

    private func validate() throws {
        func isASCII(_ text: String, _ allowed: (Character) -> Bool) -> Bool {
            !text.isEmpty && text.allSatisfy { $0.isASCII && allowed($0) }
        }
        guard isASCII(id, { $0.isLowercase || $0.isNumber || $0 == "-" }), id.first != "-" else {
            throw Invalid(field: "id", problem: "must be lower-case letters, digits and hyphens")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Invalid(field: "name", problem: "must not be empty")
        }
        guard currency.count == 3, isASCII(currency, \.isUppercase) else {
            throw Invalid(field: "currency", problem: "must be an ISO 4217 code such as CAD")
        }
        if let window, window.closesOn < window.opensOn {
            throw Invalid(field: "window", problem: "closesOn \(window.closesOn) is before opensOn \(window.opensOn)")
        }
        if let residenceAreas {
            guard !residenceAreas.isEmpty else {
                throw Invalid(field: "residenceAreas", problem: "is empty, which no case can meet (omit it for any area)")
            }
            for (index, area) in residenceAreas.enumerated() where area.trimmingCharacters(in: .whitespaces) != area || area.isEmpty {
                throw Invalid(field: "residenceAreas[\(index)]", problem: "must be a non-empty code without surrounding spaces")
            }
        }
        if let returnCountries {
            guard !returnCountries.isEmpty else {
                throw Invalid(field: "returnCountries", problem: "is empty, which no case can meet (omit it for any country)")
            }
            for (index, country) in returnCountries.enumerated() where !(country.count == 2 && isASCII(country, \.isUppercase)) {
                throw Invalid(field: "returnCountries[\(index)]", problem: "must be an upper-case ISO 3166-1 alpha-2 code such as CO")
            }
        }
        if let contactWithinHours, !(1...8_760).contains(contactWithinHours) {
            throw Invalid(field: "contactWithinHours", problem: "must be from 1 to 8760 hours")
        }
        if let targetDepartureDaysAfterDecision, !(0...3_650).contains(targetDepartureDaysAfterDecision) {
            throw Invalid(field: "targetDepartureDaysAfterDecision", problem: "must be from 0 to 3650 days")
        }
        if let lateEntry {
            guard !lateEntry.reasons.isEmpty, Set(lateEntry.reasons).count == lateEntry.reasons.count else {
                throw Invalid(field: "lateEntry.reasons", problem: "must list each accepted reason once (omit lateEntry to accept none)")
            }
            guard (1...3_650).contains(lateEntry.withinDaysOfReturn) else {
                throw Invalid(field: "lateEntry.withinDaysOfReturn", problem: "must be from 1 to 3650 days")
            }
        }
        guard (0...10).contains(counsellingSessionsBeforeDeclaration) else {
            throw Invalid(field: "counsellingSessionsBeforeDeclaration", problem: "must be from 0 to 10 sessions")
        }
        if let orientationBeforeDeparture, !(0...130).contains(orientationBeforeDeparture.fromAgeYears) {
            throw Invalid(field: "orientationBeforeDeparture.fromAgeYears", problem: "must be from 0 to 130 years")
        }
        try validateTiers()
        try validateRequiredDocuments()
    }

    /// Gates intake knows, and kinds intake keeps (it checks its own documents only).
    private func validateRequiredDocuments() throws {
        for (gate, kinds) in requiredDocuments ?? [:] {
            guard DocumentGate(rawValue: gate) != nil else {
                throw Invalid(field: "requiredDocuments.\(gate)",
                              problem: "is not a gate; gates: \(DocumentGate.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for (index, kind) in kinds.enumerated() where IntakeDocuments.kinds[kind] == nil {
                throw Invalid(field: "requiredDocuments.\(gate)[\(index)]",
                              problem: "\(kind.rawValue) is not kept by intake; intake keeps \(IntakeDocuments.kinds.keys.sorted().map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    private func validateTiers() throws {
        guard !tiers.isEmpty else {
            throw Invalid(field: "tiers", problem: "is empty: a programme needs at least one assistance tier")
        }
        for (index, tier) in tiers.enumerated() {
            guard tier.budgetMinor >= 0 else {
                throw Invalid(field: "tiers[\(index)].budgetMinor", problem: "must not be negative")
            }
            guard tier.tier != .travelOnly || tier.budgetMinor == 0 else {
                throw Invalid(field: "tiers[\(index)].budgetMinor", problem: "must be 0 for a travel-only tier")
            }
        }
        // Each tier must be the first match for some combination of the three facts; a
        // tier that never is was almost certainly meant to come earlier.
        var reachable = Set<Int>()
        for facts in 0..<8 {
            let first = tiers.firstIndex {
                $0.when.hold(
                    designatedCountryOfOrigin: facts & 1 != 0, leaveApplicationFiled: facts & 2 != 0, appealFiled: facts & 4 != 0)
            }
            if let first { reachable.insert(first) }
        }
        if let unreachable = tiers.indices.first(where: { !reachable.contains($0) }) {
            throw Invalid(
                field: "tiers[\(unreachable)]",
                problem: "\(tiers[unreachable].tier.rawValue) can never apply: earlier tiers match every case it would match")
        }
    }

}
