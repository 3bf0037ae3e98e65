import Testing

@testable import Transformer

@Suite struct LayerSelectionTests {
    @Test func keepingEveryLayerInOrderComputesTheSameEmbeddings() throws {
        let encoder = try EncoderTests.model(Double.self)
        let copy = try encoder.selectingLayers([0, 1])
        let batch = TokenBatch(sequences: EncoderTests.sequences)
        let original = Array(try encoder.forward(batch, normalize: true))
        let selected = Array(try copy.forward(batch, normalize: true))
        #expect(original == selected)
    }

    @Test func selectedLayerKeepsItsWeightsAndPositionsAreCut() throws {
        let encoder = try EncoderTests.model(Float.self)
        let copy = try encoder.selectingLayers([1], maxPositions: 8)
        #expect(copy.config.layers == 1)
        #expect(copy.config.maxPositions == 8)
        let from = encoder.layout.tensor(named: "encoder.layer.1.intermediate.dense.weight")!
        let to = copy.layout.tensor(named: "encoder.layer.0.intermediate.dense.weight")!
        #expect(
            Array(encoder.parameters.buffer[from.offset..<from.offset + from.count])
                == Array(copy.parameters.buffer[to.offset..<to.offset + to.count]))
        let positions = copy.layout.tensor(named: "embeddings.position_embeddings.weight")!
        #expect(positions.shape == [8, encoder.config.hidden])
        let original = encoder.layout.positionEmbeddings
        #expect(
            Array(encoder.parameters.buffer[original..<original + positions.count])
                == Array(copy.parameters.buffer[positions.offset..<positions.offset + positions.count]))
    }

    @Test func missingLayerIsRefused() throws {
        let encoder = try EncoderTests.model(Float.self)
        #expect(throws: EncoderError.self) { try encoder.selectingLayers([2]) }
        #expect(throws: EncoderError.self) { try encoder.selectingLayers([]) }
    }
}

@Suite struct EncoderConfigPresetTests {
    @Test func layersByWidthPresetGivesTheNamedShape() throws {
        let config = try #require(EncoderConfig.preset("3x256", vocabularySize: 100))
        #expect(
            config.layers == 3 && config.hidden == 256 && config.heads == 4 && config.intermediate == 1024 && config.maxPositions == 128)
        #expect(EncoderConfig.preset("2x128", vocabularySize: 100)?.heads == 4)
        #expect(EncoderConfig.preset("3x250", vocabularySize: 100) == nil)
        #expect(EncoderConfig.preset("big", vocabularySize: 100) == nil)
    }
}
