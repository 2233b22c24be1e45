/// The picture size an H.264 sequence parameter set states (ITU-T H.264 §7.3.2.1.1, with the
/// cropping of §7.4.2.1.1): what the relay reads of a keyframe to know which simulcast layer
/// covers a tile. Parsing walks the fields before the size and allocates nothing.
public struct H264SequenceParameterSet: Equatable, Sendable {
    /// profile_idc: 66 baseline, 77 main, 100 high, ...
    public var profile: UInt8
    /// The decoded picture's width and height in luma samples, after cropping.
    public var width: Int
    public var height: Int

    public init(profile: UInt8, width: Int, height: Int) {
        self.profile = profile
        self.width = width
        self.height = height
    }

    /// The profiles whose sequence parameter sets carry the chroma format, bit depths and
    /// scaling matrices (§7.3.2.1.1).
    private static let profilesWithChromaFields: Set<Int> = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    /// Parses the NAL unit, header included, of a sequence parameter set.
    public static func parse(_ nalUnit: UnsafeRawBufferPointer) throws(H264SequenceParameterSetError)
        -> H264SequenceParameterSet
    {
        guard let header = nalUnit.first else { throw .truncated }
        guard header & 0x1F == H264Payload.sequenceParameterSetType else {
            throw .notASequenceParameterSet(nalUnitType: header & 0x1F)
        }
        var reader = RbspBitReader(nalUnit, from: 1)
        let profile = try reader.bits(8)
        _ = try reader.bits(16)  // constraint_set flags, level_idc
        _ = try reader.unsignedExpGolomb()  // seq_parameter_set_id
        var chromaFormat = 1
        var separateColourPlanes = false
        if profilesWithChromaFields.contains(profile) {
            chromaFormat = try reader.unsignedExpGolomb()
            guard chromaFormat <= 3 else { throw .valueOutOfRange }
            if chromaFormat == 3 { separateColourPlanes = try reader.bit() == 1 }
            _ = try reader.unsignedExpGolomb()  // bit_depth_luma_minus8
            _ = try reader.unsignedExpGolomb()  // bit_depth_chroma_minus8
            _ = try reader.bit()  // qpprime_y_zero_transform_bypass_flag
            if try reader.bit() == 1 {  // seq_scaling_matrix_present_flag
                for list in 0..<(chromaFormat == 3 ? 12 : 8) {
                    if try reader.bit() == 1 { try skipScalingList(&reader, size: list < 6 ? 16 : 64) }
                }
            }
        }
        _ = try reader.unsignedExpGolomb()  // log2_max_frame_num_minus4
        switch try reader.unsignedExpGolomb() {  // pic_order_cnt_type
        case 0:
            _ = try reader.unsignedExpGolomb()  // log2_max_pic_order_cnt_lsb_minus4
        case 1:
            _ = try reader.bit()  // delta_pic_order_always_zero_flag
            _ = try reader.signedExpGolomb()  // offset_for_non_ref_pic
            _ = try reader.signedExpGolomb()  // offset_for_top_to_bottom_field
            let cycle = try reader.unsignedExpGolomb()
            guard cycle <= 255 else { throw .valueOutOfRange }
            for _ in 0..<cycle { _ = try reader.signedExpGolomb() }
        case 2:
            break
        default:
            throw .valueOutOfRange
        }
        _ = try reader.unsignedExpGolomb()  // max_num_ref_frames
        _ = try reader.bit()  // gaps_in_frame_num_value_allowed_flag
        let widthInMacroblocks = try reader.unsignedExpGolomb() + 1
        let heightInMapUnits = try reader.unsignedExpGolomb() + 1
        let frameMacroblocksOnly = try reader.bit()
        if frameMacroblocksOnly == 0 { _ = try reader.bit() }  // mb_adaptive_frame_field_flag
        _ = try reader.bit()  // direct_8x8_inference_flag
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if try reader.bit() == 1 {
            crop = (try reader.unsignedExpGolomb(), try reader.unsignedExpGolomb(),
                    try reader.unsignedExpGolomb(), try reader.unsignedExpGolomb())
        }
        // §7.4.2.1.1: cropping counts in chroma samples, and in field pairs for field coding.
        let fieldFactor = 2 - frameMacroblocksOnly
        let cropUnitX: Int
        let cropUnitY: Int
        if separateColourPlanes || chromaFormat == 0 {
            (cropUnitX, cropUnitY) = (1, fieldFactor)
        } else {
            cropUnitX = chromaFormat == 3 ? 1 : 2
            cropUnitY = (chromaFormat == 1 ? 2 : 1) * fieldFactor
        }
        // A level 6.2 picture is at most 139,264 macroblocks: no real size is near these bounds.
        guard widthInMacroblocks <= 16_384, heightInMapUnits <= 16_384 else { throw .valueOutOfRange }
        let width = widthInMacroblocks * 16 - cropUnitX * (crop.left + crop.right)
        let height = fieldFactor * heightInMapUnits * 16 - cropUnitY * (crop.top + crop.bottom)
        guard width > 0, height > 0 else { throw .valueOutOfRange }
        return H264SequenceParameterSet(profile: UInt8(profile), width: width, height: height)
    }

    /// scaling_list() (§7.3.2.1.1.1): deltas until the list is full or a delta ends it.
    private static func skipScalingList(_ reader: inout RbspBitReader, size: Int) throws(H264SequenceParameterSetError) {
        var last = 8
        var next = 8
        for _ in 0..<size {
            if next != 0 {
                let delta = try reader.signedExpGolomb()
                guard (-128...127).contains(delta) else { throw .valueOutOfRange }
                next = (last + delta + 256) % 256
            }
            if next != 0 { last = next }
        }
    }
}
