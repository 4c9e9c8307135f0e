import Dispatch

/// Runs `body(0) … body(count − 1)` on the dispatch pool and waits for all of them.
///
/// For short, evenly sized pieces of work that write to disjoint memory (each index its own
/// worker state): the closure need not be `Sendable`, so the caller answers for what it
/// shares. One index runs inline.
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count == 1 { return body(0) }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(body)
        DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
