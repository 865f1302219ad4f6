/// Limits for one sandboxed process (and everything it starts).
///
/// CPU time, address space, file size, open files and process count are kernel rlimits (applied with
/// `prlimit`); wall time and output sizes are enforced by ``Sandbox`` itself, which kills the whole process
/// group (and, when running as root, every process of the run's private uid) when one is exceeded.
public struct SandboxPolicy: Sendable, Hashable {
    /// Wall-clock seconds before the run is killed (``SandboxResult/Termination/timedOut``).
    public var wallSeconds: Double
    /// CPU seconds (`RLIMIT_CPU`): `SIGXCPU` at this many seconds, `SIGKILL` one second later.
    public var cpuSeconds: Int
    /// Address-space bytes per process (`RLIMIT_AS`); allocations beyond fail.
    public var memoryBytes: UInt64
    /// Bytes kept of standard output and of standard error each; more kills the run
    /// (``SandboxResult/Termination/outputLimitExceeded``).
    public var maxOutputBytes: Int
    /// Bytes accepted on the result channel; more kills the run (``SandboxResult/Termination/resultLimitExceeded``).
    public var maxResultBytes: Int
    /// Processes and threads of the run's user (`RLIMIT_NPROC`). The limit counts per uid, which is why a run
    /// as root gets a private uid of its own (see ``Sandbox``).
    public var maxProcesses: Int
    /// Largest file the run may write (`RLIMIT_FSIZE`); writing beyond raises `SIGXFSZ`.
    public var maxFileBytes: UInt64
    /// Open file descriptors per process (`RLIMIT_NOFILE`).
    public var maxOpenFiles: Int
    /// Whether the run may use the network; `false` runs it in an empty network namespace where permitted.
    public var network: Bool
    /// Whether to run as a private unprivileged uid when the grader runs as root (it should, always).
    public var dropPrivileges: Bool
    /// Whether `/tmp`, `/var/tmp` and `/dev/shm` (writable by everyone) are replaced by empty private
    /// folders for the run (a mount namespace, where permitted). The run then sees only its own working
    /// directory of the real `/tmp`, through its current directory: pass paths relative to it.
    public var privateTemporaryDirectories: Bool
    /// Folders (and files) the run must not see even where they are world-readable and inside the visible system
    /// folders (Belay installed under `/usr/local`, say). Everything outside the system folders is hidden anyway
    /// (see ``visiblePaths``). Each is covered by an empty read-only folder (or `/dev/null`) in the run's mount
    /// namespace. Paths that hold the system or the run itself are ignored. Needs the mount namespace of
    /// ``privateTemporaryDirectories``.
    public var hiddenPaths: [String] = []
    /// Folders the run needs beyond the system folders, the Swift toolchain and its working directory; with
    /// ``privateTemporaryDirectories`` everything else outside the system folders is hidden from the run.
    public var visiblePaths: [String] = []
    /// Read-only views of folders the run's uid could not reach where they are (an interpreter under a home
    /// closed to other users): mount point → folder, bind-mounted read-only in the run's mount namespace before
    /// anything is hidden. Mount points must lie in a private temporary folder (`/run/…`), folders outside them. Needs the mount
    /// namespace of ``privateTemporaryDirectories``.
    public var readOnlyMounts: [String: String] = [:]
    /// The student's memory total (a cgroup shared by their build and every task), or `nil` for the
    /// per-process address-space limit alone.
    public var memoryGroup: SandboxMemoryGroup?

    /// Creates a policy.
    public init(
        wallSeconds: Double, cpuSeconds: Int, memoryBytes: UInt64, maxOutputBytes: Int, maxResultBytes: Int,
        maxProcesses: Int, maxFileBytes: UInt64, maxOpenFiles: Int = 256, network: Bool = false,
        dropPrivileges: Bool = true, privateTemporaryDirectories: Bool = true
    ) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.maxOutputBytes = maxOutputBytes
        self.maxResultBytes = maxResultBytes
        self.maxProcesses = maxProcesses
        self.maxFileBytes = maxFileBytes
        self.maxOpenFiles = maxOpenFiles
        self.network = network
        self.dropPrivileges = dropPrivileges
        self.privateTemporaryDirectories = privateTemporaryDirectories
    }

    /// What one student's processes may hold together (build and tasks), where the machine offers a memory
    /// group (``SandboxMemoryGroup``): 4 GiB.
    public static let studentMemoryTotal: UInt64 = 4 << 30

    /// One task of a student's compiled module: 10 s wall, 10 s CPU, 2 GiB address space, 1 MiB of output per
    /// stream, 256 MiB of results, 32 processes/threads, 64 MiB files, no network, private temporary folders.
    public static let studentRun = SandboxPolicy(
        wallSeconds: 10, cpuSeconds: 10, memoryBytes: 2 << 30, maxOutputBytes: 1 << 20, maxResultBytes: 256 << 20,
        maxProcesses: 32, maxFileBytes: 64 << 20)

    /// Compiling a student's module: 120 s wall and CPU, 4 GiB address space, 1 MiB of output per stream,
    /// 64 processes/threads, 512 MiB files, no network. The shared `/tmp` stays visible: the compiler reads the
    /// cached ExerciseKit there and runs none of the student's code.
    public static let studentBuild = SandboxPolicy(
        wallSeconds: 120, cpuSeconds: 120, memoryBytes: 4 << 30, maxOutputBytes: 1 << 20, maxResultBytes: 0,
        maxProcesses: 64, maxFileBytes: 512 << 20, privateTemporaryDirectories: false)
}
