/// How a packed product's workers share C: by row blocks when there are enough of them, else by
/// column panels (a 128-token batch has one or two row blocks but many panels), or both.
struct WorkSplit {
    let columnSplits: Int
    let rowSplits: Int
    let panels: Int

    init(rowBlocks: Int, panels: Int, workers: Int) {
        self.panels = panels
        columnSplits = rowBlocks >= 2 * workers ? 1 : min(workers, panels)
        rowSplits = max(1, workers / columnSplits)
    }

    var iterations: Int { rowSplits * columnSplits }

    /// The first column and the width of `worker`'s panels within `n` columns, or nil if it has none.
    func columns(of worker: Int, n: Int) -> (start: Int, width: Int)? {
        let part = worker / rowSplits
        let firstPanel = panels * part / columnSplits
        let endPanel = panels * (part + 1) / columnSplits
        guard endPanel > firstPanel else { return nil }
        let start = firstPanel * Gemm.nr
        return (start, min(n, endPanel * Gemm.nr) - start)
    }

    /// The first of the row blocks `worker` takes (then every `rowSplits`-th).
    func firstRowBlock(of worker: Int) -> Int { worker % rowSplits }
}
