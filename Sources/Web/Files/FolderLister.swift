#if canImport(Glibc)
import Glibc
#endif

/// Lists a folder the jail opened, from its descriptor: hidden names (starting with "."),
/// symbolic links, FIFOs, sockets and devices are left out, so the listing shows only what the
/// explorer serves.
enum FolderLister {
    static func list(_ folder: OpenDescriptor, path: String) throws(FileJailError) -> FolderListing {
        // A descriptor of its own for the directory stream, which closedir closes.
        let streamDescriptor = openat(folder.raw, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard streamDescriptor >= 0 else {
            throw .notFound
        }
        guard let stream = fdopendir(streamDescriptor) else {
            close(streamDescriptor)
            throw .notFound
        }
        defer { closedir(stream) }
        var entries: [FileEntry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !name.hasPrefix("."), let status = FileJail.status(of: name, in: folder), FileJail.isServable(status) else {
                continue
            }
            let entryPath = path.isEmpty ? name : path + "/" + name
            if status.st_mode & S_IFMT == S_IFDIR {
                entries.append(FileEntry(name: name, path: entryPath, kind: .directory, size: nil))
            } else {
                entries.append(FileEntry(name: name, path: entryPath, kind: .file, size: Int64(status.st_size)))
            }
        }
        entries.sort { ($0.kind == .directory ? 0 : 1, $0.name) < ($1.kind == .directory ? 0 : 1, $1.name) }
        let parent: String? = path.isEmpty ? nil : path.split(separator: "/").dropLast().joined(separator: "/")
        return FolderListing(path: path, parent: parent, entries: entries)
    }
}
