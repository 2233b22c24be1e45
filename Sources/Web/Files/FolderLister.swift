import Foundation

/// Lists a folder inside the jail. An entry that is a symlink leading outside the root is left
/// out, so the listing never shows what cannot be opened.
struct FolderLister {
    let jail: FileJail

    func list(_ relative: String) throws(FileJailError) -> FolderListing {
        let folder = try jail.resolve(relative)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notFound
        }
        let names = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        var entries: [FileEntry] = []
        for name in names {
            guard let target = FileJail.realPath(folder + "/" + name), jail.contains(target) else {
                continue
            }
            var entryIsDirectory: ObjCBool = false
            guard manager.fileExists(atPath: target, isDirectory: &entryIsDirectory) else {
                continue
            }
            let ownPath = jail.relativePath(of: folder)
            let path = ownPath.isEmpty ? name : ownPath + "/" + name
            if entryIsDirectory.boolValue {
                entries.append(FileEntry(name: name, path: path, kind: .directory, size: nil))
            } else {
                let size = (try? manager.attributesOfItem(atPath: target)[.size] as? NSNumber)?.int64Value
                entries.append(FileEntry(name: name, path: path, kind: .file, size: size))
            }
        }
        entries.sort { ($0.kind == .directory ? 0 : 1, $0.name) < ($1.kind == .directory ? 0 : 1, $1.name) }
        let ownPath = jail.relativePath(of: folder)
        let parent: String? = ownPath.isEmpty ? nil : ownPath.split(separator: "/").dropLast().joined(separator: "/")
        return FolderListing(path: ownPath, parent: parent, entries: entries)
    }
}
