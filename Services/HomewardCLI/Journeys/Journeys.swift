/// The scripted journeys.
public enum Journeys {
    /// The ten journeys, one instance each, with seed 0, in the order of the brief:
    /// single adult to closure; family with a wheelchair and an escort; designated country
    /// of origin; abandoned claim; withdrawal after booking; revocation; hold and rebook;
    /// clearance lapse; no-show; refusals.
    public static var all: [any Journey] { all(seed: 0) }

    /// The ten journeys with `seed`: instances with different seeds register different
    /// people, so they can run at once on one stack.
    public static func all(seed: Int) -> [any Journey] {
        [
            SingleAdultJourney(seed: seed),
            FamilyWithNeedsJourney(seed: seed),
            DesignatedCountryJourney(seed: seed),
            AbandonedClaimJourney(seed: seed),
            WithdrawalAfterBookingJourney(seed: seed),
            RevocationJourney(seed: seed),
            HoldAndRebookJourney(seed: seed),
            ClearanceLapseJourney(seed: seed),
            NoShowJourney(seed: seed),
            RefusalsJourney(seed: seed),
        ]
    }

    /// The nine journeys that run at any hour: ``all(seed:)`` without
    /// ``ClearanceLapseJourney``, which needs 00:00 UTC to come within minutes.
    public static func anyHour(seed: Int) -> [any Journey] {
        all(seed: seed).filter { !($0 is ClearanceLapseJourney) }
    }

    /// The journeys `homeward demo` drives: the family of four through departure and
    /// arrival, then a single adult from intake to closure.
    public static var demo: [any Journey] { [FamilyWithNeedsJourney(seed: 0), SingleAdultJourney(seed: 0)] }

    /// Environment the services need for every journey to pass quickly: health's lapse
    /// sweep every second (``ClearanceLapseJourney`` waits for it; the default, 60 s,
    /// works too, only slower), and ``compressedSchedule``.
    public static let requiredEnvironment = ["HEALTH_LAPSE_SWEEP_SECONDS": "1"].merging(compressedSchedule) { $1 }

    /// The journeys fly a family in seconds on flights scheduled a day or more ahead, so
    /// travel booking must accept a departure and an arrival up to 30 days before the
    /// schedule says (its default: 2 hours). The local stack and the tests' services run so;
    /// a deployment keeps the default.
    public static let compressedSchedule = ["TRAVEL_DEPARTURE_EARLY_MINUTES": "43200", "TRAVEL_ARRIVAL_EARLY_MINUTES": "43200"]
}
