import Foundation
import HomewardAccess
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import HummingbirdTesting
import JWTKit
import Testing
import TestSupport
@testable import HealthScreening
@testable import Intake
@testable import Reintegration
@testable import TravelBooking

/// Walks every route each service registers and proves who reaches it: nobody without a
/// valid token, and each role exactly the endpoints this table gives it. The table is the
/// access policy as `deploy/README.md` states it; a route added without a line here fails.
@Suite("Access control on every route")
struct AccessControlTests {
    static let policy: [ServiceName: [String: Set<Role>]] = [
        .intake: [
            "POST /cases": [.caseworker],
            "GET /cases": [.caseworker, .supervisor],
            "GET /cases/:caseID": [.caseworker, .supervisor],
            "GET /cases/:caseID/possible-duplicates": [.caseworker],
            "POST /possible-duplicates": [.caseworker],
            "PATCH /cases/:caseID": [.caseworker],
            "PATCH /cases/:caseID/travellers/:travellerID": [.caseworker],
            "POST /cases/:caseID/consents": [.caseworker],
            "POST /cases/:caseID/exceptions": [.supervisor],
            "POST /cases/:caseID/exceptions/:purpose/withdrawal": [.supervisor],
            "POST /cases/:caseID/counselling": [.caseworker],
            "POST /cases/:caseID/travellers/:travellerID/orientation": [.caseworker],
            "POST /cases/:caseID/declaration": [.caseworker],
            "POST /cases/:caseID/assessment": [.caseworker],
            "POST /cases/:caseID/withdrawal": [.caseworker],
            "POST /cases/:caseID/revocation": [.caseworker],
            "POST /cases/:caseID/erasure": [.supervisor],
            "POST /cases/:caseID/documents": [.caseworker],
            "GET /cases/:caseID/documents": [.caseworker, .supervisor],
            "GET /cases/:caseID/documents/:documentID": [.caseworker, .supervisor],
            "GET /reports/5w": [.caseworker, .supervisor],
            "GET /openapi.yaml": Set(Role.allCases),
            "GET /audit": [.auditor],
            "GET /cases/:caseID/subject-export": [.dataProtectionOfficer],
        ],
        .healthScreening: [
            "GET /travellers/:travellerID": [.healthOfficer],
            "POST /travellers/:travellerID/exams": [.healthOfficer],
            "POST /travellers/:travellerID/fitness": [.healthOfficer],
            "POST /travellers/:travellerID/rescreen": [.healthOfficer],
            "POST /travellers/:travellerID/pre-embarkation": [.healthOfficer],
            "GET /screenings": [.healthOfficer],
            "POST /cases/:caseID/documents": [.healthOfficer],
            "GET /cases/:caseID/documents": [.healthOfficer],
            "GET /cases/:caseID/documents/:documentID": [.healthOfficer],
            "GET /openapi.yaml": Set(Role.allCases),
            "GET /audit": [.auditor],
            "GET /cases/:caseID/subject-export": [.dataProtectionOfficer],
        ],
        .travelBooking: [
            "GET /cases": [.movementOfficer, .supervisor],
            "GET /cases/:caseID": [.movementOfficer, .supervisor],
            "PUT /cases/:caseID/travellers/:travellerID/document": [.movementOfficer],
            "POST /cases/:caseID/bookings": [.movementOfficer],
            "GET /bookings/:bookingID": [.movementOfficer, .supervisor],
            "POST /bookings/:bookingID/confirmation": [.movementOfficer],
            "POST /bookings/:bookingID/departure": [.movementOfficer],
            "POST /bookings/:bookingID/transit": [.movementOfficer],
            "POST /bookings/:bookingID/arrival": [.movementOfficer],
            "POST /bookings/:bookingID/cancellation": [.movementOfficer],
            "GET /manifests/:flightNumber": [.movementOfficer],
            "POST /cases/:caseID/documents": [.movementOfficer],
            "GET /cases/:caseID/documents": [.movementOfficer, .supervisor],
            "GET /cases/:caseID/documents/:documentID": [.movementOfficer, .supervisor],
            "GET /openapi.yaml": Set(Role.allCases),
            "GET /audit": [.auditor],
            "GET /cases/:caseID/subject-export": [.dataProtectionOfficer],
        ],
        .reintegration: [
            "GET /survey": [.reintegrationOfficer],
            "GET /cases": [.reintegrationOfficer, .supervisor],
            "GET /cases/:caseID": [.reintegrationOfficer, .supervisor],
            "PUT /cases/:caseID/reception": [.reintegrationOfficer],
            "GET /cases/:caseID/partner-handover": [.reintegrationOfficer],
            "POST /cases/:caseID/assessments": [.reintegrationOfficer],
            "PUT /cases/:caseID/plan": [.reintegrationOfficer],
            "POST /cases/:caseID/plan/approval": [.supervisor],
            "POST /cases/:caseID/referrals": [.reintegrationOfficer],
            "POST /cases/:caseID/referrals/:referralID/steps": [.reintegrationOfficer],
            "GET /referrals": [.reintegrationOfficer, .supervisor],
            "GET /partners": [.reintegrationOfficer, .supervisor],
            "PUT /partners/:partnerID": [.supervisor],
            "POST /cases/:caseID/disbursements": [.reintegrationOfficer],
            "POST /cases/:caseID/disbursements/:disbursementID/reversal": [.reintegrationOfficer, .supervisor],
            "POST /cases/:caseID/visits": [.reintegrationOfficer],
            "POST /cases/:caseID/closure": [.reintegrationOfficer],
            "POST /cases/:caseID/documents": [.reintegrationOfficer],
            "GET /cases/:caseID/documents": [.reintegrationOfficer, .supervisor],
            "GET /cases/:caseID/documents/:documentID": [.reintegrationOfficer, .supervisor],
            "GET /openapi.yaml": Set(Role.allCases),
            "GET /audit": [.auditor],
            "GET /cases/:caseID/subject-export": [.dataProtectionOfficer],
        ],
    ]

