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

    /// `c (m x n) = aᵀ · b` for row-major `a (k x m)` and `b (k x n)`, `Float`.
    static func sgemmAtB(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
                         m: Int, n: Int, k: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else { c.update(repeating: 0, count: m * n); return }
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, blas(m), blas(n), blas(k),
                    1, a, blas(m), b, blas(n), 0, c, blas(n))
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

/// Thread control of the BLAS underneath the lab (OpenBLAS).
public enum BLASThreads {
    /// Sets how many threads one BLAS call may use. Belay runs its own work in parallel (experiments, students),
    /// so it asks for one thread per call unless `OPENBLAS_NUM_THREADS` says otherwise; OpenBLAS reads that variable
    /// only when it loads, which is why this call exists.
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads one BLAS call may use now.
    public static var current: Int { Int(openblas_get_num_threads()) }
}
