import Foundation
public import HomewardStore
public import Logging

/// The store keys a service seals personal columns under, from `STORE_KEYS` and
/// `STORE_KEY_ACTIVE`. Production refuses to start without them; in development a key is
/// generated once into `<data directory>/<service>.store-key` (mode 0600), so the local
/// stack and the tests run with no configuration, and that is said in the log.
public enum StoreKeys {
    public static func cipher(for config: ServiceConfiguration, logger: Logger) throws -> FieldCipher {
        if let text = config.storeKeys {
            do {
                return try FieldCipher(parsing: text, active: config.storeKeyActive, service: config.service.rawValue)
            } catch let error as FieldCipherError {
                let key = config.storeKeyActive != nil && "\(error)".contains("active key id") ? "STORE_KEY_ACTIVE" : "STORE_KEYS"
                throw ConfigurationError.invalid(key: key, reason: "\(error)")
            }
        }
        guard config.environment == .development else {
            throw ConfigurationError.invalid(
                key: "STORE_KEYS", reason: "required in production: kid:base64key[,kid:base64key...], each key 32 random bytes in base64")
        }
        let path = "\(config.dataDirectory)/\(config.service.rawValue).store-key"
        let (text, created) = try developmentKey(at: path)
        do {
            let cipher = try FieldCipher(parsing: text, active: nil, service: config.service.rawValue)
            logger.warning("\(created ? "generated a development store key" : "using the development store key") in \(path) (key id \(cipher.activeKeyID)); set STORE_KEYS in production")
            return cipher
        } catch {
            throw ConfigurationError.invalid(key: "STORE_KEYS", reason: "unset, and the development key file \(path) is unusable: \(error)")
        }
    }

    /// Reads the key file, or creates it with a new key: written to a temporary file and
    /// linked into place, so replicas starting together agree on one key.
    static func developmentKey(at path: String) throws -> (text: String, created: Bool) {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return (text.trimmingCharacters(in: .whitespacesAndNewlines), false)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let id = "dev-" + UUID().uuidString.prefix(8).lowercased()
        let text = FieldCipher.generateKeyText(id: id)
        let temporary = "\(path).\(getpid()).tmp"
        unlink(temporary)   // left by a process that had this id and died here
        do {
            try SecretFile.create(atPath: temporary, contents: Data((text + "\n").utf8))
        } catch {
            throw ConfigurationError.invalid(key: "STORE_KEYS", reason: "unset, and the development key file \(path) cannot be written (\(error))")
        }
        defer { unlink(temporary) }
        if link(temporary, path) == 0 { return (text, true) }
        guard errno == EEXIST, let existing = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError.invalid(key: "STORE_KEYS", reason: "unset, and the development key file \(path) cannot be written (errno \(errno))")
        }
        return (existing.trimmingCharacters(in: .whitespacesAndNewlines), false)
    }
}
