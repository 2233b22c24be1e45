/// The picture formats an avatar may be, recognised by their first bytes, never by the file name
/// or the declared Content-Type.
enum ImageKind: String, Sendable, CaseIterable {
    case png
    case jpeg
    case webp

    var contentType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        }
    }

    var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        }
    }

    /// PNG: the 8-byte signature (PNG spec §5.2). JPEG: SOI then a marker, FF D8 FF. WebP: a RIFF
    /// container whose form type at offset 8 is "WEBP".
    init?(magic bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.count == 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8) {
            self = .webp
        } else {
            return nil
        }
    }

    /// The kind of a stored avatar, from the extension its random name was given.
    init?(storedName: String) {
        guard let kind = ImageKind.allCases.first(where: { storedName.hasSuffix("." + $0.fileExtension) }) else {
            return nil
        }
        self = kind
    }
}
