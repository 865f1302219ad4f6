// Elementary functions from the platform C library, so BelayLab needs no Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Double {
    /// e raised to this value.
    var exp: Double { cExp(self) }
    /// The natural logarithm of this value.
    var log: Double { cLog(self) }
}

@inline(__always) private func cExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func cLog(_ x: Double) -> Double { log(x) }
