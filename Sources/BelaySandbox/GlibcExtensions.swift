#if canImport(Glibc)
import Glibc

/// glibc functions the `Glibc` module hides (it is built without `_GNU_SOURCE`), looked up once by name.
///
/// All three exist in glibc 2.34 and later (Debian 12 has 2.36). When one is missing the runner degrades:
/// `pipe` + `FD_CLOEXEC` instead of `pipe2`; no `closefrom` (descriptors are close-on-exec anyway); and the
/// working directory is then set by the caller's wrapper.
enum GlibcExtensions {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `POSIX_SPAWN_SETSID` from `<spawn.h>` (a macro Swift does not import here).
    static let spawnSetsid: Int32 = 0x80

    static let pipe2: Pipe2? = symbol("pipe2")
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addClosefrom: AddClosefrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<F>(_ name: String) -> F? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: F.self)
    }

    /// A close-on-exec pipe: `pipe2(O_CLOEXEC)` when available.
    static func makePipe(_ fds: inout [Int32]) -> Int32 {
        if let pipe2 { return fds.withUnsafeMutableBufferPointer { $0.baseAddress.map { pipe2($0, O_CLOEXEC) } ?? -1 } }
        let status = pipe(&fds)
        if status == 0 { for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) } }
        return status
    }
}
#endif
