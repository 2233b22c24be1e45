import Testing
@testable import RTP

@Suite struct Vp9PayloadDescriptorTests {
    /// Non-flexible mode, first packet of a key picture with a scalability structure, laid out
    /// as RFC 9628 §4.2 and §4.2.1 draw it.
    static let keyPictureWithStructure: [UInt8] = [
        0xAE,  // I=1 P=0 L=1 F=0 B=1 E=1 V=1 Z=0
        0x81, 0x02,  // M=1, PictureID 0x0102
        0x00,  // TID=0 U=0 SID=0 D=0
        0x07,  // TL0PICIDX
        0x38,  // N_S=1 (two spatial layers) Y=1 G=1
        0x01, 0x40, 0x00, 0xB4,  // layer 0: 320x180
        0x02, 0x80, 0x01, 0x68,  // layer 1: 640x360
        0x02,  // N_G=2
        0x04, 0x01,  // T=0 U=0 R=1, P_DIFF 1
        0x38, 0x01, 0x02,  // T=1 U=1 R=2, P_DIFFs 1 and 2
        0x82, 0x49, 0x83,  // VP9 data
    ]

    /// Flexible mode, an inter picture on spatial layer 1 with three references.
    static let flexibleInterPicture: [UInt8] = [
        0xF9,  // I=1 P=1 L=1 F=1 B=1 E=0 V=0 Z=1
        0x05,  // M=0, PictureID 5
        0x53,  // TID=2 U=1 SID=1 D=1
        0x03, 0x05, 0x08,  // P_DIFF 1 (N=1), 2 (N=1), 4 (N=0)
        0x00,  // VP9 data
    ]

