import Foundation
import Testing

@testable import CinchAWS

/// Without an endpoint override, requests go to the service's public endpoint, whose DNS
/// suffix is the region's partition's (https://docs.aws.amazon.com/general/latest/gr/rande.html).
@Suite struct AWSServiceEndpointTests {
  @Test(arguments: [
    ("us-east-1", "https://ssm.us-east-1.amazonaws.com"),
    ("cn-northwest-1", "https://ssm.cn-northwest-1.amazonaws.com.cn"),
    ("us-gov-east-1", "https://ssm.us-gov-east-1.amazonaws.com"),
    ("us-iso-east-1", "https://ssm.us-iso-east-1.c2s.ic.gov"),
    ("us-isob-east-1", "https://ssm.us-isob-east-1.sc2s.sgov.gov"),
    ("eusc-de-east-1", "https://ssm.eusc-de-east-1.amazonaws.eu"),
  ])
  func publicEndpointsUseThePartitionsSuffix(region: String, expected: String) {
    #expect(AWSService.ssm.defaultEndpoint(region: region)?.absoluteString == expected)
  }
}
