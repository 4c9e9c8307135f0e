import Foundation
import WordmillArtifacts
import WordmillData
import WordmillStages
import WordmillSupport

/// libFuzzer entry point. An input that starts with the artifact magic is read the way
/// `wordmill run` and `inspect` read an artifact — open, verify every checksum, read every
/// section, decode the records of its kind. Checksums stop most mutations early, so other
/// inputs go straight to the decoders behind them, chosen by the first byte: the index's
/// JSON parser, zstd frame decompression, and the token-stream record decoder. Any thrown
/// error is fine; a crash, a hang or a runaway allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if size >= ArtifactLayout.magic.count, Array(bytes.prefix(ArtifactLayout.magic.count)) == ArtifactLayout.magic {
        readArtifact(bytes)
        return 0
    }
    guard size > 1 else { return 0 }
    let payload = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[1...])
    switch bytes[0] % 3 {
    case 0: _ = try? JSONParser.parse(Array(payload))
    case 1: _ = try? Zstd.decompress(payload, expectedSize: 1 << 16)
    default: _ = try? TokenStream.forEachDocument(inFrame: payload, path: "fuzz") { _ in }
    }
    return 0
}

func readArtifact(_ bytes: UnsafeBufferPointer<UInt8>) {
    let data = bytes.baseAddress!, size = bytes.count
    let path = FuzzFile.path
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path)") }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        guard n > 0 else { fatalError("cannot write \(path)") }
        written += n
    }
    close(fd)
    do {
        let reader = try ArtifactReader(path: path)
        try reader.verifyChecksums()
        for section in reader.header.sections { _ = try reader.readBytes(section.name) }
        _ = try ArtifactRows.rows(reader, limit: 1000)
    } catch {}
}

enum FuzzFile {
    /// One scratch file per fuzzing process, in memory where the system has /dev/shm.
    static let path: String = {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return "\(directory)/wordmill-fuzz-\(getpid()).wma"
    }()
}

/// libFuzzer's driver, for a program that owns its `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// SwiftPM names an executable's entry point `<target>_main`; it hands over to libFuzzer.
@_cdecl("ArtifactFuzzer_main")
public func artifactFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
