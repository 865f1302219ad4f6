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

    /// Upper triangle (including the diagonal) of `c (n x n) = alpha · aᵀ·a` for row-major `a (k x n)`, `Double`.
    static func dsyrkAtA(_ a: UnsafePointer<Double>, alpha: Double, into c: UnsafeMutablePointer<Double>, n: Int, k: Int) {
        guard n > 0 else { return }
        guard k > 0 else { c.update(repeating: 0, count: n * n); return }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blas(n), blas(k), alpha, a, blas(n), 0, c, blas(n))
    }

    /// Factors the symmetric positive definite `n x n` matrix `a` as `a = uᵀ·u` (LAPACK `dpotrf`): on return the
    /// upper triangle of `a`, read column-major, is `u`. False when `a` is not positive definite (or not finite).
    /// - Complexity: O(n³ / 3).
    static func choleskyUpper(_ a: UnsafeMutablePointer<Double>, n: Int) -> Bool {
        guard n > 0 else { return true }
        var order = Int32(blas(n)), info: Int32 = 0
        dpotrf_("U", &order, a, &order, &info, 1)
        return info == 0
    }

    /// Solves `uᵀ·x = b` (`transposed`) or `u·x = b` in place for the `columns` column-major right-hand sides in
    /// `b (n x columns)`, with `u` the column-major upper triangular `n x n` factor of ``choleskyUpper(_:n:)``.
    /// One `dtrsv` per column: with a few columns, `dtrsm` would spend most of its time copying `u` into blocks.
    /// - Complexity: O(n² · columns).
    static func solveUpper(_ u: UnsafePointer<Double>, transposed: Bool, _ b: UnsafeMutablePointer<Double>, n: Int,
                           columns: Int) {
        guard n > 0 else { return }
        for column in 0..<columns {
            cblas_dtrsv(CblasColMajor, CblasUpper, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit, blas(n), u,
                        blas(n), b + column * n, 1)
        }
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
