public import Foundation
import Crypto

/// Seals personal fields for the store with AES-256-GCM, and computes keyed hashes so that
/// staff can still find a person by an exact match.
///
/// - A sealed value is text: `v1.<kid>.<base64(nonce ‖ ciphertext ‖ tag)>`. The key id says
///   which key of the set opens it, so keys rotate without a flag day.
/// - The associated data is `v1.<kid>.<column>`: a value moved to another column (or
///   relabelled with another key id) does not open.
/// - Each configured key is a 32-byte master key; the sealing key and the search key are
///   derived from it with HKDF-SHA256 under distinct labels, so a search hash reveals
///   nothing about the sealing key and rotating the master rotates both.
/// - Keyed hashes are HMAC-SHA256 under the search key, of the value normalised for search
///   (Unicode canonical form, case and diacritics folded, whitespace collapsed), in hex.
public struct FieldCipher: Sendable {
    public static let version = "v1"

    struct Key: Sendable {
        let id: String
        let sealing: SymmetricKey
        let search: SymmetricKey
    }

    /// Key ids, the active one first.
    public let keyIDs: [String]
    public let activeKeyID: String
    private let keys: [String: Key]

    /// - Parameters:
    ///   - keys: key id and 32 bytes of key material each; ids are 1 to 32 letters, digits,
    ///     `-` or `_`.
    ///   - active: the id new values are sealed under.
    public init(keys: [(id: String, material: Data)], active: String) throws {
        guard !keys.isEmpty else { throw FieldCipherError.invalidKeys("no store key is configured") }
        var byID: [String: Key] = [:]
        for (id, material) in keys {
            guard Self.isValidKeyID(id) else {
                throw FieldCipherError.invalidKeys("key id '\(id)' is not 1 to 32 letters, digits, '-' or '_'")
            }
            guard material.count == 32 else {
                throw FieldCipherError.invalidKeys("key '\(id)' has \(material.count) bytes; a store key is 32 bytes (base64 of 32 random bytes)")
            }
            guard byID[id] == nil else { throw FieldCipherError.invalidKeys("key id '\(id)' is given twice") }
            let master = SymmetricKey(data: material)
            byID[id] = Key(
                id: id,
                sealing: HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("homeward store seal v1".utf8), outputByteCount: 32),
                search: HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("homeward store search v1".utf8), outputByteCount: 32))
        }
        guard byID[active] != nil else {
            throw FieldCipherError.invalidKeys("the active key id '\(active)' is not among the keys (\(keys.map(\.id).joined(separator: ", ")))")
        }
        self.keys = byID
        activeKeyID = active
        keyIDs = [active] + keys.map(\.id).filter { $0 != active }
    }

    /// Parses a key set written `kid:base64[,kid:base64...]` (`STORE_KEYS`); the active key
    /// is `active`, or the first one listed.
    public init(parsing text: String, active: String?) throws {
        var keys: [(id: String, material: Data)] = []
        for entry in text.split(separator: ",") {
            let entry = entry.trimmingCharacters(in: .whitespaces)
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex else {
                throw FieldCipherError.invalidKeys("an entry is not kid:base64key")
            }
            let id = String(entry[..<colon])
            guard let material = Data(base64Encoded: String(entry[entry.index(after: colon)...])) else {
                throw FieldCipherError.invalidKeys("key '\(id)' is not base64")
            }
            keys.append((id, material))
        }
        guard let first = keys.first else { throw FieldCipherError.invalidKeys("no key is given") }
        try self.init(keys: keys, active: active ?? first.id)
    }

    /// A key set of one new random key, written as `STORE_KEYS` takes it.
    public static func generateKeyText(id: String) -> String {
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        return "\(id):\(data.base64EncodedString())"
    }

    public static func isValidKeyID(_ id: String) -> Bool {
        isKeyID(id.utf8[...])
    }

    // Sealed values are checked on every read of a sealed column and every outbox row the
    // relay publishes: byte tests, not Unicode `Character` properties (which cost a fifth of
    // a stage's CPU when they were used here).
    private static func isKeyID(_ bytes: Substring.UTF8View) -> Bool {
        (1...32).contains(bytes.count) && bytes.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    private static func isBase64(_ bytes: Substring.UTF8View) -> Bool {
        let test = { (byte: UInt8) in isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") }
        return bytes.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? bytes.allSatisfy(test)
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: false
        }
    }

    // MARK: Sealing

    /// Seals `plaintext` for `column` (`table.column`) under the active key.
    public func seal(_ plaintext: String, column: String) throws -> String {
        try seal(Data(plaintext.utf8), column: column)
    }

    public func seal(_ plaintext: Data, column: String) throws -> String {
        let key = keys[activeKeyID]!
        let box = try AES.GCM.seal(plaintext, using: key.sealing, authenticating: Self.associatedData(key.id, column))
        return "\(Self.version).\(key.id).\(box.combined!.base64EncodedString())"
    }

    public func open(_ sealed: String, column: String) throws -> String {
        String(decoding: try openData(sealed, column: column), as: UTF8.self)
    }

    public func openData(_ sealed: String, column: String) throws -> Data {
        guard let value = SealedForm(sealed) else { throw FieldCipherError.malformed(column: column) }
        return try openData(value, column: column)
    }

    /// Opens a value already split, so that callers which first ask "is it sealed?" (the
    /// `hw_open` functions, on every sealed column read) split it once.
    func openData(_ value: SealedForm, column: String) throws -> Data {
        guard let combined = Data(base64Encoded: String(value.payload)) else { throw FieldCipherError.malformed(column: column) }
        guard let key = keys[value.keyID] else { throw FieldCipherError.unknownKeyID(value.keyID, column: column) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return try AES.GCM.open(box, using: key.sealing, authenticating: Self.associatedData(value.keyID, column))
        } catch {
            throw FieldCipherError.notAuthentic(keyID: value.keyID, column: column)
        }
    }

    /// Whether `text` has the form of a sealed value (`v1.<kid>.<payload>`).
    public static func isSealed(_ text: String) -> Bool {
        SealedForm(text) != nil
    }

    /// The key id a sealed value names.
    public static func keyID(of sealed: String) -> String? {
        SealedForm(sealed)?.keyID
    }

    /// The prefix of every value sealed under `keyID`.
    public static func prefix(for keyID: String) -> String { "\(version).\(keyID)." }

    /// A text of the sealed form, `v1.<kid>.<base64 payload>`, split.
    struct SealedForm {
        let keyID: String
        let payload: Substring

        init?(_ text: String) {
            let utf8 = text.utf8
            let marker = "\(FieldCipher.version).".utf8
            guard utf8.starts(with: marker) else { return nil }
            let rest = text[utf8.index(utf8.startIndex, offsetBy: marker.count)...]
            guard let dot = rest.utf8.firstIndex(of: UInt8(ascii: ".")) else { return nil }
            let id = rest[..<dot]
            let payload = rest[rest.utf8.index(after: dot)...]
            guard FieldCipher.isKeyID(id.utf8), !payload.isEmpty, FieldCipher.isBase64(payload.utf8) else { return nil }
            keyID = String(id)
            self.payload = payload
        }
    }

    private static func associatedData(_ keyID: String, _ column: String) -> Data {
        Data("\(version).\(keyID).\(column)".utf8)
    }

    // MARK: Search

    /// The keyed hash of `value` for exact-match search, under the active key.
    public func searchHash(_ value: String) -> String {
        hash(Self.normalisedForSearch(value), key: keys[activeKeyID]!.search)
    }

    /// The keyed hashes of `value` under every key, the active one first: a search matches
    /// rows hashed before a rotation as well as after.
    public func searchHashes(_ value: String) -> [String] {
        let normalised = Self.normalisedForSearch(value)
        return keyIDs.map { hash(normalised, key: keys[$0]!.search) }
    }

    /// A keyed digest of exact bytes (no normalisation), under the active key.
    public func digest(_ value: Data) -> String {
        hash(value, key: keys[activeKeyID]!.search)
    }

    /// The keyed digests of `value` under every key, the active one first.
    public func digests(_ value: Data) -> [String] {
        keyIDs.map { hash(value, key: keys[$0]!.search) }
    }

    private func hash(_ text: String, key: SymmetricKey) -> String {
        hash(Data(text.utf8), key: key)
    }

    private func hash(_ data: Data, key: SymmetricKey) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: data, using: key))
    }

    /// What a search compares: canonical composition, case and diacritics folded, runs of
    /// whitespace as one space, trimmed. "  José  LUIS " and "jose luis" are one name.
    public static func normalisedForSearch(_ value: String) -> String {
        let folded = value.precomposedStringWithCanonicalMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .lowercased()
        return folded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Lower-case hex of a digest (String(format:) per byte costs more than the HMAC).
    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
