/// "1 label", "2 labels": a count with its noun in the number the count asks for, in the
/// messages people read (a one-label classifier, one episode, one step are real cases).
/// `plural` defaults to the noun with an "s".
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
