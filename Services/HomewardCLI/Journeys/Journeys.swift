/// The scripted journeys.
public enum Journeys {
    /// The eleven journeys with `seed`, in the order of the brief: single adult to closure;
    /// family with a wheelchair and an escort; designated country of origin; abandoned
    /// claim; withdrawal after booking; revocation; hold and rebook; clearance lapse;
    /// no-show; refusals; then a late entry (reintegration alone). Instances with different seeds register different people, so
    /// they can run at once on one stack.
    public static func all(seed: Int) -> [Journey] {
        [
            .singleAdult(seed: seed),
            .familyWithNeeds(seed: seed),
            .designatedCountry(seed: seed),
            .abandonedClaim(seed: seed),
            .withdrawalAfterBooking(seed: seed),
            .revocation(seed: seed),
            .holdAndRebook(seed: seed),
            .clearanceLapse(seed: seed),
            .noShow(seed: seed),
            .refusals(seed: seed),
            .lateEntry(seed: seed),
        ]
    }

    /// The ten journeys that run at any hour: ``all(seed:)`` without
    /// ``Journey/clearanceLapse(seed:maximumWaitForLapse:)``, which needs 00:00 UTC to come within minutes.
    public static func anyHour(seed: Int) -> [Journey] {
        all(seed: seed).filter(\.atAnyHour)
    }

    /// Environment the services need for every journey to pass quickly: health's lapse
    /// sweep every second (``Journey/clearanceLapse(seed:maximumWaitForLapse:)`` waits for it; the default, 60 s,
    /// works too, only slower), and ``compressedSchedule``.
    public static let requiredEnvironment = ["HEALTH_LAPSE_SWEEP_SECONDS": "1"].merging(compressedSchedule) { $1 }

    /// The journeys fly a family in seconds on flights scheduled a day or more ahead, so
    /// travel booking must accept a departure and an arrival up to 30 days before the
    /// schedule says (its default: 2 hours). The local stack and the tests' services run so;
    /// a deployment keeps the default.
    public static let compressedSchedule = ["TRAVEL_DEPARTURE_EARLY_MINUTES": "43200", "TRAVEL_ARRIVAL_EARLY_MINUTES": "43200"]
}
