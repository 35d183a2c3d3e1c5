import HomewardModel

extension LocalDate {
    /// The date `months` calendar months later (earlier when negative), on the same day of
    /// the month, or on the month's last day when that day does not exist there:
    /// 2026-01-31 + 1 month is 2026-02-28, 2024-02-29 + 12 months is 2025-02-28.
    ///
    /// Why clamp rather than roll over into the next month: a validity stated as "12
    /// months" must never end later than the month it names, so the clamped day is the
    /// one a person reading the rule expects, and it never grants extra days.
    ///
    /// The result must stay within years 1 to 9999, as for `adding(days:)`; the rules
    /// keep their month counts far inside that.
    func adding(months: Int) -> LocalDate {
        let monthsSinceYearOne = (year - 1) * 12 + (month - 1) + months
        // Floored division, so that negative counts step back across years correctly.
        let monthIndex = ((monthsSinceYearOne % 12) + 12) % 12
        let targetYear = 1 + (monthsSinceYearOne - monthIndex) / 12
        let targetMonth = monthIndex + 1
        // Days 28 and below exist in every month: try the same day, then the days before it.
        for candidate in stride(from: day, through: min(day, 28), by: -1) {
            if let date = LocalDate(year: targetYear, month: targetMonth, day: candidate) { return date }
        }
        preconditionFailure("\(self) + \(months) months leaves years 1 to 9999")
    }
}
