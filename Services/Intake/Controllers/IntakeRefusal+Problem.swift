import HomewardModel
import HomewardRuntime

/// How the caseworkers' API answers each refusal: the rule and the field, never a value.
extension IntakeRefusal: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .unknownProgramme(let known): .invalid("/programmeID", "unknown-programme", "no programme with this id; known: \(known.joined(separator: ", "))")
        case .referralInFuture: .invalid("/referredAt", "referral-in-future", "the referral time is in the future")
        case .contactBeforeReferral: .invalid("/firstContactAt", "contact-before-referral", "first contact is before the referral")
        case .contactInFuture: .invalid("/firstContactAt", "contact-in-future", "first contact is in the future")
        case .decisionAfterReferral:
            .invalid("/immigration/finalNegativeDecisionOn", "decision-after-referral", "the final negative decision is dated after the referral")
        case .principalRelationship(let field): .invalid(field, "principal-relationship", "the principal applicant's relationship is 'principal'")
        case .dependantWithoutRelationship(let field): .invalid(field, "dependant-without-relationship", "a dependant needs their relationship to the principal")
        case .onePrincipal(let field): .invalid(field, "one-principal", "a case has exactly one principal applicant")
        case .duplicateTraveller(let field): .invalid(field, "duplicate-traveller", "this traveller is already in the case (same names and date of birth)")
        case .duplicateConsent(let field): .invalid(field, "duplicate-consent", "this purpose is given twice")
        case .duplicateVulnerability: .invalid("/vulnerabilities", "duplicate-vulnerability", "a vulnerability is listed twice")
        case .unknownField(let field, let allowed):
            {
                var problem = Problem.invalid(field, "unknown-field", "not a field of the record a correction changes")
                problem.allowed = allowed
                return problem
            }()
        case .birthInFuture(let field): .invalid(field, "birth-in-future", "the date of birth is in the future")
        case .implausibleAge(let field): .invalid(field, "implausible-age", "the date of birth gives an age over 130")
        case .countryCode(let field): .invalid(field, "country-code", "an ISO 3166-1 alpha-2 code in capitals is expected (e.g. CO)")
        case .lateEntryNotAccepted(let programme):
            .invalid("/lateEntry", "late-entry-not-accepted", "programme \(programme) does not register people who have already returned")
        case .lateEntryReason(let accepted):
            .invalid("/lateEntry/reason", "late-entry-reason", "the programme accepts late entries after: \(accepted.map(\.rawValue).joined(separator: ", "))")
        case .returnAfterReferral: .invalid("/lateEntry/returnedOn", "return-after-referral", "the day of return is after the referral day")
        case .returnTooLongAgo(let days):
            .invalid("/lateEntry/returnedOn", "return-too-long-ago", "the programme registers a late entry up to \(days) days after the return")
        case .unknownCase: .notFound("unknown-case", "no case with this id")
        case .idempotencyKeyReused: .invalid(nil, "idempotency-key-reused", "this Idempotency-Key was used for a different request")
        case .idempotencyKeyOfErasedCase: .invalid(nil, "idempotency-key-reused", "this Idempotency-Key was used for a case since erased")
        case .programmeNoLongerConfigured: .conflict("unknown-programme", "the case's programme is no longer configured")
        case .declarationAlreadyRecorded: .conflict("declaration-already-recorded", "the informed-choice declaration is already recorded")
        case .declarationInFuture: .invalid("/declaredAt", "declaration-in-future", "the declaration time is in the future")
        case .declarationBeforeReferral: .invalid("/declaredAt", "declaration-before-referral", "the declaration is before the referral")
        case .counsellingRequired(let needed, let recorded):
            .conflict("counselling-required", "the programme needs \(needed) counselling session\(needed == 1 ? "" : "s") before the informed-choice "
                          + "declaration; \(recorded) \(recorded == 1 ? "is" : "are") recorded")
        case .sessionInFuture: .invalid("/heldAt", "session-in-future", "the session time is in the future")
        case .sessionBeforeReferral: .invalid("/heldAt", "session-before-referral", "the session is before the referral")
        case .languageCode: .invalid("/language", "language-code", "a language code is expected (e.g. es, fr, pt-BR): letters, digits and hyphens, at most 35")
        case .noTopics: .invalid("/topics", "no-topics", "at least one topic covered is expected")
        case .duplicateTopic(let field): .invalid(field, "duplicate-topic", "this topic is listed twice")
        case .unknownTraveller: .notFound("unknown-traveller", "no such traveller in this case")
        case .withdrawalAfterDeparture: .conflict("withdrawal-after-departure", "the family has departed; a case cannot be withdrawn after departure")
        case .orientationAfterDeparture: .conflict("orientation-after-departure", "the family has departed; a pre-departure orientation is recorded before departure")
        case .caseActive: .conflict("case-active", "the case is active; it is withdrawn or revoked (or closed) before its personal data is erased")
        case .caseErased: .conflict("case-erased", "the case's personal data is erased; it is no longer worked")
        case .caseNotActive(let status): .conflict("case-not-active", "the case is \(status.rawValue)")
        case .exceptionByCaseworker:
            .conflict("four-eyes", "the caseworker who registered the case does not record an exception to its consent; another supervisor does")
        case .exceptionValidUntilPast: .invalid("/validUntil", "valid-until-past", "an exception is valid until a time in the future, or until withdrawn")
        case .noExceptionInForce: .conflict("no-exception", "no exception for this purpose is in force")
        case .unknownPurpose: Self.unknownPurposeProblem
        }
    }

    private static var unknownPurposeProblem: Problem {
        var problem = Problem.notFound("unknown-purpose", "the path names a consent purpose")
        problem.field = "purpose"
        problem.allowed = ConsentPurpose.allCases.map(\.rawValue)
        return problem
    }
}
