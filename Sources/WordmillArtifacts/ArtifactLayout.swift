/// Byte layout constants of a `.wma` file (docs/artifact-format.md).
///
/// A 40-byte prologue — magic, format version, reserved, index offset, index length,
/// XXH64 of the first 32 bytes — then the sections' zstd frames, then the JSON index and
/// its XXH64. The file ends exactly after that checksum.
public enum ArtifactLayout {
    /// `\x89WMA\r\n\x1a\n`: catches text-mode mangling like PNG's signature.
    public static let magic: [UInt8] = [0x89, 0x57, 0x4D, 0x41, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let prologueSize = 40
    /// Default raw bytes per zstd frame of a section.
    public static let defaultFrameBytes = 4 << 20

    static func appendLE<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func readLE<T: FixedWidthInteger>(_ type: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    static func prologue(indexOffset: Int, indexLength: Int, version: UInt32 = ArtifactHeader.currentFormatVersion) -> [UInt8] {
        var bytes = magic
        appendLE(version, to: &bytes)
        appendLE(UInt32(0), to: &bytes)
        appendLE(UInt64(indexOffset), to: &bytes)
        appendLE(UInt64(indexLength), to: &bytes)
        appendLE(XXH64.hash(bytes), to: &bytes)
        return bytes
    }
}
