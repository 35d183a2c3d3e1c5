public import HomewardModel

/// Other open cases that may be the same person's as one of a case's travellers: the same
/// date of birth and the same given and family names, either way round. A warning for a
/// caseworker to judge; it refuses nothing. Case ids only: nothing personal.
public struct PossibleDuplicates: Codable, Sendable, Equatable {
    public var caseID: CaseID
    /// Oldest registration first; empty when none.
    public var possibleDuplicates: [CaseID]
    public init(caseID: CaseID, possibleDuplicates: [CaseID]) { self.caseID = caseID; self.possibleDuplicates = possibleDuplicates }
}
