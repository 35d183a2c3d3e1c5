import Foundation
import ReintegrationAPI
import Synchronization

/// The partner directory as this replica knows it: the configured file's partners
/// (``PartnerDirectory``), overlaid with every change supervisors made over the API, as
/// the compacted partners topic holds them (``PartnerFeed``), the latest per partner.
///
/// Why a topic and not a table: partners are office-wide, but each replica owns only some
/// partition stores, possibly on other hosts, so a partner written into one store would be
/// unknown to the others. Every replica follows the one topic from its start into this
/// book, so all of them see the same partners, in the topic's one order (a global table).
///
/// Limits: the book lives in memory and is read again from the topic's start when the
/// replica starts (the topic is small: one record per partner once compacted); until it
/// has caught up, a partner added over the API may be unknown to that replica for a moment
/// (`unknown-partner`: try again). Another replica sees a change once it has read it,
/// typically within a fraction of a second.
final class PartnerBook: Sendable {
    private struct State {
        var changed: [String: PartnerView] = [:]
        /// Partners first heard of on the topic, in that order.
        var added: [String] = []
        /// The offset of the last record read.
        var offset: Int64 = -1
    }

    private let seed: [PartnerView]
    private let state = Mutex(State())

    init(seed: PartnerDirectory) {
        self.seed = seed.partners.map(\.view)
    }

    /// The file's partners in its order, as last changed, then those added over the API.
    var partners: [PartnerView] {
        state.withLock { state in seed.map { state.changed[$0.partnerID] ?? $0 } + state.added.compactMap { state.changed[$0] } }
    }

    func partner(_ id: String) -> PartnerView? {
        state.withLock { $0.changed[id] } ?? seed.first { $0.partnerID == id }
    }

    /// One record of the partners topic: a partner as a supervisor last saved it. A record
    /// that does not decode (written by a later version) is skipped; false then.
    @discardableResult
    func apply(_ value: Data, offset: Int64) -> Bool {
        let partner = try? JSONDecoder().decode(PartnerView.self, from: value)
        let inSeed = partner.map { p in seed.contains { $0.partnerID == p.partnerID } } ?? false
        state.withLock { state in
            state.offset = max(state.offset, offset)
            guard let partner else { return }
            if state.changed[partner.partnerID] == nil && !inSeed { state.added.append(partner.partnerID) }
            state.changed[partner.partnerID] = partner
        }
        return partner != nil
    }

    /// Whether the record at `offset` has been read into the book.
    func hasRead(through offset: Int64) -> Bool { state.withLock { $0.offset >= offset } }

    /// The record a change is written as.
    static func record(_ partner: PartnerView) throws -> Data { try JSONEncoder().encode(partner) }
}
