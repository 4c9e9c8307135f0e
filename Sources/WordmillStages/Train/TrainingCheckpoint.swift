import Foundation
import WordmillArtifacts
import WordmillPipeline
import WordmillSupport

/// A training stage's state after an epoch, at `<artifact>.checkpoint` beside its artifact.
///
/// Written atomically after every epoch but the last; its header carries the stage's
/// fingerprint, so only the same configuration resumes from it (another one's checkpoint is
/// deleted). Removed once the model artifact is written. The fault-injection hook
/// `WORDMILL_FAULT_KILL=checkpoint:<file>:<epoch>` kills the process right after one is in place.
struct TrainingCheckpoint {
    let context: StageContext
    let kind: String
    var path: String { context.outputPath + ".checkpoint" }

    /// Writes the state after `epoch` (epochs finished; a mid-epoch checkpoint adds its own
    /// position to the metadata and names itself `<epoch>+<steps>` in the kill hook): `body`
    /// fills the sections and returns extra metadata.
    func write(epoch: Int, label: String? = nil, _ body: (ArtifactWriter) throws -> [String: JSONValue]) throws {
        let writer = try ArtifactWriter(path: path)
        do {
            var metadata = try body(writer)
            metadata["epoch"] = .integer(epoch)
            try writer.commit(header: context.header(kind: kind, metadata: metadata))
            FaultInjection.killIfRequested(at: "checkpoint:\(FileSystem.baseName(of: path)):\(label ?? String(epoch))")
        } catch {
            writer.discard()
            throw error
        }
    }

    /// The checkpoint of this very configuration with its epoch, or nil (a stale or unreadable
    /// one is removed and said so). `load` restores the trainer from it; an error there
    /// discards the checkpoint too, and training starts over.
    func resume(_ load: (ArtifactReader, Int) throws -> Void) -> Int? {
        guard FileSystem.isRegularFile(path) else { return nil }
        do {
            let reader = try ArtifactReader(path: path, kinds: [kind])
            guard reader.header.fingerprint == context.fingerprint else {
                context.log("discarding a checkpoint of an earlier configuration of this stage")
                unlink(path)
                return nil
            }
            guard let epoch = reader.header.metadata["epoch"]?.intValue, epoch >= 0 else {
                throw ArtifactError.damaged(path: path, reason: "the checkpoint records no epoch")
            }
            try load(reader, epoch)
            let steps = reader.header.metadata["steps"]?.intValue.map { " and \($0) steps of epoch \(epoch + 1)" } ?? ""
            context.log("resuming after epoch \(epoch)\(steps) from \(FileSystem.baseName(of: path))")
            return epoch
        } catch {
            context.log("discarding an unreadable checkpoint (\(error)); training from the start")
            unlink(path)
            return nil
        }
    }

    /// Removes the checkpoint (the model is written).
    func remove() { unlink(path) }
}
