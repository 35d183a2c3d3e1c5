import Foundation
import HomewardModel
import HomewardRuntime
import ReintegrationAPI

/// The partners a reintegration office starts with: organisations in the countries of
/// return, each with the services it offers and whether it takes referrals now. Supervisors
/// change them, and add more, over the API (``PartnerBook``, ``PartnerFeed``); this file
/// (shipped `partners.json`, or `reintegration.partners.file`) is what every replica knows
/// before any change. Names are organisations, not personal data.
///
/// Decoding refuses unknown keys and names the field at fault, so a misspelt key or a
/// partner offering no service stops the service at start-up.
struct PartnerDirectory: ConfigurationDocument, Codable, Sendable, Equatable {
    static let documentName = "partner directory"

    let partners: [Partner]
    /// Free text for people editing the file; never read by the service.
    let notes: String?

    struct Partner: Codable, Sendable, Equatable {
        /// Kebab-case, stable: referrals keep it.
        let id: String
        let name: String
        /// ISO 3166-1 alpha-2 country it works in.
        let country: String
        /// What it takes referrals for, each once.
        let services: [AssistanceCategory]
        /// An inactive partner takes no new referrals; those already sent go on.
        let active: Bool

        private enum CodingKeys: String, CodingKey, CaseIterable { case id, name, country, services, active }

        init(id: String, name: String, country: String, services: [AssistanceCategory], active: Bool) {
            self.id = id; self.name = name; self.country = country; self.services = services; self.active = active
        }

        init(from decoder: any Decoder) throws {
            try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            try self.init(id: container.decode(String.self, forKey: .id), name: container.decode(String.self, forKey: .name),
                          country: container.decode(String.self, forKey: .country), services: container.decode([AssistanceCategory].self, forKey: .services),
                          active: container.decode(Bool.self, forKey: .active))
        }

        var view: PartnerView { PartnerView(partnerID: id, name: name, country: country, services: services, active: active) }

        /// What is wrong with the partner, if anything: the field at fault (`name`) and why.
        var fault: (field: String, problem: String)? {
            guard ConfigurationFile.isKebabCase(id) else { return ("id", "\"\(id)\" must be kebab-case (\"fundacion-retorno\")") }
            guard !name.isBlank else { return ("name", "is blank") }
            guard country.count == 2, country.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                return ("country", "\"\(country)\" must be an ISO 3166-1 alpha-2 code in capitals (\"CO\")")
            }
            guard !services.isEmpty else { return ("services", "a partner offers at least one service") }
            guard Set(services).count == services.count else { return ("services", "lists a service twice") }
            return nil
        }
    }

    typealias Invalid = ConfigurationFile.Invalid<PartnerDirectory>

    /// Builds and validates a directory; throws ``Invalid`` naming the field at fault.
    init(partners: [Partner], notes: String? = nil) throws {
        self.partners = partners
        self.notes = notes
        try validate()
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case partners, notes }

    init(from decoder: any Decoder) throws {
        try ConfigurationFile.refuseUnknownKeys(decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(partners: container.decode([Partner].self, forKey: .partners), notes: container.decodeIfPresent(String.self, forKey: .notes))
    }

    /// The directory shipped with the service.
    static func shipped() throws -> PartnerDirectory {
        try load(file: Bundle.module.url(forResource: "partners", withExtension: "json")!)
    }

    private func validate() throws {
        var seen: [String: Int] = [:]
        for (index, partner) in partners.enumerated() {
            if let (field, problem) = partner.fault { throw Invalid(field: "partners[\(index)].\(field)", problem: problem) }
            if let earlier = seen[partner.id] { throw Invalid(field: "partners[\(index)].id", problem: "\"\(partner.id)\" is already listed at partners[\(earlier)]") }
            seen[partner.id] = index
        }
    }
}