    /// Reached without a token: the orchestrator's probes and the metrics scraper.
    static let publicRoutes: Set<String> = ["GET /health/live", "GET /health/ready", "GET /metrics"]

    @Test("every route of every service refuses a missing, expired or wrongly signed token, and admits exactly its roles",
          arguments: ServiceName.allCases)
    func walk(_ name: ServiceName) async throws {
        let (router, directory) = try await Self.router(of: name)
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = try #require(Self.policy[name])
        // HEAD (generated wherever GET is), OPTIONS and the 405 answers are the router's own,
        // on the same paths; each endpoint a handler serves is in the policy.
        let all = router.routes.map { "\($0.method) \(Self.normalised($0.path.description))" }
        let routes = all.filter { route in
            policy[route] != nil || Self.publicRoutes.contains(route)
        }
        #expect(Set(routes) == Set(policy.keys).union(Self.publicRoutes), "registered routes and the policy differ")
        let generated = all.filter { !routes.contains($0) }
        let paths = Set(routes.map { $0.split(separator: " ")[1] })
        #expect(generated.allSatisfy { paths.contains($0.split(separator: " ")[1]) }, "only known paths get generated answers: \(generated)")

        let now = Date()
        let expired = try await TestAccess.token(Role.allCases, lifetime: 60, now: now.addingTimeInterval(-3600))
        let forged = try await AccessKeys.developmentToken(key: Data(repeating: 9, count: 32), subject: "mallory", roles: Role.allCases)
        let unsigned = Self.unsignedToken(roles: Role.allCases)
        let otherAudience = try await Self.token(audience: "another-system", roles: Role.allCases)
        var minted: [Role: String] = [:]
        for role in Role.allCases { minted[role] = try await TestAccess.token([role], subject: "walker-\(role.rawValue)") }
        let tokens = minted

        let app = Application(router: router)
        try await app.test(.router) { client in
            for route in routes {
                let (method, path) = Self.request(for: route)
                if Self.publicRoutes.contains(route) {
                    let answer = try await client.execute(uri: path, method: method)
                    #expect(answer.status != .unauthorized && answer.status != .forbidden, "\(route) is public")
                    continue
                }
                let missing = try await client.execute(uri: path, method: method, body: Self.body)
                #expect(missing.status == .unauthorized, "\(route) without a token")
                #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(route) challenges for a bearer token")
                for (what, token) in [("an expired", expired), ("a wrongly signed", forged), ("an unsigned", unsigned), ("another audience's", otherAudience)] {
                    let answer = try await client.execute(uri: path, method: method, headers: [.authorization: "Bearer \(token)"], body: Self.body)
                    #expect(answer.status == .unauthorized, "\(route) with \(what) token answered \(answer.status)")
                }
                let allowed = try #require(policy[route])
                for role in Role.allCases {
                    let answer = try await client.execute(uri: path, method: method, headers: [.authorization: "Bearer \(tokens[role]!)"], body: Self.body)
                    if allowed.contains(role) {
                        #expect(answer.status != .unauthorized && answer.status != .forbidden, "\(route) admits \(role.rawValue), answered \(answer.status)")
                    } else {
                        #expect(answer.status == .forbidden, "\(route) refuses \(role.rawValue), answered \(answer.status)")
                    }
                }
            }
            // HEAD, OPTIONS and the 405 answers need a token like the rest, but where
            // they go on to is no endpoint's data.
            for route in generated {
                let (method, path) = Self.request(for: route)
                let publicPath = Self.publicRoutes.contains("GET \(path)")
                let missing = try await client.execute(uri: path, method: method)
                #expect(publicPath || missing.status == .unauthorized, "\(route) without a token answered \(missing.status)")
            }
            // An unknown path tells an unauthenticated caller nothing.
            #expect(try await client.execute(uri: "/no-such-thing", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/no-such-thing", method: .get, headers: [.authorization: "Bearer \(tokens[.auditor]!)"]).status == .notFound)
        }
    }

