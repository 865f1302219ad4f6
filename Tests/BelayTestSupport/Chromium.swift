import Foundation

/// Headless Chromium (Debian's `chromium`) for tests that open Belay's HTML pages the way a reader would.
///
/// Locally a machine without Chromium skips those tests (``isAvailable`` is false); in CI
/// (`BELAY_REQUIRE_CHROMIUM=1`, set by `.ci/run`) ``isAvailable`` is true anyway, so a missing browser fails loudly
/// instead of silently skipping the screenshot test.
public enum Chromium {
    /// True when CI demands that the browser tests run.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["BELAY_REQUIRE_CHROMIUM"] == "1"
    }

    /// The browser: `$BELAY_CHROMIUM`, else the first of `chromium`, `chromium-browser` in `/usr/bin`.
    public static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["BELAY_CHROMIUM"], !path.isEmpty { return path }
        return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Whether the browser tests should run (see ``isRequired``).
    public static var isAvailable: Bool { isRequired || executable != nil }

    /// What one headless run produced.
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        /// Lines the page wrote to its console (Chromium logs them as `…:CONSOLE(line)] "message", source: …`),
        /// including errors such as uncaught exceptions and Content-Security-Policy refusals.
        public var consoleLines: [String] {
            stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        }
    }

    /// Runs headless Chromium on `page` with `mode` arguments (`--screenshot=…`, `--dump-dom`), with a private
    /// profile in a temporary folder, `--no-sandbox` (tests may run as root), console logging to stderr, and a
    /// time limit enforced by coreutils `timeout` (SIGTERM, then SIGKILL 10 s later).
    public static func run(page: URL, mode: [String], width: Int = 1200, height: Int = 2000, timeoutSeconds: Int = 120)
        throws -> Run {
        guard let executable else { throw ChromiumError(message: "chromium is not installed (apt-get install -y chromium)") }
        let profile = try TemporaryDirectory(prefix: "belay-chromium")
        defer { profile.cleanup() }
        let arguments = [
            "-k", "10", String(timeoutSeconds), executable,
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--hide-scrollbars",
            "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)",
            "--enable-logging=stderr", "--v=0",
        ] + mode + [page.absoluteString]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = profile.path
        let run = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/timeout"), arguments: arguments, environment: environment)
        return Run(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    /// The width and height of a PNG, read from its IHDR chunk; `nil` when `data` is not a PNG.
    public static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            bytes[12..<16] == [0x49, 0x48, 0x44, 0x52]
        else { return nil }
        func be32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    /// Python (standard library only) that prints the number of distinct colours of the 8-bit RGB or RGBA PNG
    /// at `sys.argv[1]`: zlib plus the five PNG row filters.
    public static let distinctColoursScript = """
        import sys, zlib, struct
        data = open(sys.argv[1], 'rb').read()
        pos, idat, w, h, bpp = 8, b'', 0, 0, 0
        while pos < len(data):
            n, kind = struct.unpack('>I4s', data[pos:pos+8]); body = data[pos+8:pos+8+n]; pos += 12 + n
            if kind == b'IHDR':
                w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
                assert depth == 8 and ctype in (2, 6), (depth, ctype)
                bpp = 3 if ctype == 2 else 4
            elif kind == b'IDAT': idat += body
        raw = zlib.decompress(idat); stride = w * bpp; prev = bytearray(stride); colours = set(); i = 0
        for _ in range(h):
            f = raw[i]; row = bytearray(raw[i+1:i+1+stride]); i += 1 + stride
            for x in range(stride):
                a = row[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
                if f == 1: row[x] = (row[x] + a) & 255
                elif f == 2: row[x] = (row[x] + b) & 255
                elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
                    row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            for x in range(0, stride, bpp * 3): colours.add(bytes(row[x:x+3]))
            prev = row
        print(len(colours))
        """
}

public struct ChromiumError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
