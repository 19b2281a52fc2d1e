import CinchStore
import Testing

@testable import CinchCLI

/// A service error every retry got reads as botocore's does once its retries ran out.
@Suite struct RetriesReachedTests {
  @Test func theTextSaysTheRetriesWereSpent() {
    var throttled = StoreError(code: "ThrottlingException", message: "Rate exceeded")
    let once = AWSErrorPresenter(operation: "GetParameter", errorFormat: .legacy)
    #expect(
      once.present(throttled).text
        == "\nAn error occurred (ThrottlingException) when calling the GetParameter operation: "
        + "Rate exceeded\n")
    throttled.maxRetriesReached = 2
    #expect(
      once.present(throttled).text
        == "\nAn error occurred (ThrottlingException) when calling the GetParameter operation "
        + "(reached max retries: 2): Rate exceeded\n")
  }
}
