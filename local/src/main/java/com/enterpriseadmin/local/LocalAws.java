package com.enterpriseadmin.local;

/** Fixed identifiers the local stack uses where AWS would have real ones. */
public final class LocalAws {
  public static final String ACCOUNT_ID = "123456789012";
  public static final String API_ID = "local";
  public static final String ACCESS_KEY_ID = "local";
  public static final String SECRET_ACCESS_KEY = "local";

  private LocalAws() {}

  public static String functionArn(String region, String functionName) {
    return "arn:aws:lambda:" + region + ":" + ACCOUNT_ID + ":function:" + functionName;
  }
}
