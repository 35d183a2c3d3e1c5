import Foundation
import HomewardModel
import TestSupport
import Testing

@testable import Intake
import IntakeAPI

// Instants (`utc`, `millis`, `date` of TestSupport) are written out in UTC. Toronto is UTC-5
// (EST) in winter and UTC-4 (EDT) in summer; in 2014 EDT ran from 9 March to 2 November.

private let toronto = TimeZone(identifier: "America/Toronto")!

/// A case the pilot accepts at the full tier; each test changes what it examines.
private func pilotCase(
    referredAt: Date = utc(2013, 4, 10, 14), firstContactAt: Date? = nil, residenceArea: String = "GTA",
    returnCountry: String = "CO", decidedOn: LocalDate? = date("2013-04-01"), leave: Bool = false,
    appeal: Bool = false, dco: Bool = false, withdrawn: Bool = false
) -> EligibilityFacts {
    EligibilityFacts(
        referredAt: referredAt, firstContactAt: firstContactAt ?? referredAt.addingTimeInterval(7_200),
        residenceArea: residenceArea, returnCountry: returnCountry, finalNegativeDecisionOn: decidedOn,
        leaveApplicationFiled: leave, appealFiled: appeal, designatedCountryOfOrigin: dco, claimWithdrawnOrAbandoned: withdrawn)
}

private enum Shipped {
    /// The repository's `Services/Intake/Programmes`, found from this file's path.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Services/Intake/Programmes")

