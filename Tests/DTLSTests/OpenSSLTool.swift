import Foundation

/// Runs the `openssl` command-line tool, a DTLS implementation that is not ours, for interop tests.
struct OpenSSLTool {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("relay-dtls-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    var keyPath: String { directory.appendingPathComponent("key.pem").path }

    /// Makes a self-signed P-256 certificate and returns its SHA-256 fingerprint in SDP form.
    func makeCertificate() throws -> String {
        _ = try run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-subj", "/CN=openssl-peer", "-days", "1",
        ])
        let output = try run(["x509", "-in", certificatePath, "-noout", "-fingerprint", "-sha256"])
        // "sha256 Fingerprint=AB:CD:..."
        guard let digest = output.split(separator: "=").last else { throw POSIXError(.EINVAL) }
        return "sha-256 " + digest.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts a long-running `openssl` (s_server or s_client) whose output is collected in a file.
    func start(_ arguments: [String]) throws -> (Process, URL) {
        let log = directory.appendingPathComponent("\(arguments[0]).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        // s_server and s_client read stdin; an open pipe keeps them alive until we stop them.
        process.standardInput = Pipe()
        try process.run()
        return (process, log)
    }

    /// Stops a started tool by PID. SIGKILL, because a child spawned from a Swift thread inherits
    /// that thread's blocked signals, SIGTERM among them.
    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The keying material `-keymatexport` printed, as bytes.
    static func exportedKeyingMaterial(in log: String) -> [UInt8]? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("Keying material:") }),
            let hex = line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
        else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
