/// What an in-kind reintegration item funds.
public enum AssistanceCategory: String, Hashable, Codable, Sendable, ClosedSet {
    case businessStartUp = "business-start-up"
    case education
    case vocationalTraining = "vocational-training"
    case jobPlacement = "job-placement"
    case housing
    case medical
    case psychosocialSupport = "psychosocial-support"
}
