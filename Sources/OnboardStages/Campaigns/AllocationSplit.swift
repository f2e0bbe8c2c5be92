import Foundation

/// Whole numbers that add up to exactly `total`, in proportion to `weights` (largest-remainder
/// rounding). Ties between equal remainders go to the earlier entry, so the split is the same
/// every time; with no weight at all the total is split evenly, the same way.
enum AllocationSplit {
    static func largestRemainder(total: Int, weights: [Int]) -> [Int] {
        guard !weights.isEmpty else { return [] }
        let clean = weights.map { max(0, $0) }
        let sum = clean.reduce(0, +)
        let shares = sum == 0 ? Array(repeating: 1, count: clean.count) : clean
        let shareSum = sum == 0 ? clean.count : sum
        var result = shares.map { $0 * total / shareSum }
        let remainders = shares.enumerated().map { (index: $0.offset, remainder: $0.element * total % shareSum) }
        let left = total - result.reduce(0, +)
        let order = remainders.sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        for entry in order.prefix(left) { result[entry.index] += 1 }
        return result
    }
}
