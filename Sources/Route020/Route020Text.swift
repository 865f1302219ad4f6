import Foundation
/// Small text helpers the route's files and reports share.
enum Route020Text {
    /// A figure with three decimals.
    static func fixed3(_ x: Double) -> String {
        guard x.isFinite else { return "nan" }
        let scaled = Int64((x * 1000).rounded())
        let sign = scaled < 0 ? "-" : ""
        let a = abs(scaled)
        let frac = String(a % 1000)
        return "\(sign)\(a / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    /// A share as "5%" or "12.5%".
    static func percent(_ x: Double) -> String {
        let tenths = (x * 1000).rounded() / 10
        return (tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)) + "%"
    }

    /// "3 rows", "1 row".
    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// "a, b, c and 4 more".
    static func listSome(_ items: [String], limit: Int = 5) -> String {
        if items.count <= limit { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }

    /// "3" for 3.0, "2.5" for 2.5.
    static func number(_ z: Double) -> String {
        z == z.rounded() && abs(z) < 1e6 ? String(Int(z)) : String(z)
    }

    /// A rate rounded to 1e-9, so that 0.15000000000000002 and 0.15 are the same rate.
    static func rateKey(_ rate: Double) -> Double { (rate * 1e9).rounded() / 1e9 }

    /// A class name as a student writes it, reduced to the route's classes where it clearly means one:
    /// `Cytoplasm`, `cytosol` → cytoplasm; `Membrane`, `membrane-bound` → membrane; `Secreted`, `extracellular` →
    /// secreted. Anything else is kept lower-cased (and will not be a class).
    static func normalizedLabel(_ raw: String) -> String {
        let l = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if l.hasPrefix("cyto") { return "cytoplasm" }
        if l.hasPrefix("membr") || l == "cell membrane" || l == "plasma membrane" { return "membrane" }
        if l.hasPrefix("secret") || l.hasPrefix("extracell") { return "secreted" }
        return l
    }
}
