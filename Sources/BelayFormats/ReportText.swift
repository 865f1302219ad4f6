/// How numbers and lists read in every route's reports, so that the same figure is written the same way.
public enum ReportText {
    /// A figure with three decimals: `0.734`, `-1.000`; `nan` when not finite.
    public static func fixed3(_ x: Double) -> String {
        guard x.isFinite else { return "nan" }
        let scaled = Int64((x * 1000).rounded())
        let sign = scaled < 0 ? "-" : ""
        let a = abs(scaled)
        let frac = String(a % 1000)
        return "\(sign)\(a / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    /// A share as a percentage to a tenth: `5%`, `97.3%`.
    public static func percent(_ x: Double) -> String {
        let tenths = (x * 1000).rounded() / 10
        return (tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)) + "%"
    }

    /// "3 rows", "1 row".
    public static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// "a, b, c and 4 more": at most `limit` items.
    public static func listSome(_ items: [String], limit: Int = 5) -> String {
        if items.count <= limit { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }
}
