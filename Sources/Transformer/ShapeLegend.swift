/// The shape letters every comment in this module uses (declared once, here).
///
/// Encoder:
/// - B: sequences in a batch
/// - N: tokens in the batch, all sequences packed one after another (no padding)
/// - L: tokens of one sequence (L ≤ P)
/// - C: hidden width; H: attention heads; D = C/H: head width; F: feed-forward width
/// - V: vocabulary size; P: positions (the longest input)
///
/// Kernels:
/// - R×C: a kernel over rows (R = N for token-wise layers, B for sentence-wise ones), C columns
/// - GEMM: C[m×n] = op(A)[m×k] · op(B)[k×n], row-major with leading dimensions lda, ldb, ldc
///   (BLAS's letters; in the encoder, m is N or L, k and n are C, D, F or L)
///
/// Parameters keep BERT's layout: a dense layer's weight is outputs × inputs, so a layer
/// computes x · Wᵀ + b.
public enum ShapeLegend {}