    static func catalogue() throws -> ProgrammeCatalogue { try ProgrammeCatalogue.load(directory: directory) }
    static func pilot() throws -> Programme { try #require(try catalogue().programme("canada-gta-pilot")) }
    static func generic() throws -> Programme { try #require(try catalogue().programme("generic-avrr")) }
}

private func reason(_ rule: EligibilityDecision.Rule, in decision: EligibilityDecision) throws -> EligibilityDecision.Reason {
    try #require(decision.reasons.first { $0.rule == rule.rawValue })
}

/// A Toronto programme with only a window, for boundary tests around clock changes.
private func torontoProgramme(opensOn: String, closesOn: String) throws -> Programme {
    try Programme(
        id: "window-test", name: "Window test", currency: "CAD", timeZone: "America/Toronto",
        window: .init(opensOn: date(opensOn), closesOn: date(closesOn)),
        requiresFinalNegativeDecision: false, refusesWithdrawnOrAbandonedClaims: false,
        tiers: [.init(tier: .full, budgetMinor: 100)])
}

// MARK: - LocalDate

@Suite("LocalDate")
struct LocalDateTests {
    @Test("parses existing dates written YYYY-MM-DD", arguments: ["2012-06-29", "2000-02-29", "2016-02-29", "0001-01-01", "9999-12-31"])
    func parsesValid(text: String) throws {
        let parsed = try #require(LocalDate(text))
        #expect(parsed.description == text)
    }

    @Test(
        "refuses dates that do not exist and other forms",
        arguments: [
            "2001-02-29", "1900-02-29", "2100-02-29", "2012-13-01", "2012-00-10", "2012-04-31", "2012-06-00",
            "2012-06-32", "0000-01-01", "2012-6-29", "12-06-29", "2012/06/29", "20120629", "2012-06-29T00:00:00Z",
            " 2012-06-29", "2012-06-29 ", "", "+012-06-29", "2012-06-3a", "2012-0６-29", "-2012-06-2",
        ])
    func refusesInvalid(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test("components are validated the same way")
    func componentsValidated() {
        #expect(LocalDate(year: 2001, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2004, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2012, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test("Codable as the YYYY-MM-DD string; invalid strings fail to decode")
    func codable() throws {
        let encoded = try JSONEncoder().encode([date("2012-06-29")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["2012-06-29"]"#)
        #expect(try JSONDecoder().decode([LocalDate].self, from: encoded) == [date("2012-06-29")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["2001-02-29"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["2012-13-01"]"#.utf8)) }
    }

    @Test("orders by year, then month, then day")
    func ordering() {
        #expect(date("2012-06-29") < date("2012-06-30"))
        #expect(date("2012-06-30") < date("2012-07-01"))
        #expect(date("2012-12-31") < date("2013-01-01"))
        #expect(!(date("2013-01-01") < date("2013-01-01")))
        #expect([date("2015-03-31"), date("2012-06-29"), date("2013-01-10")].sorted().map(\.description)
            == ["2012-06-29", "2013-01-10", "2015-03-31"])
    }

    @Test("adds days across months, leap days and years")
    func addingDays() {
        #expect(date("2012-02-28").adding(days: 1) == date("2012-02-29"))
        #expect(date("2012-02-28").adding(days: 2) == date("2012-03-01"))
        #expect(date("2013-02-28").adding(days: 1) == date("2013-03-01"))
        #expect(date("2014-12-31").adding(days: 1) == date("2015-01-01"))
        #expect(date("2015-01-01").adding(days: -1) == date("2014-12-31"))
        #expect(date("2013-04-01").adding(days: 30) == date("2013-05-01"))
        #expect(date("2000-02-29").adding(days: 366) == date("2001-03-01"))
        #expect(date("2012-06-29").adding(days: 0) == date("2012-06-29"))
    }

    @Test("the UTC date of an instant agrees with Foundation's calendar from 1700 to 2200")
    func agreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        let gmt = calendar.timeZone
        let first = date("1700-03-01")
        // Day numbers relative to 1970-01-01, sampled every 37 days, plus a noon offset.
        for offset in stride(from: -98_000, through: 84_000, by: 37) {
            let instant = Date(timeIntervalSince1970: Double(offset) * 86_400 + 43_200)
            let parts = calendar.dateComponents([.year, .month, .day], from: instant)
            let expected = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
            let actual = LocalDate.containing(instant, in: gmt)
            #expect(actual == expected, "day \(offset)")
            #expect(actual >= first)
            #expect(date("1970-01-01").adding(days: offset) == actual, "day \(offset)")
        }
    }

    @Test("start and end of an ordinary Toronto day, summer and winter")
    func ordinaryDays() {
        #expect(millis(date("2012-06-29").start(in: toronto)) == millis(utc(2012, 6, 29, 4)))
        #expect(millis(date("2012-06-29").end(in: toronto)) == millis(utc(2012, 6, 30, 3, 59, 59, ms: 999)))
        #expect(millis(date("2014-01-15").start(in: toronto)) == millis(utc(2014, 1, 15, 5)))
        #expect(millis(date("2014-01-15").end(in: toronto)) == millis(utc(2014, 1, 16, 4, 59, 59, ms: 999)))
    }

    @Test("Toronto days when the clocks change are 23 and 25 hours long")
    func torontoClockChanges() {
        // 9 March 2014: 02:00 EST became 03:00 EDT.
        #expect(millis(date("2014-03-09").start(in: toronto)) == millis(utc(2014, 3, 9, 5)))
        #expect(millis(date("2014-03-09").end(in: toronto)) == millis(utc(2014, 3, 10, 3, 59, 59, ms: 999)))
        // 2 November 2014: 02:00 EDT became 01:00 EST.
        #expect(millis(date("2014-11-02").start(in: toronto)) == millis(utc(2014, 11, 2, 4)))
        #expect(millis(date("2014-11-02").end(in: toronto)) == millis(utc(2014, 11, 3, 4, 59, 59, ms: 999)))
        #expect(LocalDate.containing(utc(2014, 3, 10, 3, 59, 59, ms: 999), in: toronto) == date("2014-03-09"))
        #expect(LocalDate.containing(utc(2014, 3, 10, 4), in: toronto) == date("2014-03-10"))
        #expect(LocalDate.containing(utc(2014, 11, 3, 4, 59, 59, ms: 999), in: toronto) == date("2014-11-02"))
        #expect(LocalDate.containing(utc(2014, 11, 3, 5), in: toronto) == date("2014-11-03"))
    }

    @Test("a day whose midnight is skipped starts when the clocks change (Santiago, 11 September 2022)")
    func midnightSkipped() throws {
        let santiago = try #require(TimeZone(identifier: "America/Santiago"))
        // At 00:00 -04 the clocks went to 01:00 -03: the day starts at 04:00 UTC.
        #expect(millis(date("2022-09-11").start(in: santiago)) == millis(utc(2022, 9, 11, 4)))
        #expect(millis(date("2022-09-10").end(in: santiago)) == millis(utc(2022, 9, 11, 3, 59, 59, ms: 999)))
        #expect(LocalDate.containing(utc(2022, 9, 11, 4), in: santiago) == date("2022-09-11"))
    }

    @Test("a day whose midnight occurs twice starts at the first (Havana, 6 November 2022)")
    func midnightTwice() throws {
        let havana = try #require(TimeZone(identifier: "America/Havana"))
        // At 01:00 -04 the clocks went back to 00:00 -05: midnight came at 04:00 and 05:00 UTC.
        #expect(millis(date("2022-11-06").start(in: havana)) == millis(utc(2022, 11, 6, 4)))
        #expect(LocalDate.containing(utc(2022, 11, 6, 3, 59, 59, ms: 999), in: havana) == date("2022-11-05"))
        #expect(millis(date("2022-11-06").end(in: havana)) == millis(utc(2022, 11, 7, 4, 59, 59, ms: 999)))
    }

    @Test("age in completed years, on and around birthdays")
    func age() {
        let born = date("1990-06-15")
        #expect(born.age(on: date("1990-06-15")) == 0)
        #expect(born.age(on: date("2008-06-14")) == 17)
        #expect(born.age(on: date("2008-06-15")) == 18)
        #expect(born.age(on: date("2008-12-31")) == 18)
        #expect(born.age(on: date("2009-01-01")) == 18)
    }

    @Test("someone born on 29 February is a year older on 1 March in non-leap years")
    func ageLeapDay() {
        let born = date("2000-02-29")
        #expect(born.age(on: date("2001-02-28")) == 0)
        #expect(born.age(on: date("2001-03-01")) == 1)
        #expect(born.age(on: date("2004-02-28")) == 3)
        #expect(born.age(on: date("2004-02-29")) == 4)
        #expect(born.age(on: date("2018-02-28")) == 17)
        #expect(born.age(on: date("2018-03-01")) == 18)
    }
}

// MARK: - Rules

@Suite("Eligibility engine")
struct EligibilityEngineTests {
    @Test("an ordinary pilot case is eligible at the full tier, every rule listed in order")
    func eligibleCase() throws {
        let decision = EligibilityEngine.decide(pilotCase(), under: try Shipped.pilot())
        #expect(decision.eligible)
        #expect(decision.programmeID == "canada-gta-pilot")
        #expect(decision.reasons.map(\.rule) == EligibilityDecision.Rule.allCases.map(\.rawValue))
        #expect(decision.reasons.allSatisfy { $0.passed })
        #expect(decision.assistance == AssistanceGrant(tier: .full, budget: Money(amountMinor: 200_000, currency: "CAD")))
        #expect(decision.failedRules.isEmpty)
        #expect(decision.flags.isEmpty)
        #expect(try reason(.assistanceTier, in: decision).detail == "tier 2, full, applies (no leave application, no appeal): budget CAD 2,000.00")
    }

    // MARK: programme-window

    @Test("the window opens at 00:00 Toronto time on 29 June 2012, not a millisecond earlier")
    func windowOpens() throws {
        let pilot = try Shipped.pilot()
        let opening = utc(2012, 6, 29, 4)  // 00:00 EDT
        let inside = EligibilityEngine.decide(pilotCase(referredAt: opening, decidedOn: date("2012-06-20")), under: pilot)
        #expect(inside.eligible)
        let before = EligibilityEngine.decide(
            pilotCase(referredAt: opening.addingTimeInterval(-0.001), decidedOn: date("2012-06-20")), under: pilot)
        #expect(!before.eligible)
        #expect(before.failedRules == [.programmeWindow])
        #expect(try reason(.programmeWindow, in: before).detail == "referred on 2012-06-28, before the programme opened on 2012-06-29")
    }

    @Test("the window closes at 23:59:59.999 Toronto time on 31 March 2015")
    func windowCloses() throws {
        let pilot = try Shipped.pilot()
        let lastMoment = utc(2015, 4, 1, 3, 59, 59, ms: 999)  // 23:59:59.999 EDT on 31 March
        let inside = EligibilityEngine.decide(pilotCase(referredAt: lastMoment, decidedOn: date("2015-03-20")), under: pilot)
        #expect(inside.eligible)
        #expect(try reason(.programmeWindow, in: inside).detail == "referred on 2015-03-31, within the programme window 2012-06-29 to 2015-03-31")
        let after = EligibilityEngine.decide(pilotCase(referredAt: utc(2015, 4, 1, 4), decidedOn: date("2015-03-20")), under: pilot)
        #expect(!after.eligible)
        #expect(after.failedRules == [.programmeWindow])
        #expect(after.assistance == nil)
        #expect(try reason(.programmeWindow, in: after).detail == "referred on 2015-04-01, after the programme closed on 2015-03-31")
    }

    @Test("a window ending on the day the clocks go forward ends at 03:59:59.999 UTC, not 04:59")
    func windowAcrossSpringForward() throws {
        let programme = try torontoProgramme(opensOn: "2014-03-01", closesOn: "2014-03-09")
        let last = EligibilityEngine.decide(pilotCase(referredAt: utc(2014, 3, 10, 3, 59, 59, ms: 999)), under: programme)
        #expect(last.eligible)
        // 04:30 UTC is 00:30 EDT on 10 March; a fixed EST offset would call it 23:30 on the 9th.
        let next = EligibilityEngine.decide(pilotCase(referredAt: utc(2014, 3, 10, 4, 30)), under: programme)
        #expect(!next.eligible)
        #expect(try reason(.programmeWindow, in: next).detail == "referred on 2014-03-10, after the programme closed on 2014-03-09")
    }

    @Test("a window opening on the day the clocks go back opens at 04:00 UTC")
    func windowAcrossFallBack() throws {
        let programme = try torontoProgramme(opensOn: "2014-11-02", closesOn: "2014-11-02")
        #expect(EligibilityEngine.decide(pilotCase(referredAt: utc(2014, 11, 2, 4)), under: programme).eligible)
        #expect(!EligibilityEngine.decide(pilotCase(referredAt: utc(2014, 11, 2, 3, 59, 59, ms: 999)), under: programme).eligible)
        // The 25-hour day ends at 04:59:59.999 UTC on 3 November (23:59:59.999 EST).
        #expect(EligibilityEngine.decide(pilotCase(referredAt: utc(2014, 11, 3, 4, 59, 59, ms: 999)), under: programme).eligible)
        #expect(!EligibilityEngine.decide(pilotCase(referredAt: utc(2014, 11, 3, 5)), under: programme).eligible)
    }

    @Test("no window: referrals at any time pass")
    func noWindow() throws {
        let decision = EligibilityEngine.decide(pilotCase(referredAt: utc(2030, 1, 1)), under: try Shipped.generic())
        #expect(try reason(.programmeWindow, in: decision).passed)
        #expect(try reason(.programmeWindow, in: decision).detail == "the programme accepts referrals at any time")
    }

    // MARK: residence-area

    @Test("GTA residence passes in any letter case", arguments: ["GTA", "gta", "Gta"])
    func residenceInArea(area: String) throws {
        let decision = EligibilityEngine.decide(pilotCase(residenceArea: area), under: try Shipped.pilot())
        #expect(decision.eligible)
        #expect(try reason(.residenceArea, in: decision).detail == "resides in GTA, which the programme covers")
    }

    @Test("other areas fail, and the match is exact", arguments: ["Ottawa", "GTA ", "Greater Toronto Area", ""])
    func residenceOutside(area: String) throws {
        let decision = EligibilityEngine.decide(pilotCase(residenceArea: area), under: try Shipped.pilot())
        #expect(!decision.eligible)
        #expect(decision.failedRules == [.residenceArea])
    }

    @Test("no area list: any residence passes")
    func anyArea() throws {
        let decision = EligibilityEngine.decide(pilotCase(residenceArea: "Ottawa"), under: try Shipped.generic())
        #expect(try reason(.residenceArea, in: decision).passed)
    }

    // MARK: final-negative-decision

    @Test("the pilot requires a final negative decision")
    func decisionRequired() throws {
        let pilot = try Shipped.pilot()
        let absent = EligibilityEngine.decide(pilotCase(decidedOn: nil), under: pilot)
        #expect(!absent.eligible)
        #expect(absent.failedRules == [.finalNegativeDecision])
        #expect(absent.targetDepartureBy == nil)
        #expect(try reason(.finalNegativeDecision, in: absent).detail == "no final negative decision is recorded, and the programme requires one")
        let present = EligibilityEngine.decide(pilotCase(decidedOn: date("2013-04-01")), under: pilot)
        #expect(try reason(.finalNegativeDecision, in: present).detail == "final negative decision on 2013-04-01")
        #expect(present.eligible)
    }

    @Test("the generic programme does not require one")
    func decisionNotRequired() throws {
        let decision = EligibilityEngine.decide(pilotCase(decidedOn: nil), under: try Shipped.generic())
        #expect(decision.eligible)
        #expect(try reason(.finalNegativeDecision, in: decision).passed)
    }

    // MARK: claim-not-withdrawn-or-abandoned

    @Test("the pilot refuses withdrawn or abandoned claims; the generic programme accepts them")
    func withdrawnClaims() throws {
        let refused = EligibilityEngine.decide(pilotCase(withdrawn: true), under: try Shipped.pilot())
        #expect(!refused.eligible)
        #expect(refused.failedRules == [.claimNotWithdrawnOrAbandoned])
        #expect(try reason(.claimNotWithdrawnOrAbandoned, in: refused).detail == "the claim was withdrawn or abandoned, which the programme refuses")
        let accepted = EligibilityEngine.decide(pilotCase(withdrawn: true), under: try Shipped.generic())
        #expect(accepted.eligible)
        #expect(try reason(.claimNotWithdrawnOrAbandoned, in: accepted).detail == "the claim was withdrawn or abandoned, which the programme accepts")
    }

    // MARK: return-country-covered

    @Test("a programme listing return countries covers only those (code in any case)")
    func returnCountries() throws {
        let json = #"""
            { "id": "andean", "name": "Andean returns", "currency": "USD", "timeZone": "UTC",
              "returnCountries": ["CO", "EC", "PE"], "requiresFinalNegativeDecision": false,
              "refusesWithdrawnOrAbandonedClaims": false, "tiers": [{ "tier": "full", "budgetMinor": 100000 }] }
            """#
        let programme = try JSONDecoder().decode(Programme.self, from: Data(json.utf8))
        let covered = EligibilityEngine.decide(pilotCase(returnCountry: "co"), under: programme)
        #expect(covered.eligible)
        #expect(try reason(.returnCountryCovered, in: covered).detail == "the programme covers returns to CO")
        let uncovered = EligibilityEngine.decide(pilotCase(returnCountry: "HT"), under: programme)
        #expect(!uncovered.eligible)
        #expect(uncovered.failedRules == [.returnCountryCovered])
        #expect(try reason(.returnCountryCovered, in: uncovered).detail == "the programme does not cover returns to HT")
        #expect(try reason(.returnCountryCovered, in: EligibilityEngine.decide(pilotCase(returnCountry: "HT"), under: Shipped.pilot())).passed)
    }

    // MARK: assistance-tier

    @Test(
        "each pilot tier, first match wins",
        arguments: [
            // (designated country of origin, leave application, appeal) -> tier, budget
            (true, false, false, AssistanceTier.designatedCountryOfOrigin, Int64(50_000)),
            (true, true, true, .designatedCountryOfOrigin, 50_000),
            (false, false, false, .full, 200_000),
            (false, true, false, .reduced, 100_000),
            (false, false, true, .reduced, 50_000),
            (false, true, true, .reduced, 50_000),
        ])
    func pilotTiers(dco: Bool, leave: Bool, appeal: Bool, tier: AssistanceTier, budget: Int64) throws {
        let decision = EligibilityEngine.decide(pilotCase(leave: leave, appeal: appeal, dco: dco), under: try Shipped.pilot())
        #expect(decision.eligible)
        #expect(decision.assistance == AssistanceGrant(tier: tier, budget: Money(amountMinor: budget, currency: "CAD")))
    }

    @Test("a designated-country-of-origin claimant gets CAD 500, although the full tier's conditions also hold")
    func designatedCountryWinsOverFull() throws {
        let decision = EligibilityEngine.decide(pilotCase(dco: true), under: try Shipped.pilot())
        #expect(decision.assistance?.tier == .designatedCountryOfOrigin)
        #expect(try reason(.assistanceTier, in: decision).detail
            == "tier 1, designated-country-of-origin, applies (designated country of origin): budget CAD 500.00")
    }

    @Test("the generic programme's tiers: full, or travel only for designated countries of origin")
    func genericTiers() throws {
        let generic = try Shipped.generic()
        #expect(EligibilityEngine.decide(pilotCase(appeal: true), under: generic).assistance
            == AssistanceGrant(tier: .full, budget: Money(amountMinor: 150_000, currency: "EUR")))
        let travelOnly = EligibilityEngine.decide(pilotCase(dco: true), under: generic)
        #expect(travelOnly.eligible)
        #expect(travelOnly.assistance == AssistanceGrant(tier: .travelOnly, budget: Money(amountMinor: 0, currency: "EUR")))
        #expect(try reason(.assistanceTier, in: travelOnly).detail == "tier 2, travel-only, applies (any case): budget EUR 0.00")
    }

    @Test("no matching tier: not eligible, reason assistance-tier, no grant")
    func noTier() throws {
        let programme = try Programme(
            id: "early-only", name: "Early applicants only", currency: "CAD", timeZone: "America/Toronto",
            requiresFinalNegativeDecision: false, refusesWithdrawnOrAbandonedClaims: false,
            tiers: [.init(tier: .full, when: .init(leaveApplicationFiled: false, appealFiled: false), budgetMinor: 200_000)])
        let decision = EligibilityEngine.decide(pilotCase(appeal: true), under: programme)
        #expect(!decision.eligible)
        #expect(decision.assistance == nil)
        #expect(decision.targetDepartureBy == nil)
        let tier = try reason(.assistanceTier, in: decision)
        #expect(!tier.passed)
        #expect(tier.detail == "no assistance tier of the programme applies to a case with not a designated country of origin, no leave application, appeal filed")
        // The shared contract gains the kind only when EligibilityRule has the case.
        let expected = EligibilityRule(rawValue: "assistance-tier").map { [$0] } ?? []
        #expect(decision.failedRules == expected)
        #expect(EligibilityEngine.decide(pilotCase(), under: programme).eligible)
    }

    // MARK: Contact and departure target

    @Test("first contact exactly 24 hours after referral is not flagged; a millisecond later is")
    func contactWindow() throws {
        let pilot = try Shipped.pilot()
        let referred = utc(2013, 4, 10, 14, 0, 0, ms: 123)
        let onTime = EligibilityEngine.decide(pilotCase(referredAt: referred, firstContactAt: utc(2013, 4, 11, 14, 0, 0, ms: 123)), under: pilot)
        #expect(onTime.flags.isEmpty)
        let late = EligibilityEngine.decide(pilotCase(referredAt: referred, firstContactAt: utc(2013, 4, 11, 14, 0, 0, ms: 124)), under: pilot)
        #expect(late.flags == [.lateContact])
        #expect(late.eligible, "late contact is flagged, not refused")
    }

    @Test("the contact window counts elapsed hours, across the spring clock change too")
    func contactWindowAcrossClockChange() throws {
        let pilot = try Shipped.pilot()
        // 12:00 EST on 8 March 2014 to 13:00 EDT on 9 March: 24 hours elapsed, 25 on the wall clock.
        let referred = utc(2014, 3, 8, 17)
        #expect(EligibilityEngine.decide(pilotCase(referredAt: referred, firstContactAt: utc(2014, 3, 9, 17), decidedOn: date("2014-03-01")), under: pilot).flags.isEmpty)
        #expect(EligibilityEngine.decide(pilotCase(referredAt: referred, firstContactAt: utc(2014, 3, 9, 17, 0, 0, ms: 1), decidedOn: date("2014-03-01")), under: pilot).flags == [.lateContact])
    }

    @Test("without a contact window nothing is flagged")
    func noContactWindow() throws {
        let decision = EligibilityEngine.decide(
            pilotCase(firstContactAt: utc(2013, 6, 1)), under: try Shipped.generic())
        #expect(decision.flags.isEmpty)
    }

    @Test("target departure: the end of the 30th Toronto day after the decision")
    func targetDeparture() throws {
        let pilot = try Shipped.pilot()
        // 2013-04-01 + 30 days = 2013-05-01, ending 23:59:59.999 EDT.
        let summer = EligibilityEngine.decide(pilotCase(decidedOn: date("2013-04-01")), under: pilot)
        #expect(millis(summer.targetDepartureBy) == millis(utc(2013, 5, 2, 3, 59, 59, ms: 999)))
        // 2014-10-15 + 30 days = 2014-11-14, after the clocks went back: 23:59:59.999 EST.
        let winter = EligibilityEngine.decide(pilotCase(referredAt: utc(2014, 10, 20, 15), decidedOn: date("2014-10-15")), under: pilot)
        #expect(millis(winter.targetDepartureBy) == millis(utc(2014, 11, 15, 4, 59, 59, ms: 999)))
    }

    @Test("no target departure without a decision date, without a configured target, or when not eligible")
    func noTargetDeparture() throws {
        let generic = try Shipped.generic()
        #expect(EligibilityEngine.decide(pilotCase(decidedOn: nil), under: generic).targetDepartureBy == nil)
        #expect(EligibilityEngine.decide(pilotCase(decidedOn: date("2013-04-01")), under: generic).targetDepartureBy == nil)
        #expect(EligibilityEngine.decide(pilotCase(residenceArea: "Ottawa"), under: try Shipped.pilot()).targetDepartureBy == nil)
    }

    // MARK: The decision as a whole

    @Test("every failing rule is listed, in order, with every rule still evaluated")
    func everyFailureListed() throws {
        let decision = EligibilityEngine.decide(
            pilotCase(referredAt: utc(2016, 1, 5, 15), residenceArea: "Montreal", decidedOn: nil, withdrawn: true),
            under: try Shipped.pilot())
        #expect(!decision.eligible)
        #expect(decision.reasons.map(\.rule) == EligibilityDecision.Rule.allCases.map(\.rawValue))
        #expect(decision.reasons.map(\.passed) == [false, false, false, false, true, true])
        #expect(decision.failedRules == [.programmeWindow, .residenceArea, .finalNegativeDecision, .claimNotWithdrawnOrAbandoned])
        #expect(decision.assistance == nil)
    }

    @Test("the generic programme accepts a case the pilot refuses")
    func genericAcceptsWhatPilotRefuses() throws {
        let facts = pilotCase(referredAt: utc(2016, 1, 5, 15), residenceArea: "Montreal", decidedOn: nil, appeal: true, withdrawn: true)
        let pilot = EligibilityEngine.decide(facts, under: try Shipped.pilot())
        #expect(!pilot.eligible)
        let generic = EligibilityEngine.decide(facts, under: try Shipped.generic())
        #expect(generic.eligible)
        #expect(generic.programmeID == "generic-avrr")
        #expect(generic.assistance == AssistanceGrant(tier: .full, budget: Money(amountMinor: 150_000, currency: "EUR")))
    }

    @Test("a decision round-trips through JSON")
    func decisionCodable() throws {
        let decision = EligibilityEngine.decide(pilotCase(firstContactAt: utc(2013, 4, 12)), under: try Shipped.pilot())
        #expect(decision.flags == [.lateContact])
        let decoded = try JSONDecoder().decode(EligibilityDecision.self, from: JSONEncoder().encode(decision))
        #expect(decoded == decision)
    }

    @Test("amounts are written with the currency's minor unit, independent of locale")
    func amounts() {
        #expect(EligibilityEngine.format(minor: 200_000, currency: "CAD") == "CAD 2,000.00")
        #expect(EligibilityEngine.format(minor: 5, currency: "EUR") == "EUR 0.05")
        #expect(EligibilityEngine.format(minor: 123_456_789, currency: "USD") == "USD 1,234,567.89")
        #expect(EligibilityEngine.format(minor: 50_000, currency: "JPY") == "JPY 50,000")
        #expect(EligibilityEngine.format(minor: 1_500, currency: "KWD") == "KWD 1.500")
    }
}

// MARK: - Catalogue

@Suite("Programme catalogue")
struct ProgrammeCatalogueTests {
    @Test("loads the shipped pilot as configured")
    func shippedPilot() throws {
        let catalogue = try Shipped.catalogue()
        #expect(catalogue.programme("generic-avrr") != nil)
        #expect(catalogue.programme("no-such-programme") == nil)
        let pilot = try Shipped.pilot()
        #expect(pilot.currency == "CAD")
        #expect(pilot.timeZone == "America/Toronto")
        #expect(pilot.calendarTimeZone == toronto)
        #expect(pilot.window == Programme.Window(opensOn: date("2012-06-29"), closesOn: date("2015-03-31")))
        #expect(pilot.residenceAreas == ["GTA"])
        #expect(pilot.returnCountries == nil)
        #expect(pilot.requiresFinalNegativeDecision)
        #expect(pilot.refusesWithdrawnOrAbandonedClaims)
        #expect(pilot.contactWithinHours == 24)
        #expect(pilot.targetDepartureDaysAfterDecision == 30)
        #expect(pilot.tiers.map(\.tier) == [.designatedCountryOfOrigin, .full, .reduced, .reduced])
        #expect(pilot.tiers.map(\.budgetMinor) == [50_000, 200_000, 100_000, 50_000])
        #expect(pilot.notes?.contains("placeholder") == true)
    }

    @Test("a programme survives encoding and decoding")
    func programmeRoundTrip() throws {
        let pilot = try Shipped.pilot()
        let decoded = try JSONDecoder().decode(Programme.self, from: JSONEncoder().encode(pilot))
        #expect(decoded == pilot)
    }

    /// A valid programme file as (key, JSON value) pairs; tests change one thing at a time.
    static let valid: [(key: String, json: String)] = [
        ("id", #""test-programme""#), ("name", #""Test""#), ("currency", #""CAD""#), ("timeZone", #""America/Toronto""#),
        ("window", #"{ "opensOn": "2012-06-29", "closesOn": "2015-03-31" }"#),
        ("requiresFinalNegativeDecision", "true"), ("refusesWithdrawnOrAbandonedClaims", "true"),
        ("tiers", #"[{ "tier": "full", "budgetMinor": 200000 }]"#),
    ]

    /// The valid file with `key` set to `json` (added when absent, removed when `nil`).
    static func with(_ key: String, _ json: String?) -> String {
        var fields = valid.filter { $0.key != key }
        if let json { fields.append((key, json)) }
        return "{\n" + fields.map { "  \"\($0.key)\": \($0.json)" }.joined(separator: ",\n") + "\n}\n"
    }

    static func write(_ text: String, named name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    static func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("programmes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    @Test("a valid file loads, and other files in the directory are ignored")
    func validFile() throws {
        try Self.withDirectory { directory in
            try Self.write(Self.with("id", #""test-programme""#), named: "test.json", in: directory)
            try Data("not a programme".utf8).write(to: directory.appendingPathComponent("README.md"))
            let catalogue = try ProgrammeCatalogue.load(directory: directory)
            #expect(Array(catalogue.programmes.keys) == ["test-programme"])
        }
    }

    @Test(
        "bad files are refused with the file and the problem named",
        arguments: [
            ("unknown-tier.json", with("tiers", #"[{ "tier": "generous", "budgetMinor": 1 }]"#), "tiers[0].tier"),
            ("bad-date.json", with("window", #"{ "opensOn": "2012-06-29", "closesOn": "2015-02-29" }"#), "window.closesOn: not a calendar date"),
            ("bad-zone.json", with("timeZone", #""America/Torronto""#), #"timeZone: unknown time zone "America/Torronto""#),
            ("abbreviated-zone.json", with("timeZone", #""EST""#), #"unknown time zone "EST""#),
            ("empty-tiers.json", with("tiers", "[]"), "tiers: is empty"),
            ("misspelt.json", with("tiers", #"[{ "tier": "full", "when": { "apealFiled": true }, "budgetMinor": 1 }]"#), "tiers[0].when.apealFiled: is not a known key"),
            ("extra-key.json", with("windows", #""always""#), "windows: is not a known key"),
            ("unreachable.json", with("tiers", #"[{ "tier": "full", "budgetMinor": 2 }, { "tier": "reduced", "when": { "appealFiled": true }, "budgetMinor": 1 }]"#), "tiers[1]: reduced can never apply"),
            ("reversed.json", with("window", #"{ "opensOn": "2015-03-31", "closesOn": "2012-06-29" }"#), "window: closesOn 2012-06-29 is before opensOn 2015-03-31"),
            ("travel-budget.json", with("tiers", #"[{ "tier": "travel-only", "budgetMinor": 100 }]"#), "tiers[0].budgetMinor: must be 0"),
            ("negative.json", with("tiers", #"[{ "tier": "full", "budgetMinor": -1 }]"#), "tiers[0].budgetMinor: must not be negative"),
            ("fraction.json", with("tiers", #"[{ "tier": "full", "budgetMinor": 1.5 }]"#), "tiers[0].budgetMinor: must be a whole number"),
            ("huge.json", with("tiers", #"[{ "tier": "full", "budgetMinor": 99999999999999999999 }]"#), "tiers[0].budgetMinor: must be a whole number"),
            ("days.json", with("targetDepartureDaysAfterDecision", "30.5"), "targetDepartureDaysAfterDecision: must be a whole number"),
            ("currency.json", with("currency", #""cad""#), "currency: must be an ISO 4217 code"),
            ("country.json", with("returnCountries", #"["COL"]"#), "returnCountries[0]"),
            ("no-areas.json", with("residenceAreas", "[]"), "residenceAreas: is empty"),
            ("bad-id.json", with("id", #""Canada GTA""#), "id: must be lower-case"),
            ("contact.json", with("contactWithinHours", "0"), "contactWithinHours"),
            ("missing.json", with("currency", nil), "currency: is missing"),
            ("wrong-type.json", with("requiresFinalNegativeDecision", #""yes""#), "requiresFinalNegativeDecision: has the wrong type"),
            ("null.json", with("name", "null"), "name: is null"),
        ])
    func badFiles(name: String, text: String, problem: String) throws {
        let error = try Self.withDirectory { directory in
            try Self.write(text, named: name, in: directory)
            return try #require(throws: ProgrammeCatalogue.LoadError.self) { try ProgrammeCatalogue.load(directory: directory) }
        }
        #expect(error.file == name)
        #expect(error.problem.contains(problem), "\(error)")
        #expect(error.description.contains(name))
    }

    @Test("a file that is not JSON is refused by name")
    func notJSON() throws {
        try Self.withDirectory { directory in
            try Self.write(Self.with("id", #""test-programme""#), named: "a.json", in: directory)
            try Data("{ \"id\": ".utf8).write(to: directory.appendingPathComponent("broken.json"))
            let error = try #require(throws: ProgrammeCatalogue.LoadError.self) { try ProgrammeCatalogue.load(directory: directory) }
            #expect(error.file == "broken.json")
        }
    }

    @Test("two files with the same programme id are refused, naming both")
    func duplicateIDs() throws {
        try Self.withDirectory { directory in
            try Self.write(Self.with("id", #""test-programme""#), named: "a.json", in: directory)
            try Self.write(Self.with("name", #""Copy""#), named: "b.json", in: directory)
            let error = try #require(throws: ProgrammeCatalogue.LoadError.self) { try ProgrammeCatalogue.load(directory: directory) }
            #expect(error.file == "b.json")
            #expect(error.problem == "programme id \"test-programme\" is already defined by a.json")
        }
    }

    @Test("a directory without programmes, or no directory, is refused")
    func emptyDirectory() throws {
        try Self.withDirectory { directory in
            #expect(throws: ProgrammeCatalogue.LoadError.self) { try ProgrammeCatalogue.load(directory: directory) }
            #expect(throws: ProgrammeCatalogue.LoadError.self) {
                try ProgrammeCatalogue.load(directory: directory.appendingPathComponent("absent"))
            }
        }
    }
}
