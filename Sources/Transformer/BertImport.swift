import Foundation
import Storage

/// Imports a HuggingFace BERT directory: `config.json`, `model.safetensors`, `vocab.txt`, and
/// for sentence-transformers models `sentence_bert_config.json` (its `max_seq_length`).
public enum BertImport {
    public struct Imported {
        public let encoder: BertEncoder<Float>
        public let vocabularyPath: String
        /// Truncation length of the model's pipeline (sentence-transformers), else the positions.
        public let maxLength: Int
    }

    public static func load(directory: String) throws -> Imported {
        let configPath = directory + "/config.json"
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw StorageError.cannotOpen(path: configPath, reason: "no config.json in the model directory")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StorageError.corrupted(path: configPath, detail: "not a JSON object")
        }
        func integer(_ key: String) throws -> Int {
            guard let value = json[key] as? Int else {
                throw EncoderError.invalidModel(path: configPath, reason: "missing integer '\(key)'")
            }
            return value
        }
        if let activation = json["hidden_act"] as? String, activation != "gelu" {
            throw EncoderError.invalidModel(
                path: configPath, reason: "hidden_act '\(activation)' is not supported (BERT's exact 'gelu' is)")
        }
        if let type = json["position_embedding_type"] as? String, type != "absolute" {
            throw EncoderError.invalidModel(path: configPath, reason: "position_embedding_type '\(type)' is not supported")
        }
        let config = EncoderConfig(
            layers: try integer("num_hidden_layers"), hidden: try integer("hidden_size"), heads: try integer("num_attention_heads"),
            intermediate: try integer("intermediate_size"), maxPositions: try integer("max_position_embeddings"),
            vocabularySize: try integer("vocab_size"), typeVocabularySize: (json["type_vocab_size"] as? Int) ?? 2,
            layerNormEpsilon: (json["layer_norm_eps"] as? Double) ?? 1e-12)
        let encoder = try EncoderCheckpoint.encoder(config: config, from: try SafeTensors.File(path: directory + "/model.safetensors"))
        var maxLength = config.maxPositions
        if let sentenceConfig = FileManager.default.contents(atPath: directory + "/sentence_bert_config.json"),
            let object = try? JSONSerialization.jsonObject(with: sentenceConfig) as? [String: Any],
            let length = object["max_seq_length"] as? Int
        {
            maxLength = min(length, config.maxPositions)
        }
        let vocabularyPath = directory + "/vocab.txt"
        guard FileManager.default.fileExists(atPath: vocabularyPath) else {
            throw StorageError.cannotOpen(path: vocabularyPath, reason: "no vocab.txt in the model directory")
        }
        return Imported(encoder: encoder, vocabularyPath: vocabularyPath, maxLength: maxLength)
    }
}
