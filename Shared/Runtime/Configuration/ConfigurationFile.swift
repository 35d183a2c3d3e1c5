public import Foundation

/// Strict decoding for the configuration files operators edit (programmes, screening
/// rules, the sustainability survey): a misspelt key is an error, a fractional or huge
/// number names its field, and every error says where it is.
public enum ConfigurationFile {
    /// Refuses keys `Keys` does not list, at the unknown key's own path, so that a misspelt
    /// optional key is an error rather than silently ignored.
    public static func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, allowed _: Keys.Type) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        if let unknown = container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }).first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath + [unknown],
                debugDescription: "is not a known key (known: \(known.sorted().joined(separator: ", ")))"))
        }
    }

    /// Decodes an `Int` field. JSONDecoder reports a number that is not a whole number in
    /// range (1.5, 1e30) as "not valid JSON" without a path; this names the field.
    public static func wholeNumber<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Int {
        try wholeNumber(key, in: container) { try container.decode(Int.self, forKey: key) }
    }

    /// The same for any integer decoding (`Int64` amounts, optional fields).
    public static func wholeNumber<Key: CodingKey, Value>(_ key: Key, in container: KeyedDecodingContainer<Key>, _ decode: () throws -> Value) throws -> Value {
        do {
            return try decode()
        } catch let error as DecodingError {
            throw error
        } catch {
            // Foundation's internal "number is not representable" error, which the
            // top-level decode would turn into a path-less "not valid JSON".
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be a whole number within range")
        }
    }

    /// `^[a-z0-9]+(-[a-z0-9]+)*$`, checked without a regular expression engine.
    public static func isKebabCase(_ name: String) -> Bool {
        name.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    /// Where a decoding error is (`tiers[1].when`) and what is wrong, rather than
    /// DecodingError's debug dump.
    public static func locate(_ error: DecodingError) -> (field: String, problem: String) {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "is missing")
        case .valueNotFound(let type, let context):
            return (path(context.codingPath), "is null, expected \(type)")
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "has the wrong type, expected \(type)")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, let underlying = context.underlyingError {
                return ("", "\(context.debugDescription) (\(underlying.localizedDescription))")
            }
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// A configuration document operators edit: its name appears in every error about it.
public protocol ConfigurationDocument: Decodable {
    /// "screening rules", "sustainability survey".
    static var documentName: String { get }
}

extension ConfigurationDocument {
    /// Reads and validates a file; errors carry the file's name.
    public static func load(file: URL) throws -> Self {
        try ConfigurationFile.load(Self.self, file: file)
    }

    /// Decodes and validates JSON; every failure is an ``ConfigurationFile/Invalid``.
    public static func decode(_ data: Data) throws -> Self {
        try ConfigurationFile.decode(Self.self, from: data)
    }
}

extension ConfigurationFile {
    /// A document that cannot be used, and why.
    public struct Invalid<Document: ConfigurationDocument>: Error, CustomStringConvertible {
        /// The file's name when read by ``ConfigurationFile/load(_:file:)``.
        public var file: String?
        /// JSON path of the field at fault (`tests[2].test`); empty when the problem is the
        /// whole document (not JSON, unreadable).
        public let field: String
        public let problem: String

        public init(file: String? = nil, field: String, problem: String) {
            self.file = file
            self.field = field
            self.problem = problem
        }

        public var description: String {
            let source = file.map { "\(Document.documentName) file \($0)" } ?? Document.documentName
            return field.isEmpty ? "\(source): \(problem)" : "\(source): \(field): \(problem)"
        }
    }

    /// Reads and validates a document; errors carry the file's name.
    public static func load<Document: ConfigurationDocument>(_ type: Document.Type, file: URL) throws -> Document {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw Invalid<Document>(file: file.lastPathComponent, field: "", problem: "cannot be read (\(error.localizedDescription))")
        }
        do {
            return try decode(type, from: data)
        } catch var invalid as Invalid<Document> {
            invalid.file = file.lastPathComponent
            throw invalid
        }
    }

    /// Decodes and validates a document from JSON; every failure is an ``Invalid``.
    public static func decode<Document: ConfigurationDocument>(_ type: Document.Type, from data: Data) throws -> Document {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let invalid as Invalid<Document> {
            throw invalid
        } catch let error as DecodingError {
            let (field, problem) = locate(error)
            throw Invalid<Document>(field: field, problem: problem)
        } catch {
            throw Invalid<Document>(field: "", problem: "\(error)")
        }
    }
}
