import Testing

@testable import CinchTemplate

@Suite struct NearestNameTests {
  @Test func typosFindTheirName() {
    let names = ["Environment", "DatabaseName", "AWS::Region", "AppBucket"]
    #expect(NearestName.closest(to: "Enviroment", among: names) == "Environment")
    #expect(NearestName.closest(to: "Enviornment", among: names) == "Environment")
    #expect(NearestName.closest(to: "AWS::Regoin", among: names) == "AWS::Region")
    #expect(NearestName.closest(to: "databasename", among: names) == "DatabaseName")
  }

  @Test func farNamesAreNotSuggested() {
    let names = ["Environment", "B", "Queue"]
    #expect(NearestName.closest(to: "Y", among: names) == nil)
    #expect(NearestName.closest(to: "Bucket", among: names) == nil)
    #expect(NearestName.hint(for: "Zzz", among: names) == "")
  }

  @Test func theNameItselfIsNoSuggestion() {
    #expect(NearestName.closest(to: "Queue", among: ["Queue"]) == nil)
  }

  @Test func tiesGoToTheFirstInSortedOrder() {
    #expect(NearestName.closest(to: "Abc1", among: ["Abc3", "Abc2"]) == "Abc2")
    #expect(NearestName.hint(for: "Abc1", among: ["Abc2"]) == " (did you mean 'Abc2'?)")
  }

  @Test func editDistance() {
    func distance(_ a: String, _ b: String) -> Int {
      NearestName.editDistance(Array(a.utf8), Array(b.utf8))
    }
    #expect(distance("", "abc") == 3)
    #expect(distance("kitten", "sitting") == 3)
    #expect(distance("same", "same") == 0)
    #expect(distance("abc", "") == 3)
  }
}
