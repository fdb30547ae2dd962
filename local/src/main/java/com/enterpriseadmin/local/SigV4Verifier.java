package com.enterpriseadmin.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The {@code AWS_IAM} authorization of an HTTP API route, as API Gateway does it: the request must carry
 * a SigV4 {@code Authorization} header made with a known access key. It is checked by signing the same
 * request again with the AWS SDK's own signer ({@link AwsV4HttpSigner}: the headers the client signed,
 * its method, path, query and body, its {@code X-Amz-Date}, region and service from the credential
 * scope) and comparing the two headers. No hand-written crypto. The local stack knows one key pair,
 * {@link LocalAws#ACCESS_KEY_ID} / {@link LocalAws#SECRET_ACCESS_KEY}, whose identity is the IAM user
 * {@code arn:aws:iam::123456789012:user/local}.
 */
public final class SigV4Verifier {
  /** API Gateway's answers: unsigned, or signed but not acceptable. */
  public static final String MISSING = "Missing Authentication Token";
  public static final String FORBIDDEN = "Forbidden";
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*SignedHeaders=([a-z0-9;._-]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** The verified caller, as {@code requestContext.authorizer.iam} of the event. */
  public record Identity(String accessKey, String accountId, String callerId, String userArn, String userId) {
    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("accessKey", accessKey);
      m.put("accountId", accountId);
      m.put("callerId", callerId);
      m.put("userArn", userArn);
      m.put("userId", userId);
      return m;
    }
  }

  /** Verified (with the caller) or refused (403 with API Gateway's message). */
  public record Result(Identity identity, String refusal) {
    public boolean verified() {
      return identity != null;
    }
  }

  private final Map<String, String> secrets;
  private final Clock clock;

  public SigV4Verifier(Map<String, String> secretsByAccessKey, Clock clock) {
    this.secrets = Map.copyOf(secretsByAccessKey);
    this.clock = clock;
  }

  /** The local stack's one key pair. */
  public static SigV4Verifier local() {
    return new SigV4Verifier(Map.of(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY), Clock.systemUTC());
  }

  /**
   * @param header a header's values by name, any case (null when absent)
   * @param rawQuery the query string as sent (still encoded), or null
   */
  public Result verify(String method, String rawPath, String rawQuery, Function<String, List<String>> header, byte[] body) {
    String authorization = first(header, "authorization");
    if (authorization == null || authorization.isBlank()) {
      return refused(MISSING);
    }
    Matcher m = AUTHORIZATION.matcher(authorization.trim());
    if (!m.matches()) {
      return refused(FORBIDDEN); // e.g. a Cognito "Bearer" token: not an IAM identity
    }
    String accessKey = m.group(1);
    String secret = secrets.get(accessKey);
    String amzDate = first(header, "x-amz-date");
    List<String> signed = List.of(m.group(5).split(";"));
    if (secret == null || amzDate == null || !signed.contains("host") || !signed.contains("x-amz-date") || !amzDate.startsWith(m.group(2))) {
      return refused(FORBIDDEN);
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      return refused(FORBIDDEN);
    }
    if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
      return refused(FORBIDDEN); // "Signature expired"
    }
    String host = first(header, "host");
    if (host == null) {
      return refused(FORBIDDEN);
    }
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.fromValue(method.toUpperCase(Locale.ROOT)))
        .protocol("http")
        .host(host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host)
        .encodedPath(rawPath);
    if (host.contains(":")) {
      request.port(Integer.parseInt(host.substring(host.lastIndexOf(':') + 1)));
    }
    ApiEvents.parseQuery(rawQuery).forEach(request::putRawQueryParameter);
    for (String name : signed) {
      if (name.equals("host")) continue; // the signer writes it from host and port, as the client's signer did
      List<String> values = header.apply(name);
      if (values == null) {
        return refused(FORBIDDEN);
      }
      request.putHeader(name, values);
    }
    SignedRequest again;
    try {
      again = AwsV4HttpSigner.create().sign(r -> r
          .identity(AwsCredentialsIdentity.create(accessKey, secret))
          .request(request.build())
          .payload(software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(body == null ? new byte[0] : body))
          .putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, m.group(4))
          .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    } catch (RuntimeException e) {
      return refused(FORBIDDEN);
    }
    String expected = again.request().firstMatchingHeader("Authorization").orElse("");
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), authorization.trim().getBytes(StandardCharsets.UTF_8))) {
      return refused(FORBIDDEN);
    }
    String userId = "AIDA" + accessKey.toUpperCase(Locale.ROOT);
    return new Result(new Identity(accessKey, LocalAws.ACCOUNT_ID, userId, "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":user/" + accessKey, userId), null);
  }

  private static Result refused(String message) {
    return new Result(null, message);
  }

  private static String first(Function<String, List<String>> header, String name) {
    List<String> values = header.apply(name);
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }
}
