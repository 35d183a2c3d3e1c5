import ArgumentParser
import Foundation
import HomewardClient
import HomewardModel
import ReintegrationAPI

/// `homeward referrals partners|save-partner|waiting|send|step`: a reintegration officer's
/// referrals to partners, from sending to the partner's answer and the end; a supervisor
/// keeps the partner directory.
struct ReferralsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referrals", abstract: "Refer cases to reintegration partners and record each step.",
        subcommands: [Partners.self, SavePartner.self, Waiting.self, Send.self, Step.self])

    static func client(_ services: ServiceURLs) async throws -> ReintegrationClient {
        ReintegrationClient(try await services.api(.reintegration, as: [.reintegrationOfficer]))
    }

    /// Prints the case's referrals, each with its steps.
    static func printReferrals(_ view: ReintegrationCaseView) {
        for referral in view.referrals {
            print("\(referral.referralID)  \(referral.partnerName) (\(referral.partnerID))  \(referral.service?.rawValue ?? "-")  \(referral.status.rawValue)")
            for step in referral.steps {
                print("  \(Instant.format(step.at).prefix(19).replacingOccurrences(of: "T", with: " "))  \(step.status.rawValue) by \(step.by)"
                      + (step.reason.map { ": \($0)" } ?? ""))
            }
        }
    }

    struct Partners: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "partners", abstract: "The partner directory.")
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            try await oneLine("referrals partners") {
                for p in try await ReferralsCommand.client(services).partners().partners {
                    print("\(p.partnerID.padding(toLength: 30, withPad: " ", startingAt: 0)) \(p.country)  \(p.active ? "active  " : "inactive")  \(p.name): "
                          + p.services.map(\.rawValue).joined(separator: ", "))
                }
            }
        }
    }

    struct SavePartner: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "save-partner",
                                                        abstract: "Add, change or deactivate a partner (supervisors); every replica sees it.")
        @Argument(help: "The partner's id, kebab-case (taller-pereira).") var partnerID: String
        @Option(help: "The organisation's name.") var name: String
        @Option(help: "The country it works in (ISO 3166-1 alpha-2).") var country: String
        @Option(name: .customLong("service"), help: "A service it offers (housing, job-placement, …); repeat for each.", transform: oneOf)
        var offered: [AssistanceCategory]
        @Flag(help: "It takes no new referrals.") var inactive = false
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            try await oneLine("referrals save-partner") {
                let client = ReintegrationClient(try await services.api(.reintegration, as: [.supervisor]))
                let p = try await client.savePartner(partnerID, PartnerInput(name: name, country: country, services: offered, active: !inactive))
                print("\(p.partnerID) saved: \(p.name), \(p.country), \(p.active ? "active" : "inactive"), \(p.services.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    struct Waiting: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "waiting", abstract: "Referrals waiting for the partner's answer, oldest first.")
        @Option(help: "At most this many (1–500).") var limit = 50
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            try await oneLine("referrals waiting") {
                let lines = try await ReferralsCommand.client(services).referrals("waiting", limit: limit)
                print("\(lines.referrals.count) referrals waiting\(lines.next == nil ? "" : " (more)")")
                for r in lines.referrals {
                    print("  \(Instant.format(r.sentAt).prefix(10))  \(r.caseID.rawValue)  \(r.referralID)  \(r.partnerName)  \(r.service?.rawValue ?? "-")")
                }
            }
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "Refer an open case to a partner for a service.")
        @Argument(help: "The case id (HW-…).") var caseID: String
        @Option(help: "The partner's id (homeward referrals partners).") var partner: String
        @Option(help: "The service: business-start-up, education, vocational-training, job-placement, housing, medical or psychosocial-support.",
                transform: oneOf) var service: AssistanceCategory
        @Option(help: "A note for the partner.") var note: String?
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            try await oneLine("referrals send") {
                let view = try await ReferralsCommand.client(services).refer(CaseID(caseID), ReferralInput(partnerID: partner, service: service, note: note))
                ReferralsCommand.printReferrals(view)
            }
        }
    }

    struct Step: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "step", abstract: "Record a referral's next step.")
        @Argument(help: "The case id (HW-…).") var caseID: String
        @Argument(help: "The referral id (HW-…-R…).") var referralID: String
        @Option(help: "accepted, declined, in-progress, completed or cancelled.", transform: oneOf) var status: ReferralStatus
        @Option(help: "Why it was declined (required then) or cancelled, or a note.") var reason: String?
        @OptionGroup var services: ServiceURLs

        func run() async throws {
            try await oneLine("referrals step") {
                let view = try await ReferralsCommand.client(services).referralStep(CaseID(caseID), referral: referralID,
                                                                                    ReferralStepInput(status: status, reason: reason))
                ReferralsCommand.printReferrals(view)
            }
        }
    }
}
