import Foundation
import Testing
import WordmillTestSupport
@testable import WordmillExport

/// A safetensors file with this header text (unpadded unless the text pads it) and data.
private func safetensorsFile(_ header: String, _ data: [UInt8] = []) -> [UInt8] {
    var out: [UInt8] = []
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out += $0 }
    return out + Array(header.utf8) + data
}

/// Why `decode` rejects these bytes, or nil when it accepts them.
private func rejection(_ bytes: [UInt8]) -> String? {
    do {
        _ = try SafetensorsFormat.decode(bytes, path: "t.safetensors")
        return nil
    } catch {
        return error.description
    }
}

/// The little-endian bytes of float32 values.
private func le(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
}

private typealias Tensor = SafetensorsFormat.Tensor

@Suite struct SafetensorsFormatTests {
    @Test func roundTripSortsByUTF8NameAndAlignsTheData() throws {
        let tensors = [
            Tensor(name: "weight_ih_l0", shape: [4, 3], values: (0..<12).map { Float($0) * 0.25 - 1 }),
            Tensor(name: "음식", shape: [2], values: [.infinity, -0.0]),
            Tensor(name: "scalar", shape: [], values: [Float(bitPattern: 1)]),
            Tensor(name: "empty", shape: [0, 3], values: []),
            Tensor(name: "nothing", shape: [0], values: []),
            Tensor(name: "q\"uote\\back\nline\u{1}\u{7F}/tab\t", shape: [1, 1], values: [.nan]),
            Tensor(name: "f", shape: [1], values: [3]),
            // Before "f" by UTF-8 bytes, after it by Swift's normalizing `<` ("é" > "f").
            Tensor(name: "e\u{301}x", shape: [1], values: [4]),
            Tensor(name: "🦀", shape: [1, 2, 1], values: [.greatestFiniteMagnitude, -.leastNonzeroMagnitude]),
        ]
        let metadata = ["format": "np", "ключ": "знач\"ение\n", "": ""]
        let bytes = SafetensorsFormat.encode(tensors, metadata: metadata)
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 4 * tensors.map(\.values.count).reduce(0, +))
        #expect(bytes[8] == UInt8(ascii: "{"))
        #expect(String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self).hasPrefix(#"{"__metadata__":{"":"","format":"np","ключ":"знач\"ение\n"},"e"#))

        let back = try SafetensorsFormat.decode(bytes, path: "r.safetensors")
        let expected = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        #expect(back.tensors.map(\.name) == expected.map(\.name))
        #expect(back.tensors.map { Array($0.name.utf8) } == expected.map { Array($0.name.utf8) })
        let names = back.tensors.map(\.name)
        #expect(names.firstIndex(of: "e\u{301}x")! < names.firstIndex(of: "f")!)
        #expect(back.tensors.map(\.shape) == expected.map(\.shape))
        #expect(back.tensors.map { $0.values.map(\.bitPattern) } == expected.map { $0.values.map(\.bitPattern) })
        #expect(back.metadata == metadata)
        #expect(SafetensorsFormat.encode(back.tensors, metadata: back.metadata) == bytes)

