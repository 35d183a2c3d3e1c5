import Foundation

/// Made-up people for journeys: realistic names for each country of return, and dates of
/// birth that differ by seed, so instances with different seeds never register the same
/// person. Ages are exact in completed years whatever the time zone: every birthday is at
/// least ten days from today.
public struct People: Sendable {
    let seed: Int
    /// Today's UTC date on the stack's clock, `YYYY-MM-DD`.
    let today: Date

    struct Names {
        let women: [String]
        let men: [String]
        let families: [String]
        let language: String
    }

    static let names: [String: Names] = [
        "CO": Names(women: ["Lucía", "Valentina", "Camila", "Mariana", "Daniela", "Paola", "Carolina", "Andrea", "Luz Marina", "Gloria"],
                    men: ["Andrés", "Santiago", "Juan Pablo", "Felipe", "Camilo", "Mateo", "Sebastián", "Julián", "Hernán", "Jairo"],
                    families: ["Mendoza", "Restrepo", "Gómez", "Ramírez", "Cárdenas", "Ospina", "Zapata", "Henao", "Castaño", "Londoño", "Arango", "Valencia"],
                    language: "es"),
        "MX": Names(women: ["Guadalupe", "Mariana", "Fernanda", "Ximena", "Alejandra", "Itzel", "Rosario", "Verónica"],
                    men: ["José Luis", "Alejandro", "Ricardo", "Emiliano", "Diego", "Ramiro", "Octavio", "Jesús"],
                    families: ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Sánchez", "Torres", "Flores", "Vázquez", "Cruz", "Morales"],
                    language: "es"),
        "HU": Names(women: ["Katalin", "Erzsébet", "Éva", "Zsófia", "Anna", "Ilona", "Mónika", "Krisztina"],
                    men: ["László", "István", "Gábor", "Attila", "Zoltán", "Sándor", "Tibor", "József"],
                    families: ["Balogh", "Lakatos", "Horváth", "Orsós", "Kolompár", "Rostás", "Farkas", "Oláh", "Sárközi", "Nagy", "Kovács", "Szabó"],
                    language: "hu"),
        "HN": Names(women: ["María José", "Dania", "Karla", "Suyapa", "Xiomara", "Glenda", "Iris", "Yolani"],
                    men: ["Carlos", "Wilmer", "Josué", "Marvin", "Elvin", "Denis", "Edwin", "Nelson"],
                    families: ["Mejía", "Rodríguez", "Zelaya", "Castillo", "Reyes", "Maradiaga", "Banegas", "Aguilar", "Ordóñez", "Paz", "Cruz", "Lagos"],
                    language: "es"),
    ]

    /// The family name every member of this seed's family shares.
    func familyName(_ country: String, salt: Int = 0) -> String {
        let list = Self.names[country]!.families
        return list[(seed &* 7 &+ salt) % list.count]
    }

    /// A person `years` old (completed years, `years` through `years + spread - 1` by seed).
    ///
    /// - Parameters:
    ///   - slot: which member of the family (0 the principal), so that two members of one
    ///     family never share given name and birth date.
    func person(_ country: String, sex: String, years: Int, spread: Int = 1, relationship: String, slot: Int,
                familyName: String? = nil) -> Person {
        let names = Self.names[country]!
        let givens = sex == "female" ? names.women : names.men
        let given = givens[(seed &* 3 &+ slot &* 5) % givens.count]
        let span = max(1, spread)
        let age = years + (seed % span)
        // 10...344 days since the last birthday: unique per seed for seeds < 335 * span.
        let sinceBirthday = 10 + ((seed / span) &* 1 &+ slot &* 97) % 335
        let born = Instants.day(yearsBefore: age, days: sinceBirthday, of: today)
        return Person(givenName: given, familyName: familyName ?? self.familyName(country), dateOfBirth: born, sex: sex, nationality: country,
                      relationship: relationship, languages: country == "HU" ? ["hu", "rom"] : [names.language])
    }
}
