public import HomewardModel

/// Why a document is not taken, listed or served: each answered as a problem document
/// naming the field (a query parameter, `Content-Type`, `body`), the rule and what is allowed.
public enum DocumentRefusal: Error, Equatable, Sendable {
    /// The service keeps no documents of the kind asked for; it keeps `allowed`.
    case unknownKind(allowed: [DocumentKind])
    /// The kind is about one traveller (or one disbursement): the parameter names it.
    case subjectRequired(parameter: String, kind: DocumentKind)
    /// The kind is about the case as a whole: the parameter does not apply.
    case subjectNotTaken(parameter: String, kind: DocumentKind)
    case mediaTypeNotAllowed
    /// The bytes do not start as a file of the type claimed.
    case notWhatItClaims(DocumentMediaType)
    /// A PDF names something that runs or carries content (``DocumentContent/activeNames``).
    case activeContent(String)
    case empty
    case tooLarge(limit: Int)
    case unknownCase
    /// The case's personal data, its documents with it, is erased.
    case caseErased
    case unknownTraveller
    case unknownDisbursement
    case unknownDocument
    /// A gate of the case's programme needs documents the case lacks.
    case documentsMissing(gate: String, missing: [DocumentKind])
    /// The stored bytes are not the ones recorded (a chunk lost, say, in a partial restore).
    case contentDamaged
}

extension DocumentRefusal: ProblemConvertible {
    public var problem: Problem {
        switch self {
        case .unknownKind(let allowed):
            var problem = Problem.invalid("kind", "unknown-document-kind", "this service keeps documents of the kinds listed in 'allowed'")
            problem.allowed = allowed.map(\.rawValue)
            return problem
        case .subjectRequired(let parameter, let kind):
            return .invalid(parameter, "required", "documents of kind \(kind.rawValue) are about one \(parameter): name it in '\(parameter)'")
        case .subjectNotTaken(let parameter, let kind):
            return .invalid(parameter, "not-taken", "documents of kind \(kind.rawValue) are not about one \(parameter); leave '\(parameter)' out")
        case .mediaTypeNotAllowed:
            var problem = Problem(status: .unsupportedMediaType, rule: "media-type-not-allowed", field: "Content-Type",
                                  detail: "a document is sent as its raw bytes, with one of the media types listed in 'allowed'")
            problem.allowed = DocumentMediaType.allCases.map(\.rawValue)
            return problem
        case .notWhatItClaims(let type):
            return .invalid("body", "content-mismatch", "the bytes are not a \(type.rawValue) file: they do not start as one does")
        case .activeContent(let name):
            return .invalid("body", "active-content", "the PDF names /\(name), which runs or carries content; send it printed to a plain PDF, or scanned")
        case .empty:
            return .invalid("body", "empty-document", "the body is empty; send the document's bytes")
        case .tooLarge(let limit):
            return Problem(status: .contentTooLarge, rule: "document-too-large", field: "body", detail: "a document is at most \(limit) bytes")
        case .unknownCase: return .notFound("unknown-case", "this service knows no case with this id")
        case .caseErased: return .conflict("case-erased", "the case's personal data, its documents with it, is erased")
        case .unknownTraveller: return .invalid("traveller", "unknown-traveller", "the case has no traveller with this id")
        case .unknownDisbursement: return .invalid("disbursement", "unknown-disbursement", "the case has no disbursement with this id")
        case .unknownDocument: return .notFound("unknown-document", "the case has no document with this id")
        case .documentsMissing(let gate, let missing):
            var problem = Problem.conflict("documents-missing",
                                           "the programme needs these documents before \(gate): \(missing.map(\.rawValue).joined(separator: ", ")); upload them first")
            problem.missing = missing.map(\.rawValue)
            return problem
        case .contentDamaged:
            return Problem(status: .internalServerError, rule: "document-damaged", detail: "the stored document is not the one uploaded; it is not served")
        }
    }
}
