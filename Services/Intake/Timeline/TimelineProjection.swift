import Foundation
import GRDB
import HomewardModel
import HomewardRuntime

/// Turns the other services' events into the case's timeline, its stage and status, and
/// the per-person activity the 5W report counts. Intake learns outcomes, never health
/// details: events carry none.
enum TimelineProjection {
    static let handledEvents: [any EventPayload.Type] = ServiceName.intake.consumes

    static func apply(_ event: ReceivedEvent, in db: Database) throws {
        let caseID = event.caseID
        guard let state = try CaseRepository.state(caseID, in: db) else {
            throw EventRejected("an event for a case intake has not registered")
        }
        let actor = event.type.name.split(separator: ".").first.map(String.init) ?? "unknown"
        func step(_ name: String, _ outcome: String, at: Date? = nil) throws {
            try CaseRepository.appendTimeline(caseID, at: at ?? event.time, actor: actor, step: name, outcome: outcome, eventID: event.id, in: db)
        }
        // Only forward: travel's and reintegration's topics are not ordered against each
        // other, so a departure may arrive after the reintegration case opened.
        func stage(_ stage: CaseStage) throws {
            guard stage > state.stage else { return }
            try CaseRepository.update(caseID, set: "stage = ?", [stage.rawValue], now: event.time, in: db)
        }
        let p = event.payload
        switch p {
        case let e as ScreeningOpened:
            try step("screening-opened", "\(e.travellerID): \(e.kind.rawValue) screening")
            try CaseRepository.recordActivity(caseID, travellers: [e.travellerID], sector: .health, at: event.time, in: db)
        case let e as ClearanceIssued:
            let needs = e.travelRequirements.isEmpty ? "" : " (\(e.travelRequirements.map(\.rawValue).joined(separator: ", ")))"
            try step("cleared", "\(e.travellerID): \(e.outcome.rawValue)\(needs), valid until \(Instant.format(e.validUntil))")
        case let e as ClearanceLapsed:
            try step("clearance-lapsed", "\(e.travellerID): clearance lapsed on \(Instant.format(e.validUntil))")
        case let e as HoldPlaced:
            try step("on-hold", "\(e.travellerID): on hold until \(Instant.format(e.holdUntil))")
        case let e as ClearanceRefused:
            try step("not-cleared", "\(e.travellerID): not cleared to travel")
        case let e as PreEmbarkationCheckDone:
            try step("pre-embarkation-check", "\(e.travellerID): \(e.outcome.rawValue)")
        case let e as BookingProposed:
            try step("booking-proposed", "\(e.bookingID): departs \(Instant.format(e.departureAt))" + (e.rebookingOf.map { ", rebooking \($0)" } ?? ""))
            try CaseRepository.recordBooking(e.bookingID, of: caseID, status: "proposed", at: event.time, in: db)
            try stage(.travel)
        case let e as BookingConfirmed:
            try step("booked", "\(e.bookingID): \(e.travellerIDs.count) travellers, departs \(Instant.format(e.departureAt))")
            try CaseRepository.recordBooking(e.bookingID, of: caseID, status: "confirmed", at: event.time, in: db)
            try stage(.travel)
        case let e as BookingOnHold:
            try step("booking-on-hold", "\(e.bookingID): \(e.reason.rawValue)")
            try CaseRepository.recordBooking(e.bookingID, of: caseID, status: "on-hold", at: event.time, in: db)
        case let e as BookingCancelled:
            try step("booking-cancelled", "\(e.bookingID): \(e.reason.rawValue)")
            try CaseRepository.recordBooking(e.bookingID, of: caseID, status: "cancelled", at: event.time, in: db)
        case let e as Departed:
            let noShows = e.noShowTravellerIDs.isEmpty ? "" : ", no-shows: \(e.noShowTravellerIDs.map(\.rawValue).joined(separator: ", "))"
            try step("departed", "\(e.bookingID): \(e.travellerIDs.count) boarded\(noShows)", at: e.departedAt)
            if !e.travellerIDs.isEmpty { try CaseRepository.recordBooking(e.bookingID, of: caseID, status: "departed", at: event.time, in: db) }
            if !e.travellerIDs.isEmpty {
                try CaseRepository.update(caseID, set: "departed_at = COALESCE(departed_at, ?)", [e.departedAt.timeIntervalSince1970], now: event.time, in: db)
                try stage(.departed)
                try CaseRepository.recordActivity(caseID, travellers: e.travellerIDs, sector: .humanitarianTransportation, at: e.departedAt, in: db)
            }
        case let e as Arrived:
            try step("arrived", "\(e.travellerIDs.count) arrived at \(e.arrivalAirport), \(e.returnCountry)", at: e.arrivedAt)
            try CaseRepository.recordBooking(e.bookingID, of: caseID, status: "arrived", at: event.time, in: db)
        case let e as ReintegrationOpened:
            try step("reintegration-opened", "budget \(format(e.budget))")
            try stage(.reintegration)
            let travellers = try CaseRepository.travellers(caseID, in: db).map(\.travellerID)
            try CaseRepository.recordActivity(caseID, travellers: travellers, sector: .integration, at: event.time, in: db)
        case let e as PlanApproved:
            let total = e.items.reduce(Int64(0)) { $0 + $1.plannedAmount.amountMinor }
            let currency = e.items.first?.plannedAmount.currency ?? ""
            try step("plan-approved", "\(e.items.count) items, \(format(Money(amountMinor: total, currency: currency)))")
        case let e as AssistanceDisbursed:
            let what = e.reverses == nil ? "disbursed" : "reversed \(e.reverses!)"
            try step("disbursed", "\(e.category.rawValue): \(what) \(format(e.value))", at: e.deliveredAt)
        case let e as MonitoringRecorded:
            try step("monitoring-recorded", "composite score \(String(format: "%.2f", e.scores.composite))", at: e.visitedAt)
        case let e as ReintegrationClosed:
            try step("closed", "\(e.outcome.rawValue), \(format(e.totalDisbursed)) disbursed")
            try CaseRepository.update(caseID, set: "status = ?, stage = ?, ended_at = COALESCE(ended_at, ?)",
                                      [CaseStatus.closed.rawValue, CaseStage.closed.rawValue, event.time.timeIntervalSince1970], now: event.time, in: db)
        default:
            throw EventRejected("intake has no timeline step for \(event.type)")
        }
    }

    static func format(_ money: Money) -> String {
        let sign = money.amountMinor < 0 ? "-" : ""
        let units = abs(money.amountMinor)
        return "\(money.currency) \(sign)\(units / 100).\(String(format: "%02d", units % 100))"
    }
}
