extension FewShotClassifier {
    /// Adds examples with one or more labels each (a multi-label classifier): each example's
    /// embedding joins the sum of every label it has, and the thresholds and slope are fitted
    /// on all stored examples (`MultiLabelFit`).
    public func addMultiLabel(_ examples: [(labels: [String], text: [UInt8])]) throws {
        guard labels.isEmpty || isMultiLabel else {
            throw ClassifierError.mixedLabelModes("'\(model.path)' is single-label; add examples without --multi-label")
        }
        if !isMultiLabel { becomeMultiLabel() }
        try addExamples(examples.map(\.labels), texts: examples.map(\.text))
    }
}