        // No tensors at all, as the reference writes it: `{}` and six spaces.
        #expect(SafetensorsFormat.encode([]) == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        #expect(try SafetensorsFormat.decode(SafetensorsFormat.encode([]), path: "e").tensors.isEmpty)
    }

    @Test func exactBytesOfTinyFiles() throws {
        // 132 header bytes, padded with 4 spaces to 136 = 0x88; "a" (data 0..<4) sorts before "b" (4..<12).
        let bytes = SafetensorsFormat.encode(
            [Tensor(name: "b", shape: [2], values: [1, -2]), Tensor(name: "a", shape: [], values: [0.5])],
            metadata: ["k": "v"])
        let header = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}    "#
        #expect(header.utf8.count == 136)
        let expected: [UInt8] = [0x88, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8)
            + [0x00, 0x00, 0x00, 0x3F]  // 0.5
            + [0x00, 0x00, 0x80, 0x3F]  // 1.0
            + [0x00, 0x00, 0x00, 0xC0]  // -2.0
        #expect(bytes == expected)

        // One 1×1×2×3 tensor: a 65-byte header padded with 7 spaces to 72 = 0x48, then 0...5.
        let attn = SafetensorsFormat.encode([Tensor(name: "attn0", shape: [1, 1, 2, 3], values: [0, 1, 2, 3, 4, 5])])
        let attnHeader = #"{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       "#
        #expect(attn == [0x48, 0, 0, 0, 0, 0, 0, 0] + Array(attnHeader.utf8) + le([0, 1, 2, 3, 4, 5]))
        #expect(attn.suffix(24) == [0, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xA0, 0x40])

        // serde_json's escapes: short forms for \b \t \n \f \r, lowercase \u00xx for other controls.
        let escaped = SafetensorsFormat.encode([Tensor(name: "\u{8}\t\n\u{C}\r\u{1F}\"\\", shape: [0], values: [])])
        #expect(String(decoding: escaped.dropFirst(8), as: UTF8.self).hasPrefix(#"{"\b\t\n\f\r\u001f\"\\":{"#))
    }

    @Test func everyTruncationIsRejected() {
        let bytes = SafetensorsFormat.encode([Tensor(name: "w", shape: [2, 2], values: [1, 2, 3, 4])], metadata: ["a": "b"])
        for n in 0..<bytes.count {
            #expect(rejection(Array(bytes.prefix(n))) != nil, "accepted the first \(n) of \(bytes.count) bytes")
        }
        #expect(rejection(Array(bytes.prefix(7)))?.contains("truncated") == true)
        #expect(rejection(Array(bytes.dropLast(4)))?.contains(#"tensor "w""#) == true)
        #expect(rejection(bytes + [0]) != nil, "trailing bytes")
        #expect(rejection(bytes) == nil)
    }

    @Test func badHeaderLengthsAreRejected() throws {
        var bytes = SafetensorsFormat.encode([Tensor(name: "w", shape: [1], values: [1])])
        bytes[0] = 0xFF  // 255 + 256·(the real length's high byte): past the end of the file.
        #expect(rejection(bytes)?.contains("runs past the end of the file") == true)
        bytes[0...7] = [0, 0, 0, 0, 0, 0, 0, 0x80]  // 2^63
        #expect(rejection(bytes)?.contains("100,000,000") == true)
        bytes[0...7] = [8, 0, 0, 0, 0, 0, 0, 0]  // the JSON cut short
        #expect(rejection(bytes)?.contains("not valid JSON") == true)
        #expect(rejection(safetensorsFile("[]"))?.contains("expected an object") == true)
        #expect(rejection(safetensorsFile(#"{"a":1}"#))?.contains(#"tensor "a""#) == true)
    }

    @Test func offsetsMustTileTheData() {
        let entry = { (name: String, shape: String, begin: Int, end: Int) in
            #""\#(name)":{"dtype":"F32","shape":[\#(shape)],"data_offsets":[\#(begin),\#(end)]}"#
        }
        let data = le([1, 2, 3])
        #expect(rejection(safetensorsFile("{" + entry("a", "2", 0, 8) + "," + entry("b", "1", 8, 12) + "}", data)) == nil)
        let overlap = rejection(safetensorsFile("{" + entry("a", "2", 0, 8) + "," + entry("b", "2", 4, 12) + "}", data))
        #expect(overlap?.contains(#"tensor "b""#) == true && overlap?.contains("overlapping") == true, "\(overlap ?? "accepted")")
        let gap = rejection(safetensorsFile("{" + entry("a", "1", 0, 4) + "," + entry("b", "1", 8, 12) + "}", data))
        #expect(gap?.contains(#"tensor "b""#) == true && gap?.contains("gap") == true, "\(gap ?? "accepted")")
        let late = rejection(safetensorsFile("{" + entry("a", "3", 4, 16) + "}", data + le([4])))
        #expect(late?.contains(#"tensor "a""#) == true && late?.contains("gap") == true, "\(late ?? "accepted")")
        let backwards = rejection(safetensorsFile("{" + entry("a", "0", 0, 0) + "," + entry("b", "1", 0, 4) + "," + entry("c", "0", 8, 4) + "}", data))
        #expect(backwards != nil)
        let shape = rejection(safetensorsFile("{" + entry("a", "2,2", 0, 12) + "}", data))
        #expect(shape?.contains(#"tensor "a" has shape [2, 2] (4 float32 values, 16 bytes)"#) == true, "\(shape ?? "accepted")")
        let short = rejection(safetensorsFile("{" + entry("a", "3", 0, 12) + "}", data + [0]))
        #expect(short?.contains("cover 12 of the 13") == true, "\(short ?? "accepted")")
        let duplicate = rejection(safetensorsFile("{" + entry("a", "1", 0, 4) + "," + entry("a", "2", 4, 12) + "}", data))
        #expect(duplicate?.contains("duplicate key") == true, "\(duplicate ?? "accepted")")
        #expect(rejection(safetensorsFile("{" + entry("a", "-1", 0, 0) + "}")) != nil)
        #expect(rejection(safetensorsFile(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}"#, le([1]))) != nil)
        #expect(rejection(safetensorsFile(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}"#, le([1]))) != nil)
        #expect(rejection(safetensorsFile(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#)) != nil)
    }

    @Test func onlyFloat32AndStringMetadataAreRead() throws {
        let f64 = rejection(safetensorsFile(#"{"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#, [0, 0, 0, 0, 0, 0, 0, 0]))
        #expect(f64?.contains(#"tensor "w" has dtype "F64"; only F32"#) == true, "\(f64 ?? "accepted")")
        #expect(rejection(safetensorsFile(#"{"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}"#, le([1])))?.contains("dtype") == true)
        #expect(rejection(safetensorsFile(#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, le([1])))?.contains(#"tensor "w" has no dtype"#) == true)
        #expect(rejection(safetensorsFile(#"{"__metadata__":{"k":1}}"#))?.contains("__metadata__") == true)
        // What the reference reader also accepts: null metadata, unknown fields, leading space.
        let lenient = try SafetensorsFormat.decode(
            safetensorsFile(#" {"__metadata__":null,"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":[]}}"#, le([2])), path: "l")
        #expect(lenient.tensors == [Tensor(name: "w", shape: [1], values: [2])])
        #expect(lenient.metadata.isEmpty)
    }

    /// Reads and writes files with the Python `safetensors` package, when
    /// `bench/.venv-safetensors` exists (python3 -m venv bench/.venv-safetensors &&
    /// bench/.venv-safetensors/bin/pip install safetensors numpy).
    @Test func interoperatesWithPythonSafetensors() throws {
        let python = Repository.root + "/bench/.venv-safetensors/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            print("skipped: interoperatesWithPythonSafetensors needs bench/.venv-safetensors with safetensors and numpy installed")
            return
        }
        let dir = TemporaryDirectory()
        let tensors = [
            Tensor(name: "w", shape: [2, 3], values: [1, 2, 3, 4, 5, 6.5]),
            Tensor(name: "e\u{301}", shape: [], values: [-1]),
            Tensor(name: "f", shape: [0, 2], values: []),
            Tensor(name: "음식\"\\\n", shape: [1], values: [0.1]),
        ]
        dir.write("ours.safetensors", bytes: SafetensorsFormat.encode(tensors, metadata: ["format": "np"]))
        let script = #"""
            import sys, numpy as np
            from safetensors import safe_open
            from safetensors.numpy import load_file, save_file
            d = sys.argv[1]
            got = load_file(d + "/ours.safetensors")
            want = {"w": np.array([[1, 2, 3], [4, 5, 6.5]], np.float32), "e\u0301": np.array(-1, np.float32),
                    "f": np.zeros((0, 2), np.float32), "음식\"\\\n": np.array([0.1], np.float32)}
            assert got.keys() == want.keys(), got.keys()
            for k in want:
                assert got[k].dtype == np.float32 and got[k].shape == want[k].shape and np.array_equal(got[k], want[k]), k
            with safe_open(d + "/ours.safetensors", "np") as f:
                assert f.metadata() == {"format": "np"}
            save_file(want, d + "/theirs.safetensors", metadata={"format": "np"})
            save_file({"z": np.arange(4, dtype=np.float32), "a": np.ones((2, 2), np.float32)}, d + "/plain.safetensors")
            print("python ok")
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, dir.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && output.hasPrefix("python ok"), "\(output)")

        // With one metadata key the reference writer's bytes are fixed, and ours match them.
        let theirs = Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("theirs.safetensors"))))
        #expect(SafetensorsFormat.encode(tensors, metadata: ["format": "np"]) == theirs)
        let back = try SafetensorsFormat.decode(theirs, path: "theirs.safetensors")
        #expect(back.tensors == tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
        #expect(back.metadata == ["format": "np"])
        let plain = try SafetensorsFormat.decode(Array(Data(contentsOf: URL(fileURLWithPath: dir.file("plain.safetensors")))), path: "plain.safetensors")
        #expect(plain.tensors == [Tensor(name: "a", shape: [2, 2], values: [1, 1, 1, 1]), Tensor(name: "z", shape: [4], values: [0, 1, 2, 3])])
        #expect(plain.metadata.isEmpty)
    }
}
