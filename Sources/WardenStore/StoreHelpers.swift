/// Small conveniences both stores' ledger code uses.
extension Optional {
    /// The value, or `error` when there is none: for rows whose columns must hold something.
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}

extension Array {
    /// Slices of at most `size` elements: SQL statements take a bounded number of parameters.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
