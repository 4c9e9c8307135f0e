import WordmillSupport

/// safetensors (`huggingface/safetensors`: README "Format", `safetensors/src/tensor.rs`):
/// a little-endian `u64` header length N, N bytes of a UTF-8 JSON object padded with spaces
/// to a multiple of 8, then the data buffer. Each key but `__metadata__` (a string→string
/// map) names a tensor: `{"dtype":"F32","shape":[...],"data_offsets":[begin,end]}`, offsets
/// relative to the first data byte, row-major little-endian values, the offsets tiling the
/// buffer from 0 to its end. `safetensors.numpy.load_file(path)` reads it. wordmill writes
/// and reads float32 (`F32`) tensors only.
public enum SafetensorsFormat {
    /// One named float32 tensor: `values` in row-major order, as many as the product of
    /// `shape` (a 0-d tensor, `shape == []`, holds one value; a shape with a 0 holds none).
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The largest header the reference reader accepts (`MAX_HEADER_SIZE`).
    static let maxHeaderLength = 100_000_000

    /// The bytes the reference writer (`serialize`, safetensors 0.8) produces for these
    /// tensors, except that `__metadata__` keys are sorted (see below).
    ///
    /// Order: the reference sorts tensors by dtype alignment, descending, then by name with
    /// Rust's `String` ordering, which compares UTF-8 bytes; with one dtype that is name
    /// order by bytes, so the tensors are sorted by `name.utf8` (not Swift's `<`, which
    /// compares canonically normalized strings) and their data laid out in that order. JSON
    /// keys appear in the same order, `__metadata__` first. Readers accept any key order: the
    /// reference reader parses the header into a map and sorts entries by `data_offsets`.
    /// The reference writes `__metadata__` from a Rust `HashMap`, whose order changes from
    /// run to run, so it has no fixed bytes for two or more keys; wordmill sorts them by
    /// UTF-8 bytes to stay deterministic. Empty `metadata` writes no `__metadata__` (as
    /// `save_file(..., metadata=None)` does). Strings are escaped as serde_json does: `"`,
    /// `\`, and controls below U+0020 (`\b \t \n \f \r`, others `\u00xx`); the rest is raw UTF-8.
    ///
    /// Names must be distinct as Swift strings (so also up to canonical equivalence, which
    /// `decode` needs), not `__metadata__`, and every shape must match its value count.
    public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        precondition(Set(tensors.map(\.name)).count == tensors.count, "safetensors tensor names must be distinct")
        let sorted = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var header: [UInt8] = [UInt8(ascii: "{")]
        if !metadata.isEmpty {
            header += #""__metadata__":{"#.utf8
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (n, key) in keys.enumerated() {
                if n > 0 { header.append(UInt8(ascii: ",")) }
                appendString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                appendString(metadata[key]!, to: &header)
            }
            header.append(UInt8(ascii: "}"))
        }
        var offset = 0
        for (n, tensor) in sorted.enumerated() {
            precondition(tensor.name != "__metadata__", "__metadata__ cannot name a tensor")
            precondition(tensor.shape.allSatisfy { $0 >= 0 } && tensor.shape.reduce(1, *) == tensor.values.count,
                         "tensor \(tensor.name.debugDescription): shape \(tensor.shape) does not hold \(tensor.values.count) values")
            if n > 0 || !metadata.isEmpty { header.append(UInt8(ascii: ",")) }
            appendString(tensor.name, to: &header)
            let end = offset + 4 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            header += #":{"dtype":"F32","shape":[\#(shape)],"data_offsets":[\#(offset),\#(end)]}"#.utf8
            offset = end
        }
        header.append(UInt8(ascii: "}"))
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        out += header
        for tensor in sorted {
            #if _endian(little)
            tensor.values.withUnsafeBytes { out += $0 }
            #else
            for v in tensor.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
            #endif
        }
        return out
    }

    /// A JSON string literal for `s`, escaped as serde_json escapes it.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Reads a safetensors file of float32 tensors back, in data order (for files `encode`
    /// or the reference writer made: sorted by UTF-8 name), and its `__metadata__`.
    ///
    /// Checks what the reference reader checks (header length within the file and at most
    /// 100 MB, a JSON object, `data_offsets` tiling the data from 0 to the end of the file
    /// with no gap or overlap, `end − begin == 4 × prod(shape)`, string metadata) and, beyond
    /// it, that every dtype is `F32` and no key repeats. Unknown fields in a tensor entry are
    /// ignored, as the reference does. Limitation: names are compared as Swift strings, so a
    /// file holding two names that differ only in Unicode normalization is rejected as a
    /// duplicate key. Errors name the tensor at fault.
    public static func decode(_ bytes: [UInt8], path: String) throws(ExportError) -> (tensors: [Tensor], metadata: [String: String]) {
        func fail(_ reason: String) -> ExportError { .malformed(path: path, line: 1, reason: reason) }
        guard bytes.count >= 8 else { throw fail("truncated: \(bytes.count) bytes, too few for the 8-byte header length") }
        let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(maxHeaderLength) else { throw fail("header length \(length) is over the 100,000,000-byte limit") }
        let dataStart = 8 + Int(length)
        guard dataStart <= bytes.count else {
            throw fail("header length \(length) runs past the end of the file (\(bytes.count) bytes; truncated?)")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(Array(bytes[8..<dataStart])) } catch { throw fail("header is not valid JSON: \(error)") }
        guard case .object(let entries) = json else { throw fail("header is a JSON \(json.typeName), expected an object") }

        var metadata: [String: String] = [:]
        var infos: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in entries {
            if key == "__metadata__" {
                if value == .null { continue }
                guard case .object(let map) = value else { throw fail("__metadata__ is a JSON \(value.typeName), expected an object") }
                for (k, v) in map {
                    guard let s = v.stringValue else { throw fail("__metadata__ entry \(k.debugDescription) is a \(v.typeName), expected a string") }
                    metadata[k] = s
                }
                continue
            }
            let tensor = "tensor \(key.debugDescription)"
            guard case .object(let info) = value else { throw fail("\(tensor) is a JSON \(value.typeName), expected an object") }
            guard let dtype = info["dtype"]?.stringValue else { throw fail("\(tensor) has no dtype string") }
            guard dtype == "F32" else { throw fail("\(tensor) has dtype \(dtype.debugDescription); only F32 (float32) is supported") }
            guard let shape = naturals(info["shape"]) else { throw fail("\(tensor) has no shape array of non-negative integers") }
            guard let offsets = naturals(info["data_offsets"]), offsets.count == 2 else {
                throw fail("\(tensor) has no data_offsets [begin, end] of non-negative integers")
            }
            infos.append((key, shape, offsets[0], offsets[1]))
        }
        infos.sort { ($0.begin, $0.end) != ($1.begin, $1.end) ? ($0.begin, $0.end) < ($1.begin, $1.end) : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }

        let dataLength = bytes.count - dataStart
        var position = 0
        var tensors: [Tensor] = []
        tensors.reserveCapacity(infos.count)
        for info in infos {
            let tensor = "tensor \(info.name.debugDescription)"
            let span = "data_offsets [\(info.begin), \(info.end)]"
            guard info.begin == position else {
                throw fail(info.begin < position
                    ? "\(tensor) has \(span), overlapping the data before it, which ends at \(position)"
                    : "\(tensor) has \(span), leaving a gap after byte \(position): offsets must tile the data from 0")
            }
            guard info.end >= info.begin else { throw fail("\(tensor) has \(span), ending before it begins") }
            var count = 1
            for d in info.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= Int.max / 4 else { throw fail("\(tensor) has shape \(info.shape), too large") }
                count = product
            }
            guard info.end - info.begin == 4 * count else {
                throw fail("\(tensor) has shape \(info.shape) (\(count) float32 values, \(4 * count) bytes) but \(span) span \(info.end - info.begin) bytes")
            }
            guard info.end <= dataLength else {
                throw fail("\(tensor) has \(span), past the \(dataLength) data bytes in the file (truncated?)")
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { $0.copyBytes(from: bytes[(dataStart + info.begin)..<(dataStart + info.end)]) }
            #if _endian(big)
            values = values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
            #endif
            tensors.append(Tensor(name: info.name, shape: info.shape, values: values))
            position = info.end
        }
        guard position == dataLength else {
            throw fail("the tensors cover \(position) of the \(dataLength) data bytes; the file must end where the last tensor does")
        }
        return (tensors, metadata)
    }

    /// The elements of a JSON array of non-negative integers (not `4.0`, which the reference rejects too).
    private static func naturals(_ value: JSONValue?) -> [Int]? {
        guard case .array(let items)? = value else { return nil }
        var out: [Int] = []
        for item in items {
            guard case .int(let i) = item, i >= 0, let n = Int(exactly: i) else { return nil }
            out.append(n)
        }
        return out
    }
}
