#if canImport(Glibc)
import Glibc
#endif

/// Keeps the file explorer inside one folder. A path from a request is relative to the root;
/// absolute paths and `..` are refused before touching the disk. The rest is walked one name at
/// a time with `openat` from a descriptor of the root, never following a symbolic link
/// (`O_NOFOLLOW`), so a link swapped in while a request is served cannot lead out: what is
/// checked is the descriptor that was opened, and the file is then read from that same
/// descriptor, not opened again by its path. Names starting with "." are hidden, and only
/// folders and regular files are served.
struct FileJail: Sendable {
    /// What a path opened to.
    enum Item: Sendable {
        /// `path` is relative to the root, "" for the root itself.
        case folder(OpenDescriptor, path: String)
        case file(OpenDescriptor, name: String, size: Int64)
    }

    /// Held for the server's life: every path starts from it, so moving or replacing the root
    /// while the server runs does not move the jail.
    private let root: OpenDescriptor

    init(root path: String) throws(FileJailError) {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .notFound
        }
        root = OpenDescriptor(raw: descriptor)
    }

    /// The folder or file `relative` names inside the root. The query string is already
    /// percent-decoded once by the router, so `%2e%2e%2f` arrives here as `../`; a doubly encoded
    /// one stays a literal name, which does not exist.
    func open(_ relative: String) throws(FileJailError) -> Item {
        let names = try Self.names(in: relative)
        // The root again under a descriptor of its own, so a listing's read position is not
        // shared with other requests.
        var current = try Self.open(".", in: root, flags: O_DIRECTORY)
        for (index, name) in names.enumerated() {
            let isLast = index == names.count - 1
            if isLast {
                // A FIFO or device is refused before it is opened: opening one can block or
                // act on the device. The descriptor is checked again below, since the name may
                // name something else by the time it is opened.
                guard let status = Self.status(of: name, in: current) else {
                    throw .notFound
                }
                try Self.requireServable(status)
            }
            // O_NONBLOCK: should a FIFO be swapped in after the check, its open does not wait
            // for a writer. It changes nothing for a regular file or a folder.
            current = try Self.open(name, in: current, flags: isLast ? O_NONBLOCK | O_NOCTTY : O_DIRECTORY)
        }
        guard let status = current.status() else {
            throw .notFound
        }
        try Self.requireServable(status)
        let path = names.joined(separator: "/")
        if status.st_mode & S_IFMT == S_IFDIR {
            return .folder(current, path: path)
        }
        return .file(current, name: names.last ?? "", size: Int64(status.st_size))
    }

    /// The names of `relative`, "." left out; refuses what may not be asked for at all.
    static func names(in relative: String) throws(FileJailError) -> [String] {
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
        let names = components.filter { $0 != "." }.map(String.init)
        if names.contains(where: { $0.hasPrefix(".") }) {
            throw .notFound
        }
        return names
    }

    /// Whether an entry of a folder is shown and served: a folder or a regular file, not a
    /// link, a FIFO, a socket or a device.
    static func isServable(_ status: stat) -> Bool {
        let kind = status.st_mode & S_IFMT
        return kind == S_IFDIR || kind == S_IFREG
    }

    /// `fstatat` of `name` in `folder`, not following a link.
    static func status(of name: String, in folder: OpenDescriptor) -> stat? {
        var status = stat()
        return fstatat(folder.raw, name, &status, AT_SYMLINK_NOFOLLOW) == 0 ? status : nil
    }

    private static func requireServable(_ status: stat) throws(FileJailError) {
        if status.st_mode & S_IFMT == S_IFLNK {
            throw .symbolicLink
        }
        guard isServable(status) else {
            throw .notRegularFile
        }
    }

    private static func open(_ name: String, in folder: OpenDescriptor, flags: CInt) throws(FileJailError) -> OpenDescriptor {
        let descriptor = openat(folder.raw, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | flags)
        guard descriptor >= 0 else {
            // Only to say why: with O_DIRECTORY a link fails as "not a directory", not ELOOP.
            guard let status = status(of: name, in: folder) else {
                throw .notFound
            }
            try requireServable(status)
            throw .notFound
        }
        return OpenDescriptor(raw: descriptor)
    }
}
