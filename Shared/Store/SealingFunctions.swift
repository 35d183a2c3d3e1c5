import Crypto
import Foundation
import GRDB

/// The SQL functions through which a store seals and opens personal columns, registered on
/// every connection of a ``Store``, so that repositories write `hw_seal(?, 'table.column')`
/// and read `hw_open(column, 'table.column')` in their own statements:
///
/// - `hw_seal(value, column)`: the sealed text of a text or blob value; NULL and `''` (an
///   erased value) stay as they are.
/// - `hw_open(value, column)`: the text of a sealed value; a value that is not sealed (a
///   row written before sealing, not yet swept) is returned unchanged.
/// - `hw_open_blob(value, column)`: the same, as a blob (event bytes).
/// - `hw_search(value)`: the keyed hash for exact-match search under the active key; NULL
///   for NULL or `''`.
/// - `hw_digest(value)`: a keyed digest of the exact bytes (request fingerprints).
/// - `hw_search_all(value)`, `hw_digest_all(value)`: the same under every configured key, as
///   a JSON array for `IN (SELECT value FROM json_each(…))`, so that rows hashed before a
///   rotation still match.
///
/// A store opened without a cipher (runtime tests, the probe stage) seals nothing: its
/// `hw_seal` returns its argument, and its hashes are unkeyed SHA-256.
enum SealingFunctions {
    static func all(cipher: FieldCipher?) -> [DatabaseFunction] {
        [
            DatabaseFunction("hw_seal", argumentCount: 2, pure: false) { arguments in
                let column = try label(arguments[1])
                guard let cipher else { return arguments[0] }
                switch arguments[0].storage {
                case .null: return nil
                case .string(let text): return text.isEmpty ? "" : try cipher.seal(text, column: column)
                case .blob(let data): return try cipher.seal(data, column: column)
                case .int64, .double: return try cipher.seal(String(describing: arguments[0]), column: column)
                }
            },
            DatabaseFunction("hw_open", argumentCount: 2, pure: true) { arguments in
                let column = try label(arguments[1])
                guard case .string(let text) = arguments[0].storage, let sealed = FieldCipher.SealedForm(text) else { return arguments[0] }
                return String(decoding: try open(sealed, column: column, cipher: cipher), as: UTF8.self)
            },
            DatabaseFunction("hw_open_blob", argumentCount: 2, pure: true) { arguments in
                let column = try label(arguments[1])
                guard case .string(let text) = arguments[0].storage else { return arguments[0] }
                guard let sealed = FieldCipher.SealedForm(text) else { return Data(text.utf8) }
                return try open(sealed, column: column, cipher: cipher)
            },
            DatabaseFunction("hw_search", argumentCount: 1, pure: true) { arguments in
                guard case .string(let text) = arguments[0].storage, !text.isEmpty else { return nil }
                guard let cipher else { return unkeyed(Data(FieldCipher.normalisedForSearch(text).utf8)) }
                return cipher.searchHash(text)
            },
            DatabaseFunction("hw_search_all", argumentCount: 1, pure: true) { arguments in
                guard case .string(let text) = arguments[0].storage, !text.isEmpty else { return "[]" }
                let hashes = cipher?.searchHashes(text) ?? [unkeyed(Data(FieldCipher.normalisedForSearch(text).utf8))]
                return jsonArray(hashes)
            },
            DatabaseFunction("hw_digest_all", argumentCount: 1, pure: true) { arguments in
                guard let data = bytes(arguments[0]) else { return "[]" }
                return jsonArray(cipher?.digests(data) ?? [unkeyed(data)])
            },
            DatabaseFunction("hw_digest", argumentCount: 1, pure: true) { arguments in
                guard let data = bytes(arguments[0]) else { return nil }
                return cipher?.digest(data) ?? unkeyed(data)
            },
        ]
    }

    private static func open(_ sealed: FieldCipher.SealedForm, column: String, cipher: FieldCipher?) throws -> Data {
        guard let cipher else { throw FieldCipherError.invalidKeys("\(column) is sealed, and this store was opened without keys") }
        return try cipher.openData(sealed, column: column)
    }

    private static func label(_ value: DatabaseValue) throws -> String {
        guard case .string(let text) = value.storage else { throw FieldCipherError.invalidKeys("a sealed column's label is text") }
        return text
    }

    private static func bytes(_ value: DatabaseValue) -> Data? {
        switch value.storage {
        case .null: nil
        case .string(let text): Data(text.utf8)
        case .blob(let blob): blob
        case .int64, .double: Data(String(describing: value).utf8)
        }
    }

    /// Hex strings need no escaping.
    private static func jsonArray(_ hashes: [String]) -> String {
        "[" + hashes.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    static func unkeyed(_ data: Data) -> String {
        FieldCipher.hex(SHA256.hash(data: data))
    }
}