    @Test("a health officer alone reads medical records, a data-protection officer alone exports them; approvals need a supervisor")
    func statedRules() {
        // The API description, the audit trail (ids, never medical data) and the subject export aside.
        for (route, roles) in Self.policy[.healthScreening]! where !["GET /openapi.yaml", "GET /audit", "GET /cases/:caseID/subject-export"].contains(route) {
            #expect(roles == [.healthOfficer], "\(route)")
        }
        // The subject export lets the medical record out to a data-protection officer, and nobody else.
        for (service, routes) in Self.policy {
            #expect(routes["GET /cases/:caseID/subject-export"] == [.dataProtectionOfficer], "\(service)")
        }
        #expect(Self.policy[.reintegration]!["POST /cases/:caseID/plan/approval"] == [.supervisor])
    }

    @Test("a subject export is refused precisely: 403 to every role but the data-protection officer's, 404 for a case the service does not know",
          arguments: ServiceName.allCases)
    func subjectExportRefusals(_ name: ServiceName) async throws {
        let (router, directory) = try await Self.router(of: name)
        defer { try? FileManager.default.removeItem(at: directory) }
        let officer = try await TestAccess.token([.dataProtectionOfficer], subject: "dpo-1")
        let everyoneElse = try await TestAccess.token(Role.allCases.filter { $0 != .dataProtectionOfficer }, subject: "everyone-else")
        try await Application(router: router).test(.router) { client in
            func problem(_ token: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                let answer = try await client.execute(uri: "/cases/HW-000000000000/subject-export", method: .get, headers: [.authorization: "Bearer \(token)"])
                return (answer.status, try JSONSerialization.jsonObject(with: Data(String(buffer: answer.body).utf8)) as? [String: Any] ?? [:])
            }
            let (unknown, notFound) = try await problem(officer)
            #expect(unknown == .notFound && notFound["rule"] as? String == "unknown-case", "\(notFound)")
            let (refused, forbidden) = try await problem(everyoneElse)
            #expect(refused == .forbidden && forbidden["rule"] as? String == "role-required", "\(forbidden)")
            #expect((forbidden["detail"] as? String)?.hasSuffix("roles: data-protection-officer") == true, "\(forbidden)")
        }
    }

