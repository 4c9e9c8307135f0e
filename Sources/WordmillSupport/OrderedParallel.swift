import Foundation

/// Transforms a stream of inputs on several threads and hands the outputs to `consume` in
/// input order, on the submitting thread — so a stage that writes what `consume` receives
/// writes the same bytes with any number of threads.
///
/// Input k runs on worker k mod `threads` (a serial queue each) while the caller goes on
/// submitting; at most `threads × 2` inputs are in flight, the oldest consumed first. With
/// one thread everything runs inline.
public final class OrderedParallel<Input, Output> {
    private let threads: Int
    private let transform: (Input) throws -> Output
    private let consume: (Output) throws -> Void
    private let workers: [DispatchQueue]
    private var inFlight: [(done: DispatchSemaphore, result: ResultCell<Output>)] = []
    private var submitted = 0

    public init(threads: Int, transform: @escaping (Input) throws -> Output, consume: @escaping (Output) throws -> Void) {
        self.threads = max(1, threads)
        self.transform = transform
        self.consume = consume
        workers = (0..<max(1, threads)).map { DispatchQueue(label: "wordmill.ordered-parallel.\($0)") }
    }

    /// Adds an input; consumes finished outputs (waiting for the oldest when too many are in flight).
    public func submit(_ input: Input) throws {
        if threads == 1 { return try consume(try transform(input)) }
        while inFlight.count >= threads * 2 { try consumeOldest(wait: true) }
        let done = DispatchSemaphore(value: 0)
        let cell = ResultCell<Output>()
        let job = Unchecked((input: input, transform: transform, cell: cell, done: done))
        workers[submitted % threads].async {
            let (input, transform, cell, done) = job.value
            cell.result = Result { try transform(input) }
            done.signal()
        }
        submitted += 1
        inFlight.append((done, cell))
        while !inFlight.isEmpty, try consumeOldest(wait: false) {}
    }

    /// Waits for and consumes everything still in flight.
    public func finish() throws {
        while !inFlight.isEmpty { try consumeOldest(wait: true) }
    }

    /// Consumes the oldest output if it is ready (or once it is, with `wait`); says whether it did.
    @discardableResult
    private func consumeOldest(wait: Bool) throws -> Bool {
        let oldest = inFlight[0]
        if wait { oldest.done.wait() } else if oldest.done.wait(timeout: .now()) != .success { return false }
        inFlight.removeFirst()
        try consume(oldest.result.result!.get())
        return true
    }

    deinit {
        // A consumer that threw leaves jobs running: let them finish before their cells go.
        for item in inFlight { item.done.wait() }
    }
}

/// Where a worker leaves its output (written once, read after the semaphore).
private final class ResultCell<Output>: @unchecked Sendable {
    var result: Result<Output, any Error>?
}

/// Carries a value the caller guarantees is used safely across threads.
private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// What a stage's `threads` parameter means: a count, or 0 for one per core.
public enum WorkerThreads {
    public static func resolve(_ parameter: Int) -> Int {
        parameter > 0 ? parameter : ProcessInfo.processInfo.activeProcessorCount
    }
}
