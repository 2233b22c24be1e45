import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the file explorer inside one folder. A path from a request is relative to the root;
/// absolute paths and `..` are refused before touching the disk, and the path the kernel resolves
/// (`realpath`, which follows every symlink) must still be the root or below it.
struct FileJail: Sendable {
    /// The root with its own symlinks resolved.
    let root: String

    init(root: String) throws {
        guard let resolved = Self.realPath(root) else {
            throw FileJailError.notFound
        }
        self.root = resolved
    }

    /// The real path of `relative` inside the root. The query string is already percent-decoded
    /// once by the router, so `%2e%2e%2f` arrives here as `../`; a doubly encoded one stays a
    /// literal name, which does not exist.
    func resolve(_ relative: String) throws(FileJailError) -> String {
        if relative.contains("\0") || relative.contains("\\") {
            throw .forbiddenCharacter
        }
        if relative.hasPrefix("/") || relative.hasPrefix("~") {
            throw .absolutePath
        }
        let components = relative.split(separator: "/", omittingEmptySubsequences: true)
        if components.contains("..") {
            throw .parentReference
        }
        let kept = components.filter { $0 != "." }
        let candidate = kept.isEmpty ? root : root + "/" + kept.joined(separator: "/")
        guard let resolved = Self.realPath(candidate) else {
            throw .notFound
        }
        guard contains(resolved) else {
            throw .leavesRoot
        }
        return resolved
    }

    /// The path of `absolute` relative to the root, for links; "" for the root itself.
    func relativePath(of absolute: String) -> String {
        absolute == root ? "" : String(absolute.dropFirst(root.count + 1))
    }

    func contains(_ resolved: String) -> Bool {
        resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else {
            return nil
        }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
