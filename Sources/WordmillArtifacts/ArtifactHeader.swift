import WordmillSupport
/// The element type of a section, fixed-width little-endian unless `records`.
public enum ElementType: String, Sendable, CaseIterable {
    case u8, i32, u32, i64, u64, f32, f64
    /// Variable-length records whose encoding the artifact kind defines (see docs/artifact-format.md).
    case records

    /// Bytes per element, or nil for records.
    public var width: Int? {
        switch self {
        case .u8: return 1
        case .i32, .u32, .f32: return 4
        case .i64, .u64, .f64: return 8
        case .records: return nil
        }
    }
}

/// One zstd frame of a section: where it lies in the file and the XXH64 of its compressed bytes.
public struct FrameEntry: Sendable, Equatable {
    public var offset: Int
    public var compressedBytes: Int
    public var rawBytes: Int
    public var checksum: UInt64
}

/// One typed section: its name, element type, element count and frames.
public struct SectionEntry: Sendable, Equatable {
    public var name: String
    public var type: ElementType
    public var count: Int
    public var rawBytes: Int
    public var frames: [FrameEntry]
}

/// What an artifact says about itself: its kind, the fingerprint of the stage run that made
/// it, that stage's parameters, record counts, kind-specific metadata and the section table.
public struct ArtifactHeader: Sendable, Equatable {
    /// The container format version this build writes and the newest it reads.
    public static let currentFormatVersion: UInt32 = 1

    public var kind: String
    public var formatVersion: UInt32
    public var fingerprint: String
    public var stage: String
    public var op: String
    public var parameters: JSONValue
    public var counts: [String: Int]
    public var metadata: [String: JSONValue]
    public var sections: [SectionEntry]

    public init(
        kind: String, fingerprint: String, stage: String, op: String, parameters: JSONValue = .object([:]),
        counts: [String: Int] = [:], metadata: [String: JSONValue] = [:], sections: [SectionEntry] = [],
        formatVersion: UInt32 = ArtifactHeader.currentFormatVersion
    ) {
        self.kind = kind
        self.fingerprint = fingerprint
        self.stage = stage
        self.op = op
        self.parameters = parameters
        self.counts = counts
        self.metadata = metadata
        self.sections = sections
        self.formatVersion = formatVersion
    }

    /// The section called `name`, if present.
    public func section(_ name: String) -> SectionEntry? { sections.first { $0.name == name } }

    /// The index as JSON (what the file stores after the sections).
    public var indexJSON: JSONValue {
        .object([
            "kind": .string(kind),
            "fingerprint": .string(fingerprint),
            "stage": .string(stage),
            "op": .string(op),
            "parameters": parameters,
            "counts": .object(counts.mapValues { .int(Int64($0)) }),
            "metadata": .object(metadata),
            "sections": .array(sections.map { s in
                .object([
                    "name": .string(s.name),
                    "type": .string(s.type.rawValue),
                    "count": .integer(s.count),
                    "raw_bytes": .integer(s.rawBytes),
                    "frames": .array(s.frames.map { f in
                        .array([.integer(f.offset), .integer(f.compressedBytes), .integer(f.rawBytes), .string(f.checksum.hex16)])
                    }),
                ])
            }),
        ])
    }

    /// Decodes the index; `fail` turns a reason into the caller's error.
    static func decode(index: JSONValue, formatVersion: UInt32, fail: (String) -> ArtifactError) throws(ArtifactError) -> ArtifactHeader {
        func string(_ key: String) throws(ArtifactError) -> String {
            guard let s = index[key]?.stringValue else { throw fail("index field '\(key)' is missing or not a string") }
            return s
        }
        guard case .object(let countsObject)? = index["counts"] else { throw fail("index field 'counts' is missing") }
        var counts: [String: Int] = [:]
        for (k, v) in countsObject {
            guard let i = v.intValue else { throw fail("count '\(k)' is not an integer") }
            counts[k] = i
        }
        guard case .object(let metadata)? = index["metadata"] else { throw fail("index field 'metadata' is missing") }
        guard case .array(let sectionValues)? = index["sections"] else { throw fail("index field 'sections' is missing") }
        var sections: [SectionEntry] = []
        for (n, value) in sectionValues.enumerated() {
            guard let name = value["name"]?.stringValue, let typeName = value["type"]?.stringValue,
                let type = ElementType(rawValue: typeName), let count = value["count"]?.intValue,
                let raw = value["raw_bytes"]?.intValue, case .array(let frameValues)? = value["frames"]
            else { throw fail("section \(n) of the index is malformed") }
            var frames: [FrameEntry] = []
            for f in frameValues {
                guard case .array(let a)? = Optional(f), a.count == 4, let o = a[0].intValue, let c = a[1].intValue,
                    let r = a[2].intValue, let hex = a[3].stringValue, let sum = UInt64(hex16: hex)
                else { throw fail("a frame of section '\(name)' is malformed in the index") }
                frames.append(FrameEntry(offset: o, compressedBytes: c, rawBytes: r, checksum: sum))
            }
            sections.append(SectionEntry(name: name, type: type, count: count, rawBytes: raw, frames: frames))
        }
        return ArtifactHeader(
            kind: try string("kind"), fingerprint: try string("fingerprint"), stage: try string("stage"),
            op: try string("op"), parameters: index["parameters"] ?? .object([:]), counts: counts,
            metadata: metadata, sections: sections, formatVersion: formatVersion)
    }
}
