package com.enterpriseadmin.local;

/** Fixed identifiers the local stack uses where AWS would have real ones. */
public final class LocalAws {
  public static final String ACCOUNT_ID = "123456789012";
  public static final String API_ID = "local";
  public static final String ACCESS_KEY_ID = "local";
  public static final String SECRET_ACCESS_KEY = "local";

  private LocalAws() {}

  /**
   * A client of the local runtime for {@code region}, with the URL-connection HTTP client and, when the
   * environment variable {@code endpointVariable} is set (the stack sets {@code AWS_ENDPOINT_URL...}), that endpoint.
   */
  static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(B builder, String region, String endpointVariable) {
    builder.region(software.amazon.awssdk.regions.Region.of(region))
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
    String endpoint = System.getenv(endpointVariable);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(java.net.URI.create(endpoint));
    }
    return builder.build();
  }

  public static String functionArn(String region, String functionName) {
    return "arn:aws:lambda:" + region + ":" + ACCOUNT_ID + ":function:" + functionName;
  }
}
