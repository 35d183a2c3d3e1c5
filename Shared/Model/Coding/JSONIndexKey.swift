/// The coding key of an array element (`Index 3`), or `super` for a keyed container's
/// `superEncoder()`: what `JSONEncoder` puts in coding paths, so that errors name the same
/// place. The element's name is made only when asked (an error), not per element.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    private let name: String?

    var stringValue: String { name ?? "Index \(intValue ?? 0)" }

    init(index: Int) {
        intValue = index
        name = nil
    }

    init(stringValue: String) {
        intValue = nil
        name = stringValue
    }

    init(intValue: Int) {
        self.init(index: intValue)
    }

    static let `super` = JSONIndexKey(stringValue: "super")
}
