// The few BLAS calls BelayLab makes, behind Swift signatures (OpenBLAS through the CBLAS module).
internal import CBLAS

enum BLAS {
    /// `c (m x n) = a (m x k) * b (n x k)^T`, all row-major `Float`: the dot product of every row of `a`
    /// with every row of `b`.
    static func gemmABt(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
                        m: Int, n: Int, k: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else { c.update(repeating: 0, count: m * n); return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blas(m), blas(n), blas(k),
                    1, a, blas(k), b, blas(k), 0, c, blas(n))
    }

    /// Upper triangle (including the diagonal) of `c (n x n) = a (n x k) * a^T`, row-major `Float`.
    static func syrkUpper(_ a: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, n: Int, k: Int) {
        guard n > 0 else { return }
        guard k > 0 else { c.update(repeating: 0, count: n * n); return }
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, blas(n), blas(k), 1, a, blas(k), 0, c, blas(n))
    }

    /// `c (m x n) = alpha * op(a) * op(b) + beta * c` in `Double`, row-major; `op` transposes when asked.
    /// `a` is stored `m x k` (or `k x m` when `transA`), `b` is stored `k x n` (or `n x k` when `transB`).
    static func dgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double = 1,
                      _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, beta: Double = 0,
                      into c: UnsafeMutablePointer<Double>) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            for i in 0..<(m * n) { c[i] *= beta }
            return
        }
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blas(m), blas(n), blas(k), alpha, a, blas(transA ? m : k), b, blas(transB ? k : n),
                    beta, c, blas(n))
    }

    private static func blas(_ x: Int) -> blasint {
        precondition(x <= Int(blasint.max), "matrix dimension \(x) exceeds the BLAS integer range")
        return blasint(x)
    }
}
