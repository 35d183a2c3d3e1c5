public import Foundation
import Crypto

/// Seals personal fields for the store with AES-256-GCM, and computes keyed hashes so that
/// staff can still find a person by an exact match.
///
/// - A sealed value is text: `v2.<kid>.<base64(nonce ‖ ciphertext ‖ tag)>`. The key id says
///   which key of the set opens it, so keys rotate without a flag day; the format says how
///   the key was derived.
/// - The associated data is `v2.<kid>.<column>`: a value moved to another column (or
///   relabelled with another key id or format) does not open.
/// - Each configured key is a 32-byte master key; the sealing key and the search key are
///   derived from it with HKDF-SHA256 under distinct labels that name the service
///   (`homeward store seal v2 intake`), so a search hash reveals nothing about the sealing
///   key, rotating the master rotates both, and a master key copied to another service's
///   configuration opens nothing of this service's store (nor matches its hashes).
/// - Format `v1` (labels without the service) is what stores held before: still opened, its
///   hashes still matched, never written; the rotation sweep re-seals v1 values as v2 under
///   the active key, with their hashes (``KeyRotation``).
/// - Keyed hashes are HMAC-SHA256 under the search key, of the value normalised for search
///   (Unicode canonical form, case and diacritics folded, whitespace collapsed), in hex.
public struct FieldCipher: Sendable {
    /// The format new values are sealed in.
    public static let version = "v2"

    /// How a sealed value's keys were derived from its master key.
    enum Format: String, Sendable {
        /// Labels without the service: stores sealed before each service had its own derivation.
        case v1
        /// Labels naming the service.
        case v2
    }

    struct Key: Sendable {
        let id: String
        let sealing: SymmetricKey
        let search: SymmetricKey
        /// The v1 derivation of the same master key: opens and matches what stores held before.
        let legacySealing: SymmetricKey
        let legacySearch: SymmetricKey

        func sealing(_ format: Format) -> SymmetricKey { format == .v2 ? sealing : legacySealing }
    }

    /// Key ids, the active one first.
    public let keyIDs: [String]
    public let activeKeyID: String
    /// The service whose store this cipher seals, named in the key derivation.
    public let service: String
    private let keys: [String: Key]

    /// - Parameters:
    ///   - keys: key id and 32 bytes of key material each; ids are 1 to 32 letters, digits,
    ///     `-` or `_`.
    ///   - active: the id new values are sealed under.
    ///   - service: the service whose store this is (`intake`): its keys are derived from each
    ///     master key under labels naming it, so another service's cipher with the same
    ///     master key opens none of its values.
    public init(keys: [(id: String, material: Data)], active: String, service: String) throws {
        guard !keys.isEmpty else { throw FieldCipherError.invalidKeys("no store key is configured") }
        guard !service.isEmpty, service.utf8.allSatisfy({ Self.isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else {
            throw FieldCipherError.invalidKeys("the service '\(service)' is not letters, digits and '-'")
        }
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
            func derive(_ label: String) -> SymmetricKey {
                HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data(label.utf8), outputByteCount: 32)
            }
            byID[id] = Key(
                id: id,
                sealing: derive("homeward store seal v2 \(service)"), search: derive("homeward store search v2 \(service)"),
                legacySealing: derive("homeward store seal v1"), legacySearch: derive("homeward store search v1"))
        }
        guard byID[active] != nil else {
            throw FieldCipherError.invalidKeys("the active key id '\(active)' is not among the keys (\(keys.map(\.id).joined(separator: ", ")))")
        }
        self.keys = byID
        self.service = service
        activeKeyID = active
        keyIDs = [active] + keys.map(\.id).filter { $0 != active }
    }

    /// Parses a key set written `kid:base64[,kid:base64...]` (`STORE_KEYS`); the active key
    /// is `active`, or the first one listed.
    public init(parsing text: String, active: String?, service: String) throws {
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
        try self.init(keys: keys, active: active ?? first.id, service: service)
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
        let box = try AES.GCM.seal(plaintext, using: key.sealing, authenticating: Self.associatedData(.v2, key.id, column))
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
            return try AES.GCM.open(box, using: key.sealing(value.format), authenticating: Self.associatedData(value.format, value.keyID, column))
        } catch {
            throw FieldCipherError.notAuthentic(keyID: value.keyID, column: column)
        }
    }

    /// Whether `text` has the form of a sealed value (`v2.<kid>.<payload>`, or `v1.` before).
    public static func isSealed(_ text: String) -> Bool {
        SealedForm(text) != nil
    }

    /// The key id a sealed value names.
    public static func keyID(of sealed: String) -> String? {
        SealedForm(sealed)?.keyID
    }

    /// The prefix of every value sealed under `keyID` in the current format: what the
    /// rotation sweep leaves alone (a v1 value under the same key id is re-sealed).
    public static func prefix(for keyID: String) -> String { "\(version).\(keyID)." }

    /// The format a sealed value is in (`v1` or `v2`).
    public static func format(of sealed: String) -> String? {
        SealedForm(sealed)?.format.rawValue
    }

    /// A text of the sealed form, `v2.<kid>.<base64 payload>` (or `v1.`), split.
    struct SealedForm {
        let format: Format
        let keyID: String
        let payload: Substring

        init?(_ text: String) {
            let utf8 = text.utf8
            // `v1.` or `v2.`, compared as bytes (this runs on every sealed column read).
            var bytes = utf8.makeIterator()
            guard bytes.next() == UInt8(ascii: "v") else { return nil }
            switch bytes.next() {
            case UInt8(ascii: "2"): format = .v2
            case UInt8(ascii: "1"): format = .v1
            default: return nil
            }
            guard bytes.next() == UInt8(ascii: ".") else { return nil }
            let rest = text[utf8.index(utf8.startIndex, offsetBy: 3)...]
            guard let dot = rest.utf8.firstIndex(of: UInt8(ascii: ".")) else { return nil }
            let id = rest[..<dot]
            let payload = rest[rest.utf8.index(after: dot)...]
            guard FieldCipher.isKeyID(id.utf8), !payload.isEmpty, FieldCipher.isBase64(payload.utf8) else { return nil }
            keyID = String(id)
            self.payload = payload
        }
    }

    private static func associatedData(_ format: Format, _ keyID: String, _ column: String) -> Data {
        Data("\(format.rawValue).\(keyID).\(column)".utf8)
    }

    // MARK: Search

    /// The keyed hash of `value` for exact-match search, under the active key.
    public func searchHash(_ value: String) -> String {
        hash(Self.normalisedForSearch(value), key: keys[activeKeyID]!.search)
    }

    /// The keyed hashes of `value` under every key, the active one first, then the same under
    /// the v1 derivation: a search matches rows hashed before a rotation, or before the
    /// rotation sweep re-hashed a v1 store, as well as after.
    public func searchHashes(_ value: String) -> [String] {
        let normalised = Data(Self.normalisedForSearch(value).utf8)
        return allKeys.map { hash(normalised, key: $0) }
    }

    /// A keyed digest of exact bytes (no normalisation), under the active key.
    public func digest(_ value: Data) -> String {
        hash(value, key: keys[activeKeyID]!.search)
    }

    /// The keyed digests of `value` under every key, the active one first, then under the v1
    /// derivation (digests kept from before, such as intake's referral digests, still match).
    public func digests(_ value: Data) -> [String] {
        allKeys.map { hash(value, key: $0) }
    }

    /// Every search key: the v2 ones, the active first, then the v1 ones in the same order.
    private var allKeys: [SymmetricKey] {
        keyIDs.map { keys[$0]!.search } + keyIDs.map { keys[$0]!.legacySearch }
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
