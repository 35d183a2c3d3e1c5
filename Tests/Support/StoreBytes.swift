import Foundation
public import HomewardStore

/// The raw bytes of a store's files (the database, its WAL, their free pages), read as an
/// attacker with the disk and the keys would: every run that looks like a sealed value is
/// tried under every sealed column of the service.
public enum StoreBytes {
    /// The clear text of every sealed-looking run in `files` (missing files are skipped)
    /// that opens under `cipher` for one of `columns` (`table.column`).
    public static func openable(in files: [String], cipher: FieldCipher, columns: [String]) throws -> [String] {
        let run = try Regex(#"v[12]\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9+/]{24,}={0,2}"#)
        var opened: [String] = []
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            // Bytes above ASCII become spaces: runs are found between binary bytes, none is made up.
            let text = String(decoding: bytes.map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self)
            for match in text.matches(of: run) {
                let sealed = String(text[match.range])
                for column in columns {
                    if let clear = try? cipher.openData(sealed, column: column) { opened.append(String(decoding: clear, as: UTF8.self)) }
                }
            }
        }
        return opened
    }

    /// Whether any of `files` holds `marker`'s bytes in clear.
    public static func contains(_ marker: String, in files: [String]) -> Bool {
        files.contains { file in FileManager.default.contents(atPath: file)?.range(of: Data(marker.utf8)) != nil }
    }

    /// A store's database file and its WAL.
    public static func files(of store: String) -> [String] { [store, "\(store)-wal"] }
}
