public import Foundation

/// Files that hold keys (store keys, signing keys): created readable and writable by their
/// owner only, from the moment they exist. `FileManager.createFile(…, attributes:)` writes
/// the file with the umask's mode first and changes it after, which leaves a moment in
/// which another user could open it.
public enum SecretFile {
    /// Creates `path` with `contents`, mode 0600; fails if it exists (it is never replaced).
    public static func create(atPath path: String, contents: Data) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SecretFileError(path: path, errno: errno) }
        defer { close(descriptor) }
        // A umask can only take bits away from 0600; put back any it took from the owner.
        guard fchmod(descriptor, 0o600) == 0 else { throw SecretFileError(path: path, errno: errno) }
        try contents.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SecretFileError(path: path, errno: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw SecretFileError(path: path, errno: errno) }
    }
}

/// A key file that could not be created: its path and the system's reason.
public struct SecretFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let errno: Int32

    public var description: String { "\(path) cannot be created: \(String(cString: strerror(errno)))" }
}
