/// The figures journeys check against, as the services ship them in
/// `Services/Intake/Programmes/*.json` and `Services/HealthScreening/Rules/screening-rules.json`
/// (`ProgrammeFactsTests` fails when they differ).
public enum ProgrammeFacts {
    /// `generic-avrr`: EUR, a full in-kind budget of EUR 1,500 unless the person is from a
    /// designated country of origin (then travel only); no window, any area, no final
    /// negative decision needed, abandoned claims accepted.
    public static let generic = "generic-avrr"
    /// `canada-gta-pilot`: CAD, referrals from 29 June 2012 to 31 March 2015 (Toronto
    /// dates), residents of the GTA, a final negative decision required, withdrawn or
    /// abandoned claims refused, contact within 24 hours, departure target 30 days after
    /// the decision.
    public static let canadaPilot = "canada-gta-pilot"

    /// The generic programme's full tier, in euro cents.
    public static let genericFullBudgetMinor = 150_000
    /// The pilot's full tier (no leave application, no appeal), in Canadian cents.
    public static let pilotFullBudgetMinor = 200_000
    /// The pilot's designated-country-of-origin tier, in Canadian cents (CAD 500).
    public static let pilotDesignatedCountryBudgetMinor = 50_000

    /// Tests by age in completed years (`screening-rules.json`): chest X-ray from 11,
    /// urinalysis from 5, HIV and syphilis from 15, in the file's order.
    public static let testsFromAge: [(test: String, fromAge: Int)] = [
        ("chest-x-ray", 11), ("urinalysis", 5), ("hiv", 15), ("syphilis", 15),
    ]
    /// Months a clearance stays valid after the exam (through the same UTC day).
    public static let clearanceValidityMonths = 12

    /// The tests a traveller of `age` needs, in the rules file's order.
    public static func requiredTests(age: Int) -> [String] {
        testsFromAge.filter { age >= $0.fromAge }.map(\.test)
    }
}
