import Foundation
import HomewardModel
@testable import HealthScreening
import Kafka
import TestSupport
import Testing
import HealthScreeningAPI

/// The health-screening executable against the embedded broker, with a fake intake and a
/// fake travel service publishing events and health officers working over HTTP.
@Suite("Health screening over HTTP", .serialized)
struct HealthFlowTests {
    static let encoder = EventCoding.encoder()

    func post<T: Encodable>(_ base: URL, _ path: String, _ body: T) async throws -> HTTP.Reply {
        try await HTTP.send("POST", base.appendingPathComponent(path), body: try Self.encoder.encode(body))
    }

    /// Records rich medical data for many travellers, then scans every message on every
    /// topic, every log line and the metrics for any of it.
    @Test func nothingMedicalLeavesTheService() async throws {
        let cluster = try TestCluster("health-flow")
        let (health, producer) = try await cluster.fedService("health-screening", extra: ["LOG_LEVEL": "debug"])
        let base = health.baseURL

        // A fake intake: 20 families of two ready for screening.
        let cases = (0..<20).map { CaseID("CASE-\($0)") }
        var messages: [OutgoingMessage] = []
        for id in cases {
            messages.append(try EventTraffic.message(CloudEvent(caseID: id, data: ReadyForScreening(travellers: [
                .init(travellerID: TravellerID("\(id)-T1"), ageYears: 34, sex: .female),
                .init(travellerID: TravellerID("\(id)-T2"), ageYears: 12, sex: .male),
            ]))))
        }
        for result in await producer.send(messages) { _ = try result.get() }
        #expect(await eventually {
            ((try? await HTTP.send("GET", base.appendingPathComponent("screenings")).json()["items"] as? [Any])?.count ?? 0) == 40
        })
        // The work list pages by following its `Link` headers: every item once, in the list's order.
        let whole = (try await HTTP.send("GET", base.appendingPathComponent("screenings")).json()["items"] as? [[String: Any]] ?? [])
            .compactMap { $0["travellerID"] as? String }
        let paged = try await HTTP.allPages(base.appendingPathComponent("screenings").appending(queryItems: [.init(name: "list", value: "due"), .init(name: "limit", value: "7")]),
                                            field: "items", base: base).compactMap { $0["travellerID"] as? String }
        #expect(paged == whole && Set(paged).count == 40, "\(paged.count) paged")
        // A cursor of another shape (four texts, not this list's numbers) is refused, not guessed at.
        let foreign = Data(#"["a","b","c","d"]"#.utf8).base64EncodedString()
        let misread = try await HTTP.send("GET", base.appendingPathComponent("screenings").appending(queryItems: [.init(name: "after", value: foreign)]))
        #expect(try misread.status == 400 && misread.json()["field"] as? String == "after")
        let renamed = try await HTTP.send("GET", base.appendingPathComponent("screenings").appending(queryItems: [.init(name: "state", value: "due")]))
        #expect(try renamed.status == 400 && renamed.json()["field"] as? String == "state", "the work list is chosen with `list`, as in every service")

        // Health officers record exams full of medical detail, then outcomes.
        let today = LocalDate.containing(Date(), in: .gmt)
        var markers: [String] = []
        for (n, id) in cases.enumerated() {
            for t in ["T1", "T2"] {
                let traveller = "\(id)-\(t)"
                let mark = "MEDMARK\(n)\(t)"
                markers.append(mark)
                var results = ["chest-x-ray": "\(mark) cavitary lesion", "urinalysis": "\(mark) glucosuria"]
                if t == "T1" { results["hiv"] = "\(mark) reactive"; results["syphilis"] = "\(mark) RPR 1:8" }
                let exam = ExamInput(examinedOn: today, results: results, notes: "\(mark) diagnosis: pulmonary TB, on treatment",
                                     conditions: ["\(mark) tuberculosis", "\(mark) diabetes"], recordedBy: "ho-1")
                #expect(try await post(base, "travellers/\(traveller)/exams", exam).status == 200)
                let outcome: FitnessInput = switch n % 4 {
                case 0: FitnessInput(outcome: .cleared, recordedBy: "ho-1")
                case 1: FitnessInput(outcome: .clearedWithRequirements, travelRequirements: [.oxygen, .medicalEscort], recordedBy: "ho-1")
                case 2: FitnessInput(outcome: .onHold, holdUntil: Date().addingTimeInterval(14 * 86_400), recordedBy: "ho-1")
                default: FitnessInput(outcome: .notCleared, recordedBy: "ho-1")
                }
                #expect(try await post(base, "travellers/\(traveller)/fitness", outcome).status == 200)
            }
        }

        // A bad request carrying medical detail: refused, and the detail is not echoed.
        let leak = ExamInput(examinedOn: today, results: ["hiv": "MEDMARK-LEAK reactive"], notes: "MEDMARK-LEAK", recordedBy: "ho-1")
        let refused = try await post(base, "travellers/CASE-2-T2/exams", leak)  // on hold: screening still open
        #expect(refused.status == 422)
        #expect(try refused.json()["rule"] as? String == "test-not-required")
        #expect(!refused.text.contains("MEDMARK"))
        markers.append("MEDMARK-LEAK")

        // A fake travel service books the cleared families; the checks happen in their window.
        messages = []
        let departure = Date().addingTimeInterval(48 * 3600)
        for id in cases.enumerated().filter({ $0.offset % 4 < 2 }).map(\.element) {
            messages.append(try EventTraffic.message(CloudEvent(caseID: id, data: BookingConfirmed(
                bookingID: BookingID("B-\(id)"), travellerIDs: [TravellerID("\(id)-T1"), TravellerID("\(id)-T2")], departureAt: departure,
                arrivalAt: departure.addingTimeInterval(9 * 3600), arrivalAirport: "BOG", arrivalFlightNumber: "AV1"))))
        }
        messages.append(try EventTraffic.message(CloudEvent(caseID: cases[3], data: CaseWithdrawn())))
        for result in await producer.send(messages) { _ = try result.get() }
        #expect(await eventually {
            let record = try? await HTTP.send("GET", base.appendingPathComponent("travellers/CASE-0-T1")).json()
            return ((record?["preEmbarkationChecks"] as? [Any])?.count ?? 0) == 1
        })
        let check = FitnessInput(outcome: .cleared, recordedBy: "ho-2")
        #expect(try await post(base, "travellers/CASE-0-T1/pre-embarkation", check).status == 200)
        #expect(await eventually {
            (try? await HTTP.send("GET", base.appendingPathComponent("travellers/CASE-3-T1")).json()["status"] as? String) == "closed"
        })

        // The record keeps the medical detail for health officers...
        let record = try await HTTP.send("GET", base.appendingPathComponent("travellers/CASE-1-T1"))
        #expect(record.text.contains("MEDMARK1T1 reactive"))

        // ...and nothing of it is anywhere else.
        var published: [ConsumedMessage] = []
        #expect(await eventually {
            published = (try? await cluster.traffic.readAll(ServiceName.healthScreening.topic)) ?? []
            return published.count >= 40 + 40 + 1  // opened, outcomes, one check
        })
        var everything = ""
        for service in ServiceName.allCases {
            for topic in service.ownedTopics {
                for message in try await cluster.traffic.readAll(topic) {
                    everything += String(decoding: message.value, as: UTF8.self) + (message.keyString ?? "")
                    everything += message.headers.map { $0.name + "=" + ($0.stringValue ?? "") }.joined(separator: ";")
                }
            }
        }
        let metrics = try await HTTP.send("GET", base.appendingPathComponent("metrics")).text
        // Entries for calls on a traveller name the traveller's case.
        let onTravellers = try await AuditPages.all(at: base).filter { $0.path.hasPrefix("/travellers/") }
        #expect(!onTravellers.isEmpty && onTravellers.allSatisfy { entry in
            entry.caseID.map { entry.path.hasPrefix("/travellers/\($0)-T") } ?? false
        }, "\(onTravellers.map { "\($0.path) \($0.caseID ?? "-")" })")
        await health.child.stop()
        let log = health.child.log
        #expect(log.split(separator: "\n").count > 20, "the log was scanned, at debug level")
        for marker in markers {
            #expect(!everything.contains(marker), "\(marker) on a topic")
            #expect(!log.contains(marker), "\(marker) in the log")
            #expect(!metrics.contains(marker), "\(marker) in the metrics")
        }
        #expect(!everything.contains("MEDMARK") && !log.contains("MEDMARK"))

        // What it did publish is the catalogue's, and valid.
        let registry = EventRegistry(EventCatalogue.published(by: .healthScreening))
        let types = Dictionary(grouping: try published.compactMap { try registry.decode($0.value, key: $0.keyString)?.type.name }, by: { $0 }).mapValues(\.count)
        #expect(types["health-screening.screening-opened"] == 40)
        #expect(types["health-screening.clearance-issued"] == 20)
        #expect(types["health-screening.hold-placed"] == 10)
        #expect(types["health-screening.clearance-refused"] == 10)
        #expect(types["health-screening.pre-embarkation-check-done"] == 1)
        let (status, output) = try checkAgainstEventSchemas(published.map(\.value))
        #expect(status == 0, "published events break their schemas: \(output)")
        await producer.close()
    }
}
