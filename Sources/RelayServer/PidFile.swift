import Foundation

/// `<data-dir>/relay.pid`: the serving process's id, so `relay drain` can find it.
struct PidFile {
    let path: String

    init(dataDirectory: String) {
        path = (dataDirectory as NSString).appendingPathComponent("relay.pid")
    }

    func write() throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "\(getpid())\n".write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Removes the file if it still names this process (a newer server may have replaced it).
    func remove() {
        guard read() == getpid() else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    func read() -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
