/// How a packed product's workers share C: by rows when there are enough of them, else by
/// column panels (a 128-token batch has one or two row blocks but many panels), or both. A row
/// split gives each worker one contiguous range of whole micro-tiles, the ranges differing by
/// at most one tile (handing out 112-row blocks in turn left one worker 288 of 512 rows).
struct WorkSplit {
    let columnSplits: Int
    let rowSplits: Int
    let panels: Int
    let m: Int

    init(m: Int, panels: Int, workers: Int) {
        self.m = m
        self.panels = panels
        let rowBlocks = (m + Gemm.mc - 1) / Gemm.mc
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

    /// Which of the row parts `worker` takes (0 ..< rowSplits).
    func rowPart(of worker: Int) -> Int { worker % rowSplits }

    /// `worker`'s rows: whole micro-tiles, contiguous (possibly empty).
    func rows(of worker: Int) -> Range<Int> {
        let part = rowPart(of: worker)
        let tiles = (m + Gemm.mr - 1) / Gemm.mr
        let first = min(m, tiles * part / rowSplits * Gemm.mr)
        let end = min(m, tiles * (part + 1) / rowSplits * Gemm.mr)
        return first..<max(first, end)
    }
}
