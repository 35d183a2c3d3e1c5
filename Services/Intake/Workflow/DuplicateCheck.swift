import Foundation
import HomewardModel
import HomewardRuntime
import IntakeAPI

/// Possible duplicates: other open cases of the same person, across every partition store
/// (a person's cases land wherever their ids do). A warning for caseworkers to judge, so
/// it never refuses anything: names are common, and a person may rightly have been
/// registered twice by two referring authorities before anyone noticed.
enum DuplicateCheck {
    /// The open cases besides `caseID` with a traveller who may be one of `people`, oldest
    /// registration first (the first registered is most likely the one being worked).
    static func openCases(matching people: [CaseRepository.PersonHashes], besides caseID: CaseID,
                          in stores: PartitionStores) async throws -> [CaseID] {
        guard !people.isEmpty else { return [] }
        let found = try await stores.readEach { db in try CaseRepository.openCases(matching: people, besides: caseID, in: db) }
        return found.flatMap { $0 }
            .sorted { ($0.registeredAt, $0.caseID.rawValue) < ($1.registeredAt, $1.caseID.rawValue) }
            .map(\.caseID)
    }

    /// The open cases that may be the same people as `caseID`'s travellers; nil when there
    /// is no such case. An erased case has no one left to compare.
    static func openCases(sharingPeopleWith caseID: CaseID, in stores: PartitionStores) async throws -> [CaseID]? {
        guard let people = try await stores.store(for: caseID).read({ db in try CaseRepository.personHashes(of: caseID, in: db) }) else {
            return nil
        }
        return try await openCases(matching: people, besides: caseID, in: stores)
    }
}