    @Test func parsesNonFlexibleKeyPictureWithScalabilityStructure() throws {
        let payload = Self.keyPictureWithStructure
        let descriptor = try Vp9PayloadDescriptor.parse(payload)
        #expect(!descriptor.isInterPicturePredicted)
        #expect(!descriptor.isFlexibleMode)
        #expect(descriptor.isStartOfFrame)
        #expect(descriptor.isEndOfFrame)
        #expect(!descriptor.isNotUpperLayerReference)
        #expect(descriptor.pictureID == 0x0102)
        #expect(descriptor.hasLongPictureID)
        #expect(descriptor.temporalLayerID == 0)
        #expect(!descriptor.isSwitchingUpPoint)
        #expect(descriptor.spatialLayerID == 0)
        #expect(!descriptor.hasInterLayerDependency)
        #expect(descriptor.tl0PictureIndex == 7)
        #expect(descriptor.referenceDiffs.isEmpty)
        let structure = try #require(descriptor.scalabilityStructure)
        #expect(structure == Vp9PayloadDescriptor.ScalabilityStructure(
            spatialLayerCount: 2, hasResolutions: true, pictureGroupCount: 2, range: 5..<20))
        try payload.withUnsafeBytes { raw in
            let base = try #require(structure.resolution(ofSpatialLayer: 0, in: raw))
            #expect(base.width == 320 && base.height == 180)
            let upper = try #require(structure.resolution(ofSpatialLayer: 1, in: raw))
            #expect(upper.width == 640 && upper.height == 360)
            #expect(structure.resolution(ofSpatialLayer: 2, in: raw) == nil)
        }
        #expect(descriptor.payloadOffset == 20)
        #expect(payload[descriptor.payloadOffset] == 0x82)
        #expect(descriptor.startsKeyframe)
    }

    @Test func parsesFlexibleModeReferences() throws {
        let descriptor = try Vp9PayloadDescriptor.parse(Self.flexibleInterPicture)
        #expect(descriptor == Vp9PayloadDescriptor(
            isInterPicturePredicted: true, isFlexibleMode: true, isStartOfFrame: true,
            isEndOfFrame: false, isNotUpperLayerReference: true, pictureID: 5,
            temporalLayerID: 2, isSwitchingUpPoint: true, spatialLayerID: 1,
            hasInterLayerDependency: true, referenceDiffs: [1, 2, 4], payloadOffset: 6))
        #expect(Array(descriptor.referenceDiffs) == [1, 2, 4])
        // Flexible mode carries no TL0PICIDX even with L=1.
        #expect(descriptor.tl0PictureIndex == nil)
        #expect(!descriptor.startsKeyframe)
    }

    @Test func parsesMinimalDescriptorAndStructureWithoutResolutions() throws {
        // B=1 E=1 only: an intra picture with no optional field.
        let minimal = try Vp9PayloadDescriptor.parse([0x0C, 0x82])
        #expect(minimal == Vp9PayloadDescriptor(
            isInterPicturePredicted: false, isStartOfFrame: true, isEndOfFrame: true,
            payloadOffset: 1))
        #expect(minimal.startsKeyframe)

        // V=1 B=1; N_S=2, Y=0, G=0: three layers announced, no sizes, no picture group.
        let payload: [UInt8] = [0x0A, 0x40, 0x82]
        let descriptor = try Vp9PayloadDescriptor.parse(payload)
        let structure = try #require(descriptor.scalabilityStructure)
        #expect(structure.spatialLayerCount == 3)
        #expect(!structure.hasResolutions)
        #expect(structure.pictureGroupCount == 0)
        #expect(structure.range == 1..<2)
        payload.withUnsafeBytes { raw in
            #expect(structure.resolution(ofSpatialLayer: 0, in: raw) == nil)
        }
        #expect(descriptor.payloadOffset == 2)
    }

    @Test func keyframeIsIntraStartOnBaseSpatialLayer() throws {
        // P=0 B=1, L=1 with SID=1: an intra frame of an upper layer, not a place to start.
        #expect(try !Vp9PayloadDescriptor.parse([0x28, 0x02, 0x00, 0x82]).startsKeyframe)
        // The same with SID=0.
        #expect(try Vp9PayloadDescriptor.parse([0x28, 0x00, 0x00, 0x82]).startsKeyframe)
        // P=0 but B=0: the middle of a key frame.
        #expect(try !Vp9PayloadDescriptor.parse([0x04, 0x82]).startsKeyframe)
        // P=1 B=1: the start of an inter frame.
        #expect(try !Vp9PayloadDescriptor.parse([0x48, 0x82]).startsKeyframe)
    }

    static let malformed: [(String, [UInt8], Vp9ParseError)] = [
        ("empty", [], .emptyPayload),
        ("I=1 without the PictureID", [0x80], .truncatedPictureID),
        ("M=1 with only one PictureID octet", [0x80, 0x80], .truncatedPictureID),
        ("L=1 without the layer indices", [0x20], .truncatedLayerIndices),
        ("PictureID then no layer indices", [0xA0, 0x01], .truncatedLayerIndices),
        ("non-flexible L=1 without TL0PICIDX", [0x20, 0x00], .truncatedTl0PictureIndex),
        ("flexible P=1 without P_DIFF", [0x50], .truncatedReferenceDiff),
        ("N=1 but no next P_DIFF", [0x50, 0x03], .truncatedReferenceDiff),
        ("a fourth P_DIFF announced", [0x50, 0x03, 0x03, 0x03, 0x02, 0x00], .tooManyReferenceDiffs),
        ("V=1 without the structure", [0x02], .truncatedScalabilityStructure),
        ("two layers' sizes, one given", [0x02, 0x30, 0x01, 0x40, 0x00, 0xB4, 0x00], .truncatedSpatialLayerResolutions),
        ("G=1 without N_G", [0x02, 0x08], .truncatedPictureGroupDescription),
        ("N_G=2, one description given", [0x02, 0x08, 0x02, 0x04, 0x01], .truncatedPictureGroupDescription),
        ("R=2, one P_DIFF given", [0x02, 0x08, 0x01, 0x08, 0x01], .truncatedPictureGroupDescription),
        ("required octet only", [0x08], .noFrameData),
        ("structure fills the payload", [0x0A, 0x00], .noFrameData),
    ]

    @Test(arguments: malformed.indices)
    func malformedDescriptorsGiveTheirOwnError(index: Int) {
        let (name, bytes, expected) = Self.malformed[index]
        #expect(throws: expected, "\(name)") { try Vp9PayloadDescriptor.parse(bytes) }
    }

    @Test func randomAndMutatedInputNeverTraps() throws {
        var generator = MutationGenerator(seed: 0x5650_3901)
        let seeds = [Self.keyPictureWithStructure, Self.flexibleInterPicture]
        var parsed = 0
        for round in 0..<20_000 {
            let bytes =
                round % 2 == 0
                ? generator.bytes(maximumLength: 24)
                : generator.mutate(seeds[round % 4 == 1 ? 0 : 1], window: 20)
            guard let descriptor = try? Vp9PayloadDescriptor.parse(bytes) else { continue }
            parsed += 1
            #expect(descriptor.payloadOffset < bytes.count)
            #expect(descriptor.referenceDiffs.count <= 3)
            if let structure = descriptor.scalabilityStructure {
                #expect(structure.range.upperBound <= descriptor.payloadOffset)
                bytes.withUnsafeBytes { raw in
                    for layer in 0..<structure.spatialLayerCount {
                        #expect((structure.resolution(ofSpatialLayer: layer, in: raw) != nil) == structure.hasResolutions)
                    }
                }
            }
        }
        #expect(parsed > 1_000)
    }
}
