extension MetaTrainer.Report {
    /// The report as one line of the training log (MODEL.log.jsonl), without the newline: a JSON
    /// object with `step`, `loss`, `lr`, `grad_norm`, `examples_per_second` and, when measured,
    /// `train_accuracy`, `val_accuracy`, and protomaml's `plain_loss` and `plain_train_accuracy`
    /// (before the update). A value that is not a finite number (a loss that
    /// diverged) is written as `null`, so every line stays valid JSON.
    public var jsonLine: String {
        var fields = [
            "\"step\":\(step)", "\"loss\":\(Self.number(loss))", "\"lr\":\(Self.number(learningRate))",
            "\"grad_norm\":\(Self.number(gradientNorm))", "\"examples_per_second\":\(Self.number(examplesPerSecond))",
        ]
        if let accuracy { fields.append("\"train_accuracy\":\(Self.number(accuracy))") }
        if let validation { fields.append("\"val_accuracy\":\(Self.number(validation))") }
        if let plainLoss { fields.append("\"plain_loss\":\(Self.number(plainLoss))") }
        if let plainAccuracy { fields.append("\"plain_train_accuracy\":\(Self.number(plainAccuracy))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A JSON number, or `null` for NaN and the infinities (which JSON cannot express).
    static func number<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Value) -> String {
        value.isFinite ? String(value) : "null"
    }
}
