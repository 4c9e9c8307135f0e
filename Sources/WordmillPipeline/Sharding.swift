import WordmillArtifacts
import WordmillSupport

/// Shard `index` of `count` (`--shard I/N`, numbered from 0).
public struct ShardIndex: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 0 ≤ I < N; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= Sharding.maximumShards, (0..<n).contains(i) else { return nil }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// This shard's part of `total` items: the contiguous range
    /// `[total·I/N, total·(I+1)/N)`, so the N parts tile `0..<total` in order.
    public func range(of total: Int) -> Range<Int> {
        (total * index / count)..<(total * (index + 1) / count)
    }
}

/// How a map-shaped variant splits: shard I of N computes a pure function of the sorted
/// inputs, I and N, written to its own artifact; `merge` combines the N shard artifacts
/// into exactly the bytes an unsharded run writes (integer counts, order-independent sums).
public struct Sharding: Sendable {
    /// The most shards a stage may have.
    public static let maximumShards = 100_000

    /// What one shard's artifact holds, in words, for `plan` and the docs ("the
    /// co-occurrence counts of documents [D·I/N, D·(I+1)/N)").
    public let unit: String
    /// The artifact kind a shard writes (the stage's own kind, or a partial one such as
    /// `token-counts`); nil: the stage's kind.
    public let shardKind: String?
    /// Why a stage with these resolved parameters cannot be sharded (nil: it can); checked
    /// when the spec loads.
    public let refusal: (@Sendable ([String: JSONValue]) -> String?)?
    /// Computes shard `shard` into `context.outputPath` (the shard's path).
    public let runShard: @Sendable (StageContext, ShardIndex) throws -> StageReport
    /// Writes the stage's artifact from its shards' artifacts, given in shard order.
    public let merge: @Sendable (StageContext, [ArtifactReader]) throws -> StageReport

    public init(unit: String, shardKind: String? = nil, refusal: (@Sendable ([String: JSONValue]) -> String?)? = nil, runShard: @escaping @Sendable (StageContext, ShardIndex) throws -> StageReport,
                merge: @escaping @Sendable (StageContext, [ArtifactReader]) throws -> StageReport) {
        self.unit = unit
        self.shardKind = shardKind
        self.refusal = refusal
        self.runShard = runShard
        self.merge = merge
    }

    /// The header metadata key a shard artifact records its `I/N` under.
    public static let metadataKey = "shard"
}

extension PipelineSpec {
    /// Where shard I of N of a stage lives: `<artifacts>/<stage>/shards/<I>-of-<N>.wma`.
    public func shardPath(for stage: String, _ shard: ShardIndex) -> String {
        "\(shardDirectory(for: stage))/\(shard.index)-of-\(shard.count).wma"
    }

    /// The folder of a stage's shard artifacts.
    public func shardDirectory(for stage: String) -> String { "\(artifactsDirectory)/\(stage)/shards" }
}
