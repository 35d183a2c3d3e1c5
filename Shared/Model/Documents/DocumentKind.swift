/// What a document kept for a case is. Each service keeps its own kinds
/// (`Shared/Runtime/Documents`): intake the identity and travel documents and the signed
/// consent and declaration, health screening medical certificates (which never leave it),
/// travel booking tickets and travel documents, reintegration proofs of delivery.
public enum DocumentKind: String, Hashable, Codable, Sendable, ClosedSet, Comparable {
    /// A passport, national identity card or other identity document (intake).
    case identityDocument = "identity-document"
    /// A document to travel on: passport, emergency travel document, laissez-passer.
    case travelDocument = "travel-document"
    /// The signed consent form (intake).
    case signedConsent = "signed-consent"
    /// The signed informed-choice (voluntariness) declaration (intake).
    case signedDeclaration = "signed-declaration"
    /// A medical certificate for one traveller (health screening only).
    case medicalCertificate = "medical-certificate"
    /// A ticket or itinerary receipt (travel booking).
    case ticket
    /// What shows that assistance was delivered, for one disbursement (reintegration).
    case proofOfDelivery = "proof-of-delivery"

    public static func < (lhs: DocumentKind, rhs: DocumentKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The media types a document may have; the bytes must be what the type claims.
public enum DocumentMediaType: String, Hashable, Codable, Sendable, ClosedSet {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"
}
