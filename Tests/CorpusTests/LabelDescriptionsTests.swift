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
}
