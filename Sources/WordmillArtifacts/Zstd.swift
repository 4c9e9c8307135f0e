import CZstd

/// One-shot zstd compression and decompression of single frames.
///
/// Frames carry zstd's own content checksum (`ZSTD_c_checksumFlag`), and compression is
/// single-threaded so the same input and level always give the same bytes.
public enum Zstd {
    /// Compresses `input` into one frame with a content checksum.
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 3) throws(ArtifactError) -> [UInt8] {
        let compressor = try Compressor(level: level)
        return Array(try compressor.compress(input))
    }

    /// Compresses frame after frame with one zstd context and one output buffer, so a frame
    /// costs no context set-up and no fresh pages for its output. The frames are the bytes
    /// `compress` gives (each starts a new frame; the context keeps only its parameters).
    /// One thread at a time.
    public final class Compressor {
        private let context: OpaquePointer
        private var output = UnsafeMutableRawBufferPointer(start: nil, count: 0)

        public init(level: Int32) throws(ArtifactError) {
            guard let context = ZSTD_createCCtx() else { throw .codec("cannot create a zstd compression context") }
            self.context = context
            ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
            ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
            ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1)
        }

        deinit {
            ZSTD_freeCCtx(context)
            output.deallocate()
        }

        /// `input` as one frame; the view is valid until the next call.
        public func compress(_ input: UnsafeRawBufferPointer) throws(ArtifactError) -> UnsafeRawBufferPointer {
            let bound = ZSTD_compressBound(input.count)
            if output.count < bound {
                output.deallocate()
                output = .allocate(byteCount: bound, alignment: 16)
            }
            let written = ZSTD_compress2(context, output.baseAddress, bound, input.baseAddress, input.count)
            if ZSTD_isError(written) != 0 {
                throw .codec("zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
            }
            return UnsafeRawBufferPointer(rebasing: output[0..<written])
        }
    }

    /// Decompresses one frame whose decompressed size must be exactly `expectedSize`.
    /// Any damage (bad frame, wrong size, checksum mismatch) throws `.codec`.
    public static func decompress(_ frame: UnsafeRawBufferPointer, expectedSize: Int) throws(ArtifactError) -> [UInt8] {
        try [UInt8].filled(count: expectedSize) { (out) throws(ArtifactError) in try decompress(frame, into: out) }
    }

    /// Decompresses one frame into `output`, whose size the frame's content must be exactly
    /// (so a section's frames can land back to back in one array, with no copy between).
    public static func decompress(_ frame: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ArtifactError) {
        let expectedSize = output.count
        let declared = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        if declared == ZSTD_CONTENTSIZE_ERROR { throw .codec("not a zstd frame") }
        if declared != ZSTD_CONTENTSIZE_UNKNOWN, declared != UInt64(expectedSize) {
            throw .codec("zstd frame declares \(declared) bytes, the index says \(expectedSize)")
        }
        guard let context = ZSTD_createDCtx() else { throw .codec("cannot create a zstd decompression context") }
        defer { ZSTD_freeDCtx(context) }
        let produced = ZSTD_decompressDCtx(context, output.baseAddress, expectedSize, frame.baseAddress, frame.count)
        if ZSTD_isError(produced) != 0 {
            throw .codec("zstd decompression failed: \(String(cString: ZSTD_getErrorName(produced)))")
        }
        if produced != expectedSize { throw .codec("zstd frame holds \(produced) bytes, the index says \(expectedSize)") }
    }
}
