package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** AWS_IAM routes: a request signed by the AWS SDK with the local key passes; anything else is API Gateway's 403. */
class SigV4VerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final byte[] BODY = "{\"amount\":10,\"source\":\"GRANT\",\"reference\":\"INV-1\"}".getBytes(StandardCharsets.UTF_8);
  private final SigV4Verifier verifier = new SigV4Verifier(Map.of("local", "local"), Clock.fixed(NOW, ZoneOffset.UTC));

  static SdkHttpRequest signed(String accessKey, String secret, byte[] body, Instant at) {
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).protocol("http").host("127.0.0.1").port(3000)
        .encodedPath("/v1/billing/organizations/o1/credits").putRawQueryParameter("dryRun", "no").putHeader("Content-Type", "application/json").build();
    return AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(accessKey, secret)).request(request)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
  }

  private SigV4Verifier.Result verify(SdkHttpRequest request, byte[] body) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(request.headers());
    return verifier.verify("POST", request.encodedPath(), "dryRun=no", name -> headers.get(name.toLowerCase(Locale.ROOT)), body);
  }

  @Test
  void aRequestSignedByTheSdkWithTheLocalKeyIsTheLocalIamUser() {
    SigV4Verifier.Result result = verify(signed("local", "local", BODY, NOW.minusSeconds(30)), BODY);
    assertTrue(result.verified(), result.refusal());
    assertEquals("arn:aws:iam::123456789012:user/local", result.identity().userArn());
    assertEquals("123456789012", result.identity().asMap().get("accountId"));
    assertEquals("local", result.identity().asMap().get("accessKey"));
  }

  @Test
  void unsignedWronglySignedTamperedStaleOrBearerRequestsAreRefused() {
    assertEquals(SigV4Verifier.MISSING, verifier.verify("POST", "/x", null, name -> null, BODY).refusal());
    assertFalse(verify(signed("local", "not-the-secret", BODY, NOW), BODY).verified(), "wrong secret");
    assertFalse(verify(signed("someone", "local", BODY, NOW), BODY).verified(), "unknown access key");
    assertFalse(verify(signed("local", "local", BODY, NOW), "{\"amount\":1000000}".getBytes(StandardCharsets.UTF_8)).verified(), "body changed");
    assertEquals(SigV4Verifier.FORBIDDEN, verify(signed("local", "local", BODY, NOW.minusSeconds(600)), BODY).refusal(), "signed 10 minutes ago");
    assertEquals(SigV4Verifier.FORBIDDEN, verifier.verify("POST", "/x", null,
        name -> name.equals("authorization") ? List.of("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig") : null, BODY).refusal(), "a Cognito token");
  }
}
