/// The name and major version of an event type, as carried in the CloudEvents `type`
/// attribute: `homeward.<name>.v<major>`, for example `homeward.intake.case-registered.v1`.
///
/// Only the major version is on the wire: a minor change adds optional fields and keeps
/// the major, a breaking change bumps it, and consumers refuse majors they do not know.
public struct EventType: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let major: Int
    /// The service its name begins with (`intake.case-registered` is intake's), read once
    /// here rather than each time an event of the type is published.
    public let producer: ServiceName?

    /// `homeward.<name>.v<major>`, built once: consumers name every event's type in
    /// metrics, and producers write it and ``dataschema`` into every event.
    public let cloudEventsType: String
    public let dataschema: String

    public init(_ name: String, major: Int) {
        self.name = name
        self.major = major
        producer = ServiceName(rawValue: String(name.prefix { $0 != "." }))
        cloudEventsType = "homeward.\(name).v\(major)"
        dataschema = "urn:homeward:schema:\(name):v\(major)"
    }

    public var description: String { cloudEventsType }

    /// The schema file in the catalogue (`Shared/Model/Catalogue/schemas/`).
    public var schemaFile: String { "\(name).v\(major).schema.json" }

    /// Parses `homeward.<name>.v<major>`; nil when the text does not have that shape.
    public init?(cloudEventsType text: String) {
        guard text.hasPrefix("homeward."), let dot = text.lastIndex(of: ".") else { return nil }
        let nameStart = text.index(text.startIndex, offsetBy: "homeward.".count)
        // `homeward.v1`: the last dot is the prefix's own; slicing would trap.
        guard dot > nameStart else { return nil }
        let versionPart = text[text.index(after: dot)...]
        // Digits only, no sign and no leading zero: `v+1` and `v01` would otherwise parse
        // as 1 and re-print differently.
        let digits = versionPart.dropFirst()
        guard versionPart.first == "v", digits.first != "0", !digits.isEmpty,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let major = Int(digits), major > 0 else { return nil }
        self.init(String(text[nameStart..<dot]), major: major)
    }
}
