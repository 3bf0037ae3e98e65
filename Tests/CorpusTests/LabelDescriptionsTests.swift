import Foundation
import TestSupport
import Testing

@testable import Corpus

@Suite struct LabelNameTests {
    @Test func labelNamesAreReadAsWords() {
        #expect(LabelDescriptions.words(ofName: "american_football") == "american football")
        #expect(LabelDescriptions.words(ofName: "music_2") == "music")
        #expect(LabelDescriptions.words(ofName: "men-women") == "men women")
        #expect(LabelDescriptions.words(ofName: "catch_22_x") == "catch 22 x")
        #expect(LabelDescriptions.words(ofName: "_2") == " 2")
    }

    @Test func labelsLoseTheSpacesAroundThemAndRefuseControlCharacters() throws {
        let directory = try TestFiles.directory()
        let names = directory.appendingPathComponent("names.tsv")
        try TestFiles.write("sport \tgames and races\n  music\n", to: names)
        #expect(try LabelDescriptions(path: names.path).entries.map(\.label) == ["sport", "music"])
        let twice = directory.appendingPathComponent("twice.tsv")
        try TestFiles.write("sport\nsport \n", to: twice)
        #expect(throws: CorpusError.invalidLine("\(twice.path):2: label 'sport' is already defined on line 1")) {
            try LabelDescriptions(path: twice.path)
        }
        let same = directory.appendingPathComponent("same.tsv")
        try TestFiles.write("a_b\nMusic\na b\n", to: same)
        #expect(throws: CorpusError.self) { try LabelDescriptions(path: same.path) }
        try TestFiles.write("Music\nmusic\tsongs and melodies\n", to: same)
        #expect(try LabelDescriptions(path: same.path).entries.map(\.label) == ["Music", "music"])
        let control = directory.appendingPathComponent("control.tsv")
        try TestFiles.write("sp\u{7}ort\n", to: control)
        #expect(throws: CorpusError.invalidLine("\(control.path):1: a control character in the label")) {
            try LabelDescriptions(path: control.path)
        }
    }
}
