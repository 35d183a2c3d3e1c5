import Foundation

extension ServiceAPI {
    /// `path` with the parameters that are set, percent-encoded (`cases?status=active&limit=5`).
    public static func path(_ path: String, _ parameters: [(String, String?)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+;#")
        let query = parameters.compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }
}

/// A body with no fields: the actions whose actor is the caller and nothing else.
struct Empty: Codable, Sendable {}
