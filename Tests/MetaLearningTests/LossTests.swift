import Foundation
import TestSupport
import Testing
import Transformer

@testable import MetaLearning

/// Each loss's backward against central differences in Double.
@Suite struct LossTests {
    static func random(_ count: Int, seed: UInt64) -> [Double] { CentralDifference.random(count, seed: seed) }

    static func check(_ values: inout [Double], analytic: [Double], tolerance: Double = 1e-6, _ loss: ([Double]) -> Double) {
        let mismatches = CentralDifference.mismatches(&values, analytic: analytic, tolerance: tolerance, loss)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func prototypicalLossGradient() {
        let (ways, shots, queries, d) = (3, 2, 2, 4)
        var e = Self.random((ways * shots + ways * queries) * d, seed: 1)
        var gradient = [Double](repeating: 0, count: e.count)
        let result = Losses.prototypical(e, dimension: d, ways: ways, shots: shots, queries: queries, scale: 0.7, gradient: &gradient)
        #expect(result.loss > 0 && (0...1).contains(result.accuracy))
        var scratch = gradient
        Self.check(&e, analytic: gradient) { values in
            Losses.prototypical(values, dimension: d, ways: ways, shots: shots, queries: queries, scale: 0.7, gradient: &scratch).loss
        }
    }

    @Test func openSetRankingGradientIsItsWeightTimesTheLosss() {
        let (ways, shots, queries, unknownRows, d) = (3, 2, 2, 3, 4)
        var e = Self.random((ways * shots + ways * queries + unknownRows) * d, seed: 11)
        var gradient = [Double](repeating: 0.25, count: e.count)
        let result = Losses.openSetRanking(
            e, dimension: d, ways: ways, shots: shots, queries: queries, unknownRows: unknownRows, sharpness: 3, weight: 1.5,
            gradient: &gradient)
        #expect(result.loss > 0 && (0...1).contains(result.auroc))
        // It adds into the gradient: the 0.25 already there stays.
        let added = gradient.map { ($0 - 0.25) / 1.5 }
        var scratch = gradient
        Self.check(&e, analytic: added) { values in
            Losses.openSetRanking(
                values, dimension: d, ways: ways, shots: shots, queries: queries, unknownRows: unknownRows, sharpness: 3, weight: 1,
                gradient: &scratch
            ).loss
        }
    }

    @Test func openSetRankingScoresTheEpisodesAUROC() {
        // Two labels along the first two axes; known queries on their own axis, unknowns on a
        // third: every pair is ordered (AUROC 1); unknowns placed on the labels' axes reverse it.
        let d = 3
        let support: [Double] = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]
        let known: [Double] = [0.8, 0.6, 0, 0.6, 0.8, 0]
        func episode(unknown: [Double]) -> (loss: Double, auroc: Double) {
            var gradient = [Double](repeating: 0, count: (4 + 2 + 2) * d)
            return Losses.openSetRanking(
                support + known + unknown, dimension: d, ways: 2, shots: 2, queries: 1, unknownRows: 2, sharpness: 10, weight: 1,
                gradient: &gradient)
        }
        let apart = episode(unknown: [0, 0, 1, 0.6, 0, 0.8])
        let confused = episode(unknown: [1, 0, 0, 0, 1, 0])
        #expect(apart.auroc == 1)
        #expect(confused.auroc == 0)
        #expect(apart.loss < confused.loss)
    }

    @Test func distillationGradients() {
        let (rows, d, t) = (3, 4, 5)
        var e = Self.random(rows * d, seed: 2)
        var weight = Self.random(t * d, seed: 3)
        let bias = Self.random(t, seed: 4)
        let teacher = Self.random(rows * t, seed: 5)
        var dWeight = [Double](repeating: 0, count: t * d), dBias = [Double](repeating: 0, count: t),
            dE = [Double](repeating: 0, count: rows * d)
        _ = Losses.cosineDistillation(
            e, rows: rows, dimension: d, teacher: teacher, teacherDimension: t, weight: weight, bias: bias, dWeight: &dWeight,
            dBias: &dBias, gradient: &dE)
        var sinkW = dWeight, sinkB = dBias, sinkE = dE
        Self.check(&e, analytic: dE) { values in
            Losses.cosineDistillation(
                values, rows: rows, dimension: d, teacher: teacher, teacherDimension: t, weight: weight, bias: bias, dWeight: &sinkW,
                dBias: &sinkB, gradient: &sinkE)
        }
        Self.check(&weight, analytic: dWeight) { values in
            Losses.cosineDistillation(
                e, rows: rows, dimension: d, teacher: teacher, teacherDimension: t, weight: values, bias: bias, dWeight: &sinkW,
                dBias: &sinkB, gradient: &sinkE)
        }
    }

    @Test func softmaxClassifierGradients() {
        let (rows, d, classes) = (4, 3, 5)
        var e = Self.random(rows * d, seed: 6)
        var weight = Self.random(classes * d, seed: 7)
        let bias = Self.random(classes, seed: 8)
        let labels = [0, 3, 4, 3]
        var dWeight = [Double](repeating: 0, count: classes * d), dBias = [Double](repeating: 0, count: classes),
            dE = [Double](repeating: 0, count: rows * d)
        _ = Losses.softmaxClassifier(
            e, rows: rows, dimension: d, labels: labels, classes: classes, weight: weight, bias: bias, dWeight: &dWeight, dBias: &dBias,
            gradient: &dE)
        var sinkW = dWeight, sinkB = dBias, sinkE = dE
        Self.check(&e, analytic: dE) { values in
            Losses.softmaxClassifier(
                values, rows: rows, dimension: d, labels: labels, classes: classes, weight: weight, bias: bias, dWeight: &sinkW,
                dBias: &sinkB, gradient: &sinkE
            ).loss
        }
        Self.check(&weight, analytic: dWeight) { values in
            Losses.softmaxClassifier(
                e, rows: rows, dimension: d, labels: labels, classes: classes, weight: values, bias: bias, dWeight: &sinkW, dBias: &sinkB,
                gradient: &sinkE
            ).loss
        }
    }

    @Test func scheduleWarmsUpThenDecays() {
        let schedule = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 110)
        #expect(abs(schedule.rate(at: 0) - 0.1) < 1e-6)
        #expect(abs(schedule.rate(at: 9) - 1) < 1e-6)
        #expect(abs(schedule.rate(at: 60) - 0.55) < 1e-3)
        #expect(abs(schedule.rate(at: 110) - 0.1) < 1e-6)
    }
}
