import BelayFormats
import Foundation

/// Small text helpers the route's files and reports share.
enum Route020Text {
    /// A figure with three decimals (``ReportText/fixed3(_:)``, as in every route).
    static func fixed3(_ x: Double) -> String { ReportText.fixed3(x) }

    /// A share as "5%" or "12.5%".
    static func percent(_ x: Double) -> String { ReportText.percent(x) }

    /// "3 rows", "1 row".
    static func plural(_ n: Int, _ word: String) -> String { ReportText.plural(n, word) }

    /// "a, b, c and 4 more".
    static func listSome(_ items: [String], limit: Int = 5) -> String { ReportText.listSome(items, limit: limit) }

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
