import Foundation
import HomewardRuntime

/// The rules a counselling or orientation session meets, whatever it covers: held between
/// the referral and now, in a language named by its code, covering at least one topic, each
/// once. Pure: the workflow passes what it read.
enum SessionRules {
    /// Every rule of a session; answers when it was held.
    static func check<Topic: Hashable>(language: String, topics: [Topic], heldAt: Date?, now: Date, referredAt: Date) throws -> Date {
        try BlankField.check(language, at: "/language")
        try self.language(language)
        try self.topics(topics)
        return try self.heldAt(heldAt, now: now, referredAt: referredAt)
    }

    /// When the session was held (`heldAt`, or now); refused in the future or before the referral.
    static func heldAt(_ stated: Date?, now: Date, referredAt: Date) throws(IntakeRefusal) -> Date {
        let heldAt = stated ?? now
        guard heldAt <= now else { throw .sessionInFuture }
        guard heldAt >= referredAt else { throw .sessionBeforeReferral }
        return heldAt
    }

    /// A language code such as `es`, `fr` or `pt-BR` (BCP 47's shape, loosely): letters,
    /// digits and hyphens, starting with a letter, at most 35 characters. Blank is refused
    /// before, as `required`.
    static func language(_ code: String) throws(IntakeRefusal) {
        let allowed = code.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" }
        guard code.count <= 35, allowed, code.unicodeScalars.first?.properties.isAlphabetic == true else { throw .languageCode }
    }

    /// At least one topic, none repeated (the repeat's index named).
    static func topics<Topic: Hashable>(_ topics: [Topic]) throws(IntakeRefusal) {
        guard !topics.isEmpty else { throw .noTopics }
        var seen = Set<Topic>()
        for (i, topic) in topics.enumerated() where !seen.insert(topic).inserted { throw .duplicateTopic(at: "/topics/\(i)") }
    }
}
