import Foundation

/// Runs jobs one after another, in the order they are submitted, on a thread of their own,
/// so a stage's producer need not wait for them; at most `limit` jobs wait at a time (a
/// submit blocks past that, bounding the memory they hold). After a job throws, the later
/// ones are skipped and `finish` rethrows the error.
public final class SerialBackgroundQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "wordmill.serial-background")
    private let slots: DispatchSemaphore
    /// The first error a job threw; read and written only on `queue`.
    private var failure: (any Error)?

    public init(limit: Int) { slots = DispatchSemaphore(value: max(1, limit)) }

    /// Queues `job` behind the jobs already submitted.
    public func submit(_ job: @escaping () throws -> Void) {
        slots.wait()
        let box = JobBox(job)
        queue.async { [self] in
            defer { slots.signal() }
            guard failure == nil else { return }
            do { try box.job() } catch { failure = error }
        }
    }

    /// Waits for every submitted job; rethrows the first error one threw.
    public func finish() throws {
        try queue.sync { if let failure { throw failure } }
    }
}

/// Carries a job to the queue's thread; the submitter hands it over and keeps no access.
private final class JobBox: @unchecked Sendable {
    let job: () throws -> Void
    init(_ job: @escaping () throws -> Void) { self.job = job }
}
