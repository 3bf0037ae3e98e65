extension BertEncoder {
    /// Inference for a static encoder (`EncoderConfig.isStatic`, Float): `StaticPooling` over
    /// the kernel threads, each worker a contiguous range of sequences, straight into the output
    /// rows. The same bits as the general forward pass, without its per-token activations.
    func staticForward(_ batch: TokenBatch, normalize: Bool) -> UnsafeMutableBufferPointer<S> {
        let activations = self.activations ?? Activations<S>()
        self.activations = activations
        self.batch = nil  // nothing kept for backward
        let c = config.hidden
        let rows = batch.sequenceCount
        activations.embeddings.resize(rows * c)
        let w = UnsafeRawPointer(parameters.pointer).assumingMemoryBound(to: Float.self)
        let tables = StaticPooling.Tables(
            word: w + layout.wordEmbeddings, position: w + layout.positionEmbeddings, type: w + layout.typeEmbeddings, columns: c)
        let out = SendableMutablePointer(UnsafeMutableRawPointer(activations.embeddings.pointer).assumingMemoryBound(to: Float.self))
        // Below about 16k additions a second thread costs more to wake than it saves.
        let workers = max(1, min(threads, rows, batch.tokenCount * c / 16_384))
        Parallel.perform(iterations: workers) { worker in
            batch.ids.withUnsafeBufferPointer { ids in
                batch.starts.withUnsafeBufferPointer { starts in
                    StaticPooling.forward(
                        ids: ids.baseAddress!, starts: starts.baseAddress!,
                        sequences: rows * worker / workers..<rows * (worker + 1) / workers,
                        tables: tables, normalize: normalize, out: out.pointer)
                }
            }
        }
        return UnsafeMutableBufferPointer(start: activations.embeddings.pointer, count: rows * c)
    }
}
