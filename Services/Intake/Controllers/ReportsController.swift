import Foundation
import HomewardAccess
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird

/// `GET /reports/5w?from=YYYY-MM&to=YYYY-MM&format=json|csv`: R4V's 5W template as the
/// office's configuration fills it, checked with R4V's quality rules before it is written.
struct ReportsController: Sendable {
    let stores: PartitionStores
    let configuration: FiveWConfiguration

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/reports/5w", roles: [.caseworker, .supervisor], query: ["from", "to", "format"], use: fiveW)
    }

    @Sendable func fiveW(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        func month(_ name: String) throws -> String {
            guard let text = query[Substring(name)].map(String.init) else {
                throw Problem(status: .badRequest, rule: "required", field: name, detail: "a month, YYYY-MM, is required")
            }
            guard text.count == 7, LocalDate(text + "-01") != nil else {
                throw Problem(status: .badRequest, rule: "invalid-query", field: name, detail: "a month, YYYY-MM")
            }
            return text
        }
        let from = try month("from")
        let to = try month("to")
        guard from <= to else { throw Problem(status: .badRequest, rule: "invalid-period", field: "to", detail: "'to' is before 'from'") }
        let format = query["format"].map(String.init) ?? "json"
        guard format == "json" || format == "csv" else {
            throw Problem(status: .badRequest, rule: "invalid-query", field: "format", detail: "json or csv")
        }
        // A person is in one case, so in one partition store: counted once across them.
        let activities = try await stores.readEach { db in try CaseRepository.activities(in: db) }.flatMap { $0 }
        let report = FiveWReport.build(activities, from: from, to: to, configuration: configuration)
        let failures = FiveWQuality.check(report)
        if let first = failures.first { throw Problem(first, of: failures.count) }
        if format == "csv" {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"5w-\(from)-\(to).csv\""],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: report.csv)))
        }
        return try context.responseEncoder.encode(report, from: request, context: context)
    }
}

extension Problem {
    /// 422 naming the first row that breaks a quality rule, the rule and the column; no
    /// report is written.
    init(_ failure: FiveWQuality.Failure, of count: Int) {
        let more = count > 1 ? " (\(count - 1) more \(count == 2 ? "failure" : "failures") after it)" : ""
        self.init(status: .unprocessableContent, rule: failure.rule.rawValue, field: "/rows/\(failure.row)/\(failure.field)",
                  detail: failure.detail + more, title: "The 5W report fails R4V's quality rules")
    }
}