    // MARK: Helpers

    static let body = ByteBuffer(string: "{}")

    /// `/cases/{caseID}` as Hummingbird prints a parameter, to the `:caseID` of the table.
    static func normalised(_ path: String) -> String {
        let withSlash = path.hasPrefix("/") ? path : "/" + path
        return withSlash.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    static func request(for route: String) -> (HTTPRequest.Method, String) {
        let parts = route.split(separator: " ", maxSplits: 1)
        let path = parts[1].split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "X1" : String(part)
        }.joined(separator: "/")
        return (HTTPRequest.Method(String(parts[0]))!, path)
    }

    static func router(of name: ServiceName) async throws -> (Router<ServiceRequestContext>, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homeward-access-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = try await ServiceConfiguration.load(for: name, environment: TestAccess.environment.merging([
            "DATA_DIRECTORY": directory.path, "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
        ]) { $1 })
        let service: any HomewardService = switch name {
        case .intake: try IntakeService(config: config)
        case .healthScreening: try HealthScreeningService(config: config)
        case .travelBooking: try TravelBookingService(config: config)
        case .reintegration: try ReintegrationService(config: config)
        }
        let stores = try PartitionStores(directory: config.storeDirectory, partitionCount: 4, cipher: nil, legacyStore: nil,
                                         partitionedTables: service.partitionedTables, migrations: service.migrate)
        let keys = try await AccessKeys(jwks: nil, developmentKey: config.accessDevelopmentKey)
        let health = HealthController(store: stores.service, kafka: config.kafka, registry: .init())
        return (try ServiceRunner.makeRouter(service: service, stores: stores, keys: keys, health: health), directory)
    }

    /// `alg: none`: a token anyone can write.
    static func unsignedToken(roles: [Role]) -> String {
        func encode(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let exp = Int(Date().timeIntervalSince1970) + 3600
        let roleList = roles.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        return encode(#"{"alg":"none","typ":"JWT"}"#) + "."
            + encode(#"{"sub":"mallory","aud":["homeward"],"exp":\#(exp),"roles":[\#(roleList)]}"#) + "."
    }

    /// Signed with the right key, for someone else.
    static func token(audience: String, roles: [Role]) async throws -> String {
        var claims = StaffClaims(subject: "walker", roles: roles, lifetime: 3600)
        claims.aud = AudienceClaim(value: [audience])
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: TestAccess.developmentKey), digestAlgorithm: .sha256, kid: JWKIdentifier(string: AccessKeys.developmentKeyID))
        return try await keys.sign(claims, kid: JWKIdentifier(string: AccessKeys.developmentKeyID))
    }
}

/// Keys from a JWKS document, each with a key id: rotating is adding one and later
/// removing the other.
@Suite("Token keys")
struct TokenKeyTests {
    @Test func aJWKSWithTwoKeysAcceptsBothAndDroppingOneRefusesItsTokens() async throws {
        let old = SigningKey(kid: "office-2025"), new = SigningKey(kid: "office-2026")
        let both = String(decoding: try SigningKey.jwks([old, new]), as: UTF8.self)
        let onlyNew = String(decoding: try SigningKey.jwks([new]), as: UTF8.self)
        let oldToken = try await old.token(subject: "anna", roles: [.caseworker], lifetime: 600)
        let newToken = try await new.token(subject: "anna", roles: [.caseworker], lifetime: 600)

        let during = try await AccessKeys(jwks: both, developmentKey: nil)
        #expect(try await during.verify(oldToken).sub.value == "anna")
        #expect(try await during.verify(newToken).knownRoles == [.caseworker])

        let after = try await AccessKeys(jwks: onlyNew, developmentKey: nil)
        #expect(try await after.verify(newToken).sub.value == "anna")
        await #expect(throws: (any Error).self) { try await after.verify(oldToken) }
        // Production has no development key: a token signed with one is refused.
        let devToken = try await TestAccess.token([.caseworker])
        await #expect(throws: (any Error).self) { try await after.verify(devToken) }
    }
}
