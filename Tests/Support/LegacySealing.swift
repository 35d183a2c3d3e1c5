import Crypto
public import Foundation
public import GRDB
import HomewardStore

/// Values as stores sealed them before each service derived its own keys (format `v1`:
/// HKDF labels without the service's name), written here independently of ``FieldCipher``
/// so that tests can make a store as a deployment left it and prove it still opens and is
/// migrated.
public struct LegacySealing: Sendable {
    let keyID: String
    let sealing: SymmetricKey
    let search: SymmetricKey

    public init(keyID: String, material: Data) {
        let master = SymmetricKey(data: material)
        self.keyID = keyID
        sealing = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("homeward store seal v1".utf8), outputByteCount: 32)
        search = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("homeward store search v1".utf8), outputByteCount: 32)
    }

    /// `v1.<kid>.<base64(nonce ‖ ciphertext ‖ tag)>`, the associated data `v1.<kid>.<column>`.
    public func seal(_ plaintext: String, column: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: sealing, authenticating: Data("v1.\(keyID).\(column)".utf8))
        return "v1.\(keyID).\(box.combined!.base64EncodedString())"
    }

    /// The v1 keyed hash of a value for search (normalised as ``FieldCipher`` does).
    public func searchHash(_ value: String) -> String {
        let normalised = FieldCipher.normalisedForSearch(value)
        return HMAC<SHA256>.authenticationCode(for: Data(normalised.utf8), using: search).map { String(format: "%02x", $0) }.joined()
    }

    /// `v1_seal(value, column)` and `v1_search(value)` on `db`'s connection, to
    /// rewrite a store's values as a v1 store held them.
    public func register(in db: Database) {
        db.add(function: DatabaseFunction("v1_seal", argumentCount: 2, pure: false) { arguments in
            guard let text = String.fromDatabaseValue(arguments[0]), !text.isEmpty, let column = String.fromDatabaseValue(arguments[1]) else { return arguments[0] }
            return try seal(text, column: column)
        })
        db.add(function: DatabaseFunction("v1_search", argumentCount: 1, pure: true) { arguments in
            String.fromDatabaseValue(arguments[0]).map { searchHash($0) }
        })
    }
}
