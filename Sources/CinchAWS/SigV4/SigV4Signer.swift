package import Foundation

/// Signs requests for one region and service (`ssm`, `secretsmanager`): adds `X-Amz-Date`,
/// `X-Amz-Security-Token` for temporary credentials, optionally `X-Amz-Content-Sha256`, and the
/// `Authorization` header covering every header the request carries.
package struct SigV4Signer: Sendable {
  package var region: String
  package var service: String

  package init(region: String, service: String) {
    self.region = region
    self.service = service
  }

  /// Signs `request` in place at `date`. Headers already named `Authorization`, `X-Amz-Date`,
  /// `X-Amz-Security-Token` or `X-Amz-Content-Sha256` are replaced.
  package func sign(
    _ request: inout SigV4Request, credentials: AWSCredentials, at date: Date,
    contentHashHeader: Bool = false
  ) {
    let replaced: Set<String> = [
      "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256",
    ]
    request.headers.removeAll { replaced.contains($0.name.lowercased()) }
    let amzDate = SigV4.amzDate(date)
    request.headers.append(("X-Amz-Date", amzDate))
    if let token = credentials.sessionToken {
      request.headers.append(("X-Amz-Security-Token", token.utf8String()))
    }
    if contentHashHeader {
      request.headers.append(("X-Amz-Content-Sha256", request.payloadHash))
    }
    let scope = SigV4.Scope(date: String(amzDate.prefix(8)), region: region, service: service)
    let (canonical, signedHeaders) = SigV4.canonicalRequest(request)
    let signature = SigV4.signature(
      stringToSign: SigV4.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope),
      signingKey: SigV4.signingKey(secretAccessKey: credentials.secretAccessKey, scope: scope))
    request.headers.append(
      (
        "Authorization",
        SigV4Authorization(
          accessKeyID: credentials.accessKeyID, scope: scope,
          signedHeaders: signedHeaders.split(separator: ";").map(String.init),
          signature: signature
        ).headerValue
      ))
  }
}
